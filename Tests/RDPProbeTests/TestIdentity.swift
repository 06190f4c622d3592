import Foundation
import NIOSSL
import X509
import _CryptoExtras

/// A certificate and key minted for the tests, and a TLS server context that presents them, as a Windows
/// listener would present its self-signed certificate.
struct TestIdentity: Sendable {
  let der: [UInt8]
  let certificate: Certificate
  let serverContext: NIOSSLContext
  /// The same identity on a server that stops at TLS 1.0, like an unpatched old listener.
  let tls10ServerContext: NIOSSLContext

  static let notBefore = Date(timeIntervalSince1970: 1_700_000_000)
  static let notAfter = Date(timeIntervalSince1970: 1_700_000_000 + 365 * 86_400)

  /// One RSA-2048 identity for the whole test run: key generation is the slow part.
  static let shared = mint(filler: 0)

  /// A certificate of about 250 KB (a private extension full of filler): more than a TLS client should take.
  static let huge = mint(filler: 250_000)

  private static let key: _RSA.Signing.PrivateKey = {
    do {
      return try _RSA.Signing.PrivateKey(keySize: .bits2048)
    } catch {
      fatalError("cannot make the test key: \(error)")
    }
  }()

  private static func mint(filler: Int) -> TestIdentity {
    do {
      return try TestIdentity(filler: filler)
    } catch {
      fatalError("cannot mint the test identity: \(error)")
    }
  }

  private init(filler: Int) throws {
    let key = Self.key
    let subject = try DistinguishedName {
      CountryName("US")
      OrganizationName("WinAudit Tests")
      CommonName("lab-host.winaudit.test")
    }
    let issuer = try DistinguishedName {
      OrganizationName("WinAudit Tests")
      CommonName("WinAudit Test CA")
    }
    let certificate = try Certificate(
      version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
      notValidBefore: Self.notBefore, notValidAfter: Self.notAfter, issuer: issuer, subject: subject,
      signatureAlgorithm: .sha256WithRSAEncryption,
      extensions: try Certificate.Extensions {
        SubjectAlternativeNames([.dnsName("lab-host.winaudit.test")])
        if filler > 0 {
          Certificate.Extension(
            oid: [1, 3, 6, 1, 4, 1, 32473, 1], critical: false, value: ArraySlice(repeating: 0x41, count: filler))
        }
      },
      issuerPrivateKey: .init(key))
    let pem = try certificate.serializeAsPEM()
    let der = pem.derBytes
    // Loaded as PEM: BoringSSL's DER loader stops at 100 KB, which the huge certificate exceeds on purpose.
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(pem.pemString.utf8), format: .pem))],
      privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)))
    configuration.minimumTLSVersion = .tlsv1
    self.der = der
    self.certificate = certificate
    self.serverContext = try NIOSSLContext(configuration: configuration)
    configuration.maximumTLSVersion = .tlsv1
    self.tls10ServerContext = try NIOSSLContext(configuration: configuration)
  }
}
