import Foundation

/// An X.509 certificate in a LocalMachine store, reduced to what the RDP checks read.
///
/// `privateKeyContainer` is the key file name in MachineKeys (`UniqueKeyContainerName`); HasPrivateKey is true when
/// it is set, as on Windows, even if the file is gone: whether the key is usable is derived from the file system.
public struct Certificate: Sendable, Equatable, Codable {
  /// Upper-case hex SHA-1 thumbprint.
  public var thumbprint: String
  public var subject: String
  public var issuer: String
  public var notBefore: Date
  public var notAfter: Date
  public var privateKeyContainer: String?
  public var friendlyName: String?
  /// Where the private key lives: a legacy CSP key in MachineKeys (absent: the default, and what the RDP self-signed
  /// certificate uses) or a CNG key in `Crypto\Keys` (New-SelfSignedCertificate and v3 templates).
  public var keyStorage: KeyStorage?

  public init(
    thumbprint: String, subject: String, issuer: String, notBefore: Date, notAfter: Date,
    privateKeyContainer: String? = nil, friendlyName: String? = nil, keyStorage: KeyStorage? = nil
  ) {
    self.thumbprint = thumbprint.uppercased()
    self.subject = subject
    self.issuer = issuer
    self.notBefore = notBefore
    self.notAfter = notAfter
    self.privateKeyContainer = privateKeyContainer
    self.friendlyName = friendlyName
    self.keyStorage = keyStorage
  }

  /// The key file's path, when the certificate has a private key.
  public var keyFile: String? {
    guard let container = privateKeyContainer else { return nil }
    return (keyStorage ?? .csp).directory + "\\" + container
  }

  public var hasPrivateKey: Bool { privateKeyContainer != nil }
  public var isSelfSigned: Bool { subject == issuer }

  public func isValid(at date: Date) -> Bool { notBefore <= date && date < notAfter }
}

/// The two machine key stores of Windows.
public enum KeyStorage: String, Sendable, Equatable, Codable {
  /// CryptoAPI (legacy CSP) keys: `%ProgramData%\Microsoft\Crypto\RSA\MachineKeys`.
  case csp = "CSP"
  /// CNG keys: `%ProgramData%\Microsoft\Crypto\Keys`; `$cert.PrivateKey` cannot open them ("Invalid provider type").
  case cng = "CNG"

  public var directory: String {
    switch self {
    case .csp: MachineKeys.directory
    case .cng: "C:\\ProgramData\\Microsoft\\Crypto\\Keys"
    }
  }
}

/// Certificate store names under Cert:\LocalMachine.
public enum CertificateStoreName {
  public static let personal = "My"
  public static let remoteDesktop = "Remote Desktop"
}

/// The MachineKeys folder and the RDP self-signed certificate's key file name.
public enum MachineKeys {
  public static let directory = "C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys"
  /// The fixed prefix of the TSSecKeySet1 container's file name.
  public static let remoteDesktopKeyPrefix = "f686aace6942fb7f7ceb231212eef4a4_"
  /// The folder's documented default ACL: Everyone read and write (this folder only), Administrators and SYSTEM full.
  public static let defaultDirectorySDDL = "O:SYG:SYD:P(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;;FA;;;SY)"
  /// The ACL the lab gives a key file it creates: SYSTEM and Administrators full, NETWORK SERVICE read.
  public static let keyFileSDDL = "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)"

  public static func remoteDesktopKeyFile(machineGuid: String) -> String { remoteDesktopKeyPrefix + machineGuid }
  public static func path(of container: String) -> String { directory + "\\" + container }
}

/// Deterministic 160-bit fingerprints for lab-made certificates (not cryptographic; only unique and stable).
public enum Fingerprint {
  public static func thumbprint(of text: String) -> String {
    var words: [UInt64] = [0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4, 0x1000_0000_01b3_0f0f]
    for (round, _) in words.enumerated() {
      for byte in (String(round) + "|" + text).utf8 {
        words[round] = (words[round] ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
      }
    }
    let hex = words.map { String(format: "%016llX", $0) }.joined()
    return String(hex.prefix(40))
  }
}
