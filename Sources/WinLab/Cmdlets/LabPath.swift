/// A path in one of the lab's PowerShell providers: registry (HKLM:), file system (C:) or certificates (Cert:).
enum LabPath: Equatable {
  case registry(String)
  case file(String)
  case certificate(CertificatePath)

  /// The directory a relative path is resolved against (sshd starts the shell in the user's profile).
  static let homeDirectory = "C:\\Users\\Administrator"

  /// Parses any spelling the lab accepts; nil for other providers (Env:, Variable:, UNC...).
  static func parse(_ text: String) -> LabPath? {
    if let key = RegistryPath.canonical(text) { return .registry(key) }
    if let cert = CertificatePath(text) { return .certificate(cert) }
    if let file = FilePath.canonical(text) { return .file(file) }
    if !text.contains(":") && !text.hasPrefix("\\\\") {
      return .file(PathTreeNames.join(homeDirectory, text))
    }
    return nil
  }

  var isRegistry: Bool {
    if case .registry = self { return true }
    return false
  }

  /// How PowerShell shows the path in messages (`HKLM:\...`, `C:\...`, `Cert:\LocalMachine\My`).
  var display: String {
    switch self {
    case .registry(let key): key == "HKLM:" ? "HKLM:\\" : key
    case .file(let path): FilePath.displayPath(path)
    case .certificate(let cert): cert.display
    }
  }

  /// The parent path, nil at a provider root.
  var parent: LabPath? {
    switch self {
    case .registry(let key): PathTreeNames.parent(of: key).map { .registry($0) }
    case .file(let path): PathTreeNames.parent(of: path).map { .file($0) }
    case .certificate(let cert): cert.parent.map { .certificate($0) }
    }
  }

  /// A child path named `name`.
  func child(_ name: String) -> LabPath {
    switch self {
    case .registry(let key): .registry(key + "\\" + name)
    case .file(let path): .file(path + "\\" + name)
    case .certificate(let cert): .certificate(cert.child(name))
    }
  }

  var leaf: String {
    switch self {
    case .registry(let key): PathTreeNames.leaf(of: key)
    case .file(let path): PathTreeNames.leaf(of: path)
    case .certificate(let cert): cert.components.last ?? ""
    }
  }
}

/// `Cert:\LocalMachine\My\<thumbprint>` split into its parts (any part may be missing).
struct CertificatePath: Equatable {
  var components: [String]

  init(components: [String]) { self.components = components }

  init?(_ text: String) {
    let prefixes = ["Microsoft.PowerShell.Security\\Certificate::", "Certificate::", "Cert:"]
    guard let prefix = prefixes.first(where: { text.lowercased().hasPrefix($0.lowercased()) }) else { return nil }
    components = text.dropFirst(prefix.count).split(whereSeparator: { $0 == "\\" || $0 == "/" }).map(String.init)
    if components.count > 3 { return nil }
  }

  var location: String? { components.first }
  var store: String? { components.count > 1 ? components[1] : nil }
  var thumbprint: String? { components.count > 2 ? components[2] : nil }

  var parent: CertificatePath? {
    components.isEmpty ? nil : CertificatePath(components: Array(components.dropLast()))
  }

  func child(_ name: String) -> CertificatePath { CertificatePath(components: components + [name]) }

  var display: String { "Cert:\\" + components.joined(separator: "\\") }

  var providerPath: String {
    "Microsoft.PowerShell.Security\\Certificate::" + components.joined(separator: "\\")
  }
}
