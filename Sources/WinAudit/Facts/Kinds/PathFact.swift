/// A file or folder and its ACL as SDDL; `{MachineGuid}` in the path is replaced on the host (the RDP key file is
/// named after it). The main value is the SDDL, absent when the path does not exist.
///
///     rdpKeyFile:
///       path: 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_{MachineGuid}'
struct PathFact: FactKind {
  static let name = "path"
  static let collector = CollectorFunction(name: "Get-WinAuditPath", embedded: PackageResources.Path_ps1)
  static let fields = ["path", "exists", "sddl"]

  var path: String

  static func parse(_ parameters: FactParameters) -> PathFact? {
    parameters.single(key: "path").map(PathFact.init(path:))
  }

  var request: [(key: String, value: PowerShellValue)] { [("path", .literal(path))] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: raw[field ?? "sddl"] ?? .null)
  }
}
