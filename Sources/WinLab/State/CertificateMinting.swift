import Foundation

/// What the host asks for when it makes a certificate of its own (TermService's self-signed listener certificate).
public struct CertificateRequest: Sendable, Equatable {
  public var subject: String
  public var issuer: String
  public var notBefore: Date
  public var notAfter: Date

  public init(subject: String, issuer: String, notBefore: Date, notAfter: Date) {
    self.subject = subject
    self.issuer = issuer
    self.notBefore = notBefore
    self.notAfter = notAfter
  }
}

/// Makes the certificate for a request and returns its thumbprint, or nil when it could not.
public typealias CertificateMinting = @Sendable (CertificateRequest) -> String?

/// A `CertificateMinting` in a box: the value of `HostState.certificateMinter`. A task-local whose value is an optional
/// function type crashes Swift 6.3's release builds on Linux (swift_task_localValuePush dereferences a bad pointer);
/// a class reference does not.
public final class HostCertificateMinter: Sendable {
  public let mint: CertificateMinting

  public init(_ mint: @escaping CertificateMinting) {
    self.mint = mint
  }
}

extension HostState {
  /// How a certificate the host makes gets its thumbprint. Unset (unit tests, the pure state layer) a lab-made
  /// fingerprint stands in; a lab session sets a minter that makes a real certificate and keeps its PEM in the host's
  /// folder, so the listener double can present what the state names. A task-local keeps the state a plain value.
  @TaskLocal public static var certificateMinter: HostCertificateMinter?

  /// The thumbprint of a new certificate for `request`: a real one when a minter is in force, else a stable stand-in
  /// derived from `seed`.
  func mintThumbprint(_ request: CertificateRequest, seed: String) -> String {
    Self.certificateMinter?.mint(request) ?? Fingerprint.thumbprint(of: seed)
  }
}
