import PowerShellInterpreter

/// The lab's providers seen from the item cmdlets: does a path exist, what is below it, which object stands for it.
extension HostState {
  /// Store names every LocalMachine has, present even when the host file lists no certificate in them.
  static let standardCertificateStores = ["My", "Remote Desktop", "Root", "CA", "TrustedPeople", "WebHosting"]

  func certificateStoreNames() -> [String] {
    var names = CaseInsensitiveMap<Bool>()
    for name in Self.standardCertificateStores + certificates.keys { names[name] = true }
    return names.keys
  }

  func exists(_ path: LabPath) -> Bool {
    switch path {
    case .registry(let key): return key == "HKLM:" || registry.exists(key)
    case .file(let file): return PathTreeNames.parent(of: file) == nil || files.exists(file)
    case .certificate(let cert): return certificateItem(cert) != nil
    }
  }

  func isContainer(_ path: LabPath) -> Bool {
    switch path {
    case .registry: return true
    case .file(let file): return PathTreeNames.parent(of: file) == nil || files.node(at: file)?.isDirectory == true
    case .certificate(let cert): return cert.thumbprint == nil
    }
  }

  /// What a certificate path names: the root, a location, a store or a certificate.
  enum CertificateItem {
    case root, location(String), store(String), certificate(store: String, Certificate)
  }

  func certificateItem(_ path: CertificatePath) -> CertificateItem? {
    guard let location = path.location else { return .root }
    guard ["localmachine", "currentuser"].contains(location.lowercased()) else { return nil }
    let isMachine = location.lowercased() == "localmachine"
    guard let store = path.store else { return .location(isMachine ? "LocalMachine" : "CurrentUser") }
    guard isMachine, let storeName = certificateStoreNames().first(where: { $0.lowercased() == store.lowercased() })
    else { return nil }
    guard let thumbprint = path.thumbprint else { return .store(storeName) }
    return certificates(in: storeName).first { $0.thumbprint.caseInsensitiveCompare(thumbprint) == .orderedSame }
      .map { .certificate(store: storeName, $0) }
  }

  /// Immediate children, in display order.
  func children(_ path: LabPath) -> [LabPath] {
    switch path {
    case .registry(let key): return registry.children(of: key).map { .registry($0) }
    case .file(let file): return files.children(of: file).map { .file($0) }
    case .certificate(let cert):
      switch certificateItem(cert) {
      case .root: return [.certificate(cert.child("CurrentUser")), .certificate(cert.child("LocalMachine"))]
      case .location(let name):
        return name == "LocalMachine" ? certificateStoreNames().map { .certificate(cert.child($0)) } : []
      case .store(let store):
        return certificates(in: store).map { .certificate(cert.child($0.thumbprint)) }
      default: return []
      }
    }
  }

  /// Everything below `path`, depth first.
  func descendants(_ path: LabPath) -> [LabPath] {
    children(path).flatMap { [$0] + descendants($0) }
  }

  /// The stored spelling of an existing path (so output shows `HKLM:\SOFTWARE\OpenSSH` whatever the script typed).
  func canonicalCase(_ path: LabPath) -> LabPath {
    switch path {
    case .registry(let key): return .registry(registry.displayPath(key))
    case .file(let file): return .file(files.displayPath(file))
    case .certificate: return path
    }
  }

  /// Resolves a -Path / -LiteralPath argument: wildcards in the last component match children. No paths and
  /// `wildcard` false means the path does not exist (PathNotFound); nil means it is no lab provider path.
  func resolve(_ text: String, literal: Bool) -> (paths: [LabPath], wildcard: Bool)? {
    guard let path = LabPath.parse(text) else { return nil }
    if !literal, PSWildcard.hasWildcards(path.leaf), let parent = path.parent {
      let pattern = path.leaf
      let matches = exists(parent) ? children(parent).filter { PSWildcard.matches($0.leaf, pattern: pattern) } : []
      return (matches, true)
    }
    return exists(path) ? ([canonicalCase(path)], false) : ([], false)
  }
}
