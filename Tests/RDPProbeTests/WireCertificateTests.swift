import Foundation
import Testing

@testable import RDPProbe

@Suite struct WireCertificateTests {
  @Test func readsAMintedCertificate() throws {
    let identity = TestIdentity.shared
    let read = try WireCertificate(der: identity.der)
    // The digest itself is checked against openssl below; here its form.
    #expect(read.sha1Thumbprint.count == 40)
    #expect(read.sha1Thumbprint.allSatisfy { "0123456789ABCDEF".contains($0) })
    #expect(try WireCertificate(der: identity.der).sha1Thumbprint == read.sha1Thumbprint)
    #expect(read.subject == "CN=lab-host.winaudit.test,O=WinAudit Tests,C=US")
    #expect(read.issuer == "CN=WinAudit Test CA,O=WinAudit Tests")
    #expect(read.notBefore == TestIdentity.notBefore)
    #expect(read.notAfter == TestIdentity.notAfter)
  }

  /// A certificate made by openssl, with the fingerprint openssl printed for it: the thumbprint does not depend on
  /// the module's own SHA-1 call being right.
  @Test func matchesOpenSSLFingerprint() throws {
    let der = try #require(Data(base64Encoded: Self.opensslCertificate))
    let read = try WireCertificate(der: Array(der))
    #expect(read.sha1Thumbprint == "CD269B44AC08AD21E8DC7228695217B6FB2CE11C")
    #expect(read.subject == "CN=rdp.example.test,O=Example Lab,C=US")
    #expect(read.issuer == read.subject)
    #expect(read.notBefore == Date(timeIntervalSince1970: 1_796_104_199))
    #expect(read.notAfter == Date(timeIntervalSince1970: 2_111_464_199))
  }

  @Test func roundTripsThroughJSON() throws {
    let read = try WireCertificate(der: TestIdentity.shared.der)
    let decoded = try JSONDecoder().decode(WireCertificate.self, from: JSONEncoder().encode(read))
    #expect(decoded == read)
  }

  @Test(arguments: [[], [0x30, 0x03, 0x02, 0x01], Array(repeating: UInt8(0x41), count: 64)])
  func rejectsWhatIsNotACertificate(der: [UInt8]) {
    #expect(throws: (any Error).self) { try WireCertificate(der: der) }
  }

  @Test func rejectsATruncatedCertificate() {
    let der = TestIdentity.shared.der
    #expect(throws: (any Error).self) { try WireCertificate(der: Array(der.prefix(der.count / 2))) }
  }

  static let opensslCertificate =
    "MIIB0TCCAXegAwIBAgIUEbNUqnejqJEsF0XFFZOmwpD7JYowCgYIKoZIzj0EAwIwPjELMAkGA1UEBhMCVVMxFDASBgNVBAoMC0V4YW1wbGUgTGFi"
    + "MRkwFwYDVQQDDBByZHAuZXhhbXBsZS50ZXN0MB4XDTI2MTIwMTA1NDk1OVoXDTM2MTEyODA1NDk1OVowPjELMAkGA1UEBhMCVVMxFDASBgNV"
    + "BAoMC0V4YW1wbGUgTGFiMRkwFwYDVQQDDBByZHAuZXhhbXBsZS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE452l05RlIM0v/ND+"
    + "QcS3h4/le0JS/BKMSa4eFE9CozTFTu76t0tmHfXfeC6+wsDtW5i2KvxzrL706t9ToCkm86NTMFEwHQYDVR0OBBYEFGbveryo2j6j5/EG/UoW"
    + "TB4W1K+sMB8GA1UdIwQYMBaAFGbveryo2j6j5/EG/UoWTB4W1K+sMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAMZD3XkQ"
    + "ysiSNtZPOv32UzqDZ4+PDGYKW3figtK54XG1AiBhvUQ7KE48fJpmdN5OhzLwEtTJU6yGGdvYtTrus6uvbw=="
}
