import Foundation

/// Which certificate the RDP listener presents and why (the `SSLCertificateSHA1HashType` numbers).
public enum ListenerCertificateType: Int, Sendable, Equatable {
  case invalid = 0
  case selfSigned = 1
  case groupPolicy = 2
  case custom = 3
}

extension HostState {
  /// Whether `certificate`'s private key can be used by `account` (a SID; TermService runs as NETWORK SERVICE):
  /// the key file must exist in its store's folder (MachineKeys for CSP keys, Crypto\Keys for CNG keys) and its ACL
  /// must let the account read it. The folder's ACL does not matter for opening a key by name: every account holds
  /// "Bypass traverse checking" (SeChangeNotifyPrivilege), so only creating a key file needs rights on the folder.
  public func hasUsablePrivateKey(_ certificate: Certificate, account: String = SecurityIdentifier.networkService)
    -> Bool
  {
    guard let path = certificate.keyFile else { return false }
    guard let node = files.node(at: path), !node.isDirectory else { return false }
    return files.allows(account, AccessMask.readData, on: path)
  }

  /// The SSLCertificateSHA1Hash configured on RDP-Tcp, as upper-case hex.
  public var configuredListenerThumbprint: String? {
    guard case .binary(let bytes)? = registry.value(RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash"), !bytes.isEmpty
    else { return nil }
    return Hex.string(bytes)
  }

  /// The self-signed listener certificate: the one in `Remote Desktop` that expires last.
  public var selfSignedListenerCertificate: Certificate? {
    certificates(in: CertificateStoreName.remoteDesktop).max { $0.notAfter < $1.notAfter }
  }

  /// The certificate TermService presents, if any. Nil means the listener cannot do TLS.
  ///
  /// When SSLCertificateSHA1Hash is set, only that certificate counts: it must be in `My`, valid now, with a key
  /// NETWORK SERVICE can use. Windows does not fall back to the self-signed certificate when it is not; removing the
  /// value is what makes it use the self-signed one again (rdp-wire-and-errors.md section 3, after the Azure event-id
  /// article). Without the value, the self-signed one in `Remote Desktop` is used when its key is usable.
  public var listenerCertificate: Certificate? {
    if let thumbprint = configuredListenerThumbprint {
      guard
        let custom = certificates(in: CertificateStoreName.personal).first(where: { $0.thumbprint == thumbprint }),
        custom.isValid(at: now), hasUsablePrivateKey(custom)
      else { return nil }
      return custom
    }
    guard let selfSigned = selfSignedListenerCertificate, hasUsablePrivateKey(selfSigned) else { return nil }
    return selfSigned
  }

  /// What Win32_TSGeneralSetting reports: a configured but unusable thumbprint is reported with type 0 (invalid).
  public var listenerCertificateStatus: (hash: String, type: ListenerCertificateType) {
    if let thumbprint = configuredListenerThumbprint {
      let usable = listenerCertificate?.thumbprint == thumbprint
      return (thumbprint, usable ? .custom : .invalid)
    }
    if let selfSigned = listenerCertificate { return (selfSigned.thumbprint, .selfSigned) }
    return ("", .invalid)
  }

  /// Whether TermService (as SYSTEM creating, NETWORK SERVICE using) can create a key file in MachineKeys: the
  /// folder's ACL denies neither account. A missing folder is created again with its default ACL (what users report
  /// after renaming it to MachineKeys_Old), so it does not stop the key from being made.
  public var canCreateMachineKey: Bool {
    guard let node = files.node(at: MachineKeys.directory) else { return true }
    guard node.isDirectory, let descriptor = files.securityDescriptor(of: MachineKeys.directory) else { return false }
    for account in [SecurityIdentifier.networkService, SecurityIdentifier.system]
    where descriptor.denies(AccessMask.fullControl, to: SecurityIdentifier.principals(of: account)) {
      return false
    }
    return descriptor.grants(AccessMask.addFile, to: SecurityIdentifier.principals(of: SecurityIdentifier.system))
  }

  /// What TermService does when it starts: when `Remote Desktop` has no certificate valid now, it creates a new
  /// self-signed one (CN=<computer name>, six months) with its key file `f686aace..._<MachineGuid>` in MachineKeys.
  /// Creating the key fails when MachineKeys denies SYSTEM or NETWORK SERVICE; the store is then left as it was.
  /// Returns whether a certificate was created.
  @discardableResult
  public mutating func regenerateSelfSignedCertificateIfNeeded() -> Bool {
    let store = CertificateStoreName.remoteDesktop
    let at = now
    guard !certificates(in: store).contains(where: { $0.isValid(at: at) }), canCreateMachineKey,
      let guid = machineGuid
    else { return false }
    if !files.exists(MachineKeys.directory) {
      files.set(MachineKeys.directory, FileNode(type: .directory, sddl: MachineKeys.defaultDirectorySDDL))
    }
    let container = MachineKeys.remoteDesktopKeyFile(machineGuid: guid)
    let notAfter = Calendar.utc.date(byAdding: .month, value: 6, to: at) ?? at.addingTimeInterval(182 * 86_400)
    let subject = "CN=" + computerName
    let thumbprint = mintThumbprint(
      CertificateRequest(subject: subject, issuer: subject, notBefore: at, notAfter: notAfter),
      seed: subject + "|" + guid + "|" + String(at.timeIntervalSince1970))
    let certificate = Certificate(
      thumbprint: thumbprint, subject: subject, issuer: subject, notBefore: at, notAfter: notAfter,
      privateKeyContainer: container)
    certificates[store] = certificates(in: store).filter { $0.isValid(at: at) } + [certificate]
    files.set(
      MachineKeys.path(of: container),
      FileNode(type: .file, sddl: MachineKeys.keyFileSDDL, content: "RSA key TSSecKeySet1"))
    return true
  }
}

extension Calendar {
  /// A Gregorian calendar in UTC, for date arithmetic that does not depend on the machine running the lab.
  static var utc: Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }
}
