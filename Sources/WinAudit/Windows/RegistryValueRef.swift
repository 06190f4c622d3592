/// A registry value's location: the key path in PowerShell's `HKLM:\...` form and the value name.
public struct RegistryValueRef: Sendable, Hashable, Codable, CustomStringConvertible {
  public var path: String
  public var name: String

  public init(path: String, name: String) {
    self.path = path
    self.name = name
  }

  /// `HKLM:\...\Key\Name`: the full path people search for in Group Policy and regedit.
  public var description: String { path + "\\" + name }
}
