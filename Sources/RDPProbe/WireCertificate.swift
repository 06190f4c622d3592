import Crypto
import Foundation
import X509

/// The listener certificate as the TLS handshake shows it to any client, with the thumbprint Windows stores for it.
public struct WireCertificate: Sendable, Equatable, Codable {
  /// SHA-1 of the leaf certificate's DER in upper-case hex: what Windows calls the Thumbprint and what
  /// `SSLCertificateSHA1Hash` names, so the wire and the host's configuration can be compared.
  public var sha1Thumbprint: String
  /// RFC 4514 form, most specific attribute first (swift-certificates' `DistinguishedName` description).
  public var subject: String
  public var issuer: String
  public var notBefore: Date
  public var notAfter: Date

  public init(sha1Thumbprint: String, subject: String, issuer: String, notBefore: Date, notAfter: Date) {
    self.sha1Thumbprint = sha1Thumbprint
    self.subject = subject
    self.issuer = issuer
    self.notBefore = notBefore
    self.notAfter = notAfter
  }

  /// Reads the fields from the DER the server sent; throws what swift-certificates could not parse.
  public init(der: [UInt8]) throws {
    let certificate = try Certificate(derEncoded: der)
    self.init(
      sha1Thumbprint: Insecure.SHA1.hash(data: der).map { byte in
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
      }.joined(),
      subject: certificate.subject.description,
      issuer: certificate.issuer.description,
      notBefore: certificate.notValidBefore,
      notAfter: certificate.notValidAfter
    )
  }
}
