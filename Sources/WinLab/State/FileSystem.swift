/// A file or directory of the modelled `C:` drive, as written in the host file's `files` map.
///
/// `sddl` is the item's own security descriptor; without one the item inherits from its parent (see
/// `FileSystem.securityDescriptor(of:)`). `content` is text (an exported certificate, an icacls backup, a key file's
/// placeholder bytes).
public struct FileNode: PathTreeNode {
  public enum Kind: String, Sendable, Codable { case directory, file }

  public var type: Kind
  public var sddl: String?
  public var content: String?

  public init(type: Kind, sddl: String? = nil, content: String? = nil) {
    self.type = type
    self.sddl = sddl
    self.content = content
  }

  public static var implied: FileNode { FileNode(type: .directory) }

  public var isDirectory: Bool { type == .directory }
}

/// The modelled file system: canonical path (`C:\ProgramData\...`) -> node; ancestors are implied directories.
public typealias FileSystem = PathTree<FileNode>

extension PathTree where Node == FileNode {
  /// The ACL a drive root has when the host file gives none: SYSTEM and Administrators full, Users read.
  public static let defaultRootSDDL = "O:SYG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"

  /// The effective security descriptor of `path`: its own, else what it inherits from the nearest ancestor with one.
  /// A non-protected own DACL also gets the parent's inheritable ACEs appended, as Windows does.
  public func securityDescriptor(of path: String) -> SecurityDescriptor? {
    guard let node = node(at: path) else { return nil }
    let parentDescriptor = PathTreeNames.parent(of: path).flatMap { securityDescriptor(of: $0) }
    let inherited = parentDescriptor?.inheritable(toDirectory: node.isDirectory) ?? []
    if let sddl = node.sddl, var own = SecurityDescriptor(sddl: sddl) {
      if !own.isProtected {
        own.aces = own.aces.filter { !$0.isInherited } + inherited
      }
      return own
    }
    if PathTreeNames.parent(of: path) == nil {
      return SecurityDescriptor(sddl: Self.defaultRootSDDL)
    }
    return SecurityDescriptor(
      owner: parentDescriptor?.owner, group: parentDescriptor?.group, daclFlags: "AI", aces: inherited)
  }

  /// Whether the account `sid` may do `mask` on `path` (deny ACEs win; groups from `SecurityIdentifier.principals`).
  public func allows(_ sid: String, _ mask: UInt32, on path: String) -> Bool {
    securityDescriptor(of: path)?.grants(mask, to: SecurityIdentifier.principals(of: sid)) ?? false
  }
}

/// Parses the file path spellings the lab accepts (`C:\a\b`, `c:/a/b/`, `FileSystem::C:\a`) into `C:\a\b`.
public enum FilePath {
  public static func canonical(_ path: String) -> String? {
    var text = Substring(path)
    for prefix in ["Microsoft.PowerShell.Core\\FileSystem::", "FileSystem::"]
    where text.lowercased().hasPrefix(prefix.lowercased()) {
      text = text.dropFirst(prefix.count)
    }
    guard text.count >= 2, let drive = text.first, drive.isLetter, text.dropFirst().first == ":" else { return nil }
    let parts = text.dropFirst(2).split(whereSeparator: { $0 == "\\" || $0 == "/" }).map(String.init)
    return ([drive.uppercased() + ":"] + parts).joined(separator: "\\")
  }

  /// The PSPath of a canonical file path.
  public static func providerPath(_ canonical: String) -> String {
    "Microsoft.PowerShell.Core\\FileSystem::" + displayPath(canonical)
  }

  /// `C:\` for the root, else the path itself.
  public static func displayPath(_ canonical: String) -> String {
    canonical.contains("\\") ? canonical : canonical + "\\"
  }
}
