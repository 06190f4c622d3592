/// Compares what the captured host said about behaviour the lab derives (Win32_TSGeneralSetting, the RDP listener's
/// port, effective ACLs) with what the lab derives from the imported state. A difference is not an import error: it
/// is exactly what "real hosts teach the lab" is about, a place where the lab's model and Windows disagree, and the
/// audit of the imported host may then differ from the real one there.
enum CaptureConsistency {
  static func differences(_ document: CaptureDocument, _ state: HostState) -> [String] {
    terminalSettings(document, state) + listener(document, state) + acls(document, state)
  }

  static func terminalSettings(_ document: CaptureDocument, _ state: HostState) -> [String] {
    guard let captured = document.terminalSettings?.first(where: { $0.TerminalName == "RDP-Tcp" }) else { return [] }
    let derived = state.tsGeneralSetting
    var found: [String] = []
    func compare<T: Equatable>(_ name: String, _ host: T?, _ lab: T) {
      if let host, host != lab {
        found.append("Win32_TSGeneralSetting \(name): the host said \(host), the lab derives \(lab)")
      }
    }
    compare("SSLCertificateSHA1Hash", captured.SSLCertificateSHA1Hash?.uppercased(), derived.sslCertificateSHA1Hash)
    compare("SSLCertificateSHA1HashType", captured.SSLCertificateSHA1HashType, derived.sslCertificateSHA1HashType)
    compare("UserAuthenticationRequired", captured.UserAuthenticationRequired, derived.userAuthenticationRequired)
    compare("SecurityLayer", captured.SecurityLayer, derived.securityLayer)
    compare("MinEncryptionLevel", captured.MinEncryptionLevel, derived.minEncryptionLevel)
    compare(
      "PolicySourceUserAuthenticationRequired", captured.PolicySourceUserAuthenticationRequired,
      derived.policySourceUserAuthenticationRequired)
    compare("PolicySourceSecurityLayer", captured.PolicySourceSecurityLayer, derived.policySourceSecurityLayer)
    compare(
      "PolicySourceMinEncryptionLevel", captured.PolicySourceMinEncryptionLevel, derived.policySourceMinEncryptionLevel)
    return found
  }

  static func listener(_ document: CaptureDocument, _ state: HostState) -> [String] {
    guard let listeners = document.tcpListeners else { return [] }
    let pid = document.win32Services?.first { $0.Name.caseInsensitiveCompare(HostState.termService) == .orderedSame }?
      .ProcessId
    let hostPort = pid.flatMap { pid in listeners.first { $0.OwningProcess == pid && pid != 0 }?.LocalPort }
    let labPort = state.rdpListener?.port
    guard hostPort != labPort else { return [] }
    return [
      "RDP listener: the host's TermService listens on \(hostPort.map(String.init) ?? "no port"), the lab derives "
        + "\(labPort.map(String.init) ?? "no listener")"
    ]
  }

  static func acls(_ document: CaptureDocument, _ state: HostState) -> [String] {
    var captured: [(String, String)] = (document.paths ?? []).compactMap { entry in
      entry.sddl.map { (entry.path, $0) }
    }
    for store in document.certificateStores ?? [] {
      for certificate in store.certificates ?? [] {
        if let file = certificate.keyFile, let sddl = certificate.keyFileSddl { captured.append((file, sddl)) }
      }
    }
    return captured.compactMap { path, sddl in
      let derived = FilePath.canonical(path).flatMap { state.files.securityDescriptor(of: $0)?.sddl() }
      guard let derived, let host = SecurityDescriptor(sddl: sddl), host.sddl() != derived else { return nil }
      return "ACL of \(path): the host said \(sddl), the lab derives \(derived)"
    }
  }
}
