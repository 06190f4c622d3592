import Crypto
import Foundation
import NIOSSL
import Testing
import X509

@testable import WinLab

/// Real certificates behind the state's thumbprints: minting, realising a state, and TermService's renewal.
@Suite struct CertificateMintingTests {
  static let start = SampleHostBuilder.date("2025-03-01T08:00:00Z")
  static let end = SampleHostBuilder.date("2035-09-01T08:00:00Z")

  @Test func thumbprintIsSHA1OfTheDER() throws {
    let minted = try CertificateMinter.mint(
      subject: "CN=rdp.example.com", issuer: "CN=Example Issuing CA 01, DC=example, DC=com", notBefore: Self.start,
      notAfter: Self.end)
    let sha1 = Insecure.SHA1.hash(data: minted.der).map { String(format: "%02X", $0) }.joined()
    #expect(minted.thumbprint == sha1)
    #expect(minted.thumbprint.count == 40)
    let parsed = try X509.Certificate(derEncoded: minted.der)
    #expect(parsed.notValidBefore == Self.start)
    #expect(parsed.notValidAfter == Self.end)
    #expect(parsed.subject.description == "CN=rdp.example.com")
    #expect(parsed.issuer.description == "CN=Example Issuing CA 01,DC=example,DC=com")
    #expect(minted.pem.contains("BEGIN CERTIFICATE") && minted.pem.contains("PRIVATE KEY"))
  }

  @Test func anySubjectCanBeMinted() throws {
    let minted = try CertificateMinter.mint(
      subject: "CN=" + SampleHostBuilder.hostileText, issuer: "CN=x", notBefore: Self.start, notAfter: Self.end,
      key: .p256)
    #expect(try X509.Certificate(derEncoded: minted.der).subject.description.contains("owned"))
  }

  /// A fake minter (the thumbprint reversed): realisation is about where thumbprints are rewritten, not about keys.
  static func fakeMint(_ certificate: WinLab.Certificate) -> MintedCertificate {
    MintedCertificate(thumbprint: String(certificate.thumbprint.reversed()), der: [], pem: "")
  }

  @Test func realisingRewritesEveryReferenceAndKeepsADanglingOne() throws {
    var state = SampleHostBuilder.customListenerCertificate(
      "REALISE", storage: .csp, keySDDL: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)")
    let custom = try #require(state.certificates(in: CertificateStoreName.personal).first)
    let selfSigned = try #require(state.certificates(in: CertificateStoreName.remoteDesktop).first)
    let storeKey = "HKLM:\\SOFTWARE\\Microsoft\\SystemCertificates\\My\\Certificates\\" + custom.thumbprint
    state.registry.setValue(storeKey, "Blob", .binary([1, 2, 3]))
    state.registry.setValue("HKLM:\\SOFTWARE\\Lab", "Pinned", .string(selfSigned.thumbprint.lowercased()))
    let minted = state.realiseCertificates(mint: Self.fakeMint)
    #expect(minted.count == 2)
    let realCustom = String(custom.thumbprint.reversed())
    let realSelfSigned = String(selfSigned.thumbprint.reversed())
    #expect(state.certificates(in: CertificateStoreName.personal).map(\.thumbprint) == [realCustom])
    #expect(state.certificates(in: CertificateStoreName.remoteDesktop).map(\.thumbprint) == [realSelfSigned])
    #expect(state.configuredListenerThumbprint == realCustom)
    #expect(state.listenerCertificate?.thumbprint == realCustom)
    #expect(state.registry.value("HKLM:\\SOFTWARE\\Lab", "Pinned") == .string(realSelfSigned))
    #expect(!state.registry.exists(storeKey))
    #expect(
      state.registry.value("HKLM:\\SOFTWARE\\Microsoft\\SystemCertificates\\My\\Certificates\\" + realCustom, "Blob")
        == .binary([1, 2, 3]))

    var dangling = SampleHostBuilder.variant("DANGLING-REAL") {
      $0.registry.setValue(
        RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash", .binary(Hex.bytes(String(repeating: "AB", count: 20))!))
    }
    _ = dangling.realiseCertificates(mint: Self.fakeMint)
    #expect(dangling.configuredListenerThumbprint == String(repeating: "AB", count: 20))
    let original = try #require(
      SampleHostBuilder.variant("DANGLING-REAL") { _ in }.certificates(in: CertificateStoreName.remoteDesktop).first)
    #expect(
      dangling.certificates(in: CertificateStoreName.remoteDesktop).first?.thumbprint
        == String(original.thumbprint.reversed()))
  }

  @Test func realisedCertificatesAreKeptInTheHostFolder() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winlab-mint-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let directory = HostDirectory(folder)
    var state = SampleHostBuilder.variant("MINT-FOLDER") { _ in }
    try directory.realiseCertificates(of: &state, key: .p256)
    let thumbprint = try #require(state.listenerCertificate?.thumbprint)
    let file = directory.certificatePEM(thumbprint)
    let der = try #require(try NIOSSLCertificate.fromPEMFile(file.path).first).toDERBytes()
    #expect(CertificateMinter.thumbprint(of: der) == thumbprint)
    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test func termServiceRenewsWithTheMinterInForce() throws {
    var state = SampleHostBuilder.certificateExpired()
    try state.stopService("TermService", force: true)
    let minter = HostCertificateMinter { request in
      request.subject == "CN=CERT-EXPIRED" && request.issuer == request.subject
        ? "00112233445566778899AABBCCDDEEFF00112233" : nil
    }
    let minted = HostState.$certificateMinter.withValue(minter) {
      try? state.startService("TermService")
      return state.rdpListener?.certificate
    }
    #expect(minted?.thumbprint == "00112233445566778899AABBCCDDEEFF00112233")
  }

  /// SSLCertificateSHA1Hash naming a missing, expired or unusable certificate is a fault of its own: no fallback.
  @Test func aConfiguredButUnusableCertificateLeavesNoCertificate() throws {
    #expect(try SampleHostFilesTests.load("dangling-listener-hash").listenerCertificate == nil)
    #expect(try SampleHostFilesTests.load("custom-cert-key-admin-only").listenerCertificate == nil)
    var expired = try SampleHostFilesTests.load("custom-cert-key-ns-read")
    #expect(expired.listenerCertificate?.subject == "CN=rdp.example.com")
    expired.clock = SampleHostBuilder.date("2036-01-01T00:00:00Z")
    #expect(expired.listenerCertificate == nil)
    #expect(expired.tsGeneralSetting.sslCertificateSHA1HashType == 0)
    expired.registry.removeValue(RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash")
    #expect(expired.listenerCertificate?.isSelfSigned == true)
  }
}
