import Testing

@testable import WinLab

/// The server side of the X.224 negotiation: the decision table and the bytes on the wire.
@Suite struct RDPNegotiationTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var securityLayer: Int64
    var userAuthentication: Int64
    var certificate: Bool
    var requested: UInt32
    var answer: RDPNegotiationAnswer
    var testDescription: String {
      "SL \(securityLayer) UA \(userAuthentication) cert \(certificate) asks 0x\(String(requested, radix: 16))"
    }
  }

  static let cases: [Case] = [
    // Standard RDP asked for.
    Case(
      securityLayer: 2, userAuthentication: 1, certificate: true, requested: 0x0,
      answer: .failure(.hybridRequiredByServer)),
    Case(
      securityLayer: 1, userAuthentication: 1, certificate: true, requested: 0x0,
      answer: .failure(.hybridRequiredByServer)),
    Case(
      securityLayer: 2, userAuthentication: 0, certificate: true, requested: 0x0, answer: .failure(.sslRequiredByServer)
    ),
    Case(securityLayer: 1, userAuthentication: 0, certificate: true, requested: 0x0, answer: .selected(0)),
    Case(securityLayer: 0, userAuthentication: 1, certificate: true, requested: 0x0, answer: .selected(0)),
    Case(securityLayer: 0, userAuthentication: 0, certificate: false, requested: 0x0, answer: .selected(0)),
    // TLS without CredSSP.
    Case(
      securityLayer: 0, userAuthentication: 1, certificate: true, requested: 0x1,
      answer: .failure(.sslNotAllowedByServer)),
    Case(
      securityLayer: 2, userAuthentication: 1, certificate: true, requested: 0x1,
      answer: .failure(.hybridRequiredByServer)),
    Case(
      securityLayer: 2, userAuthentication: 1, certificate: false, requested: 0x1,
      answer: .failure(.hybridRequiredByServer)),
    Case(
      securityLayer: 2, userAuthentication: 0, certificate: false, requested: 0x1, answer: .failure(.sslCertNotOnServer)
    ),
    Case(securityLayer: 1, userAuthentication: 0, certificate: true, requested: 0x1, answer: .selected(1)),
    Case(securityLayer: 2, userAuthentication: 0, certificate: true, requested: 0x1, answer: .selected(1)),
    // CredSSP (with TLS, and alone).
    Case(
      securityLayer: 0, userAuthentication: 1, certificate: true, requested: 0x3,
      answer: .failure(.sslNotAllowedByServer)),
    Case(
      securityLayer: 2, userAuthentication: 1, certificate: false, requested: 0x3, answer: .failure(.sslCertNotOnServer)
    ),
    Case(securityLayer: 2, userAuthentication: 1, certificate: true, requested: 0x3, answer: .selected(2)),
    Case(securityLayer: 1, userAuthentication: 0, certificate: true, requested: 0x3, answer: .selected(2)),
    Case(securityLayer: 2, userAuthentication: 1, certificate: true, requested: 0x2, answer: .selected(2)),
    Case(securityLayer: 2, userAuthentication: 1, certificate: true, requested: 0xB, answer: .selected(2)),
  ]

  @Test(arguments: cases) func answersLikeWindows(_ item: Case) {
    let security = RDPListenerSecurity(
      securityLayer: item.securityLayer, userAuthentication: item.userAuthentication,
      hasUsableCertificate: item.certificate)
    #expect(security.answer(to: RDPProtocols(rawValue: item.requested)) == item.answer)
  }

  /// The 19-byte Connection Request of rdp-wire-and-errors.md section 1, asking for TLS and CredSSP.
  static let request: [UInt8] = [
    0x03, 0x00, 0x00, 0x13, 0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00,
  ]

  @Test func readsTheConnectionRequest() {
    #expect(
      X224ConnectionPDU.readRequest(Self.request)
        == .request(.init(requestedProtocols: [.tls, .hybrid]), length: 19))
    #expect(X224ConnectionPDU.readRequest(Array(Self.request.prefix(12))) == .needMore)
    let cookie = Array("Cookie: mstshash=lab\r\n".utf8)
    var withCookie = Array(Self.request.prefix(11)) + cookie + Array(Self.request.suffix(8))
    withCookie[3] = UInt8(withCookie.count)
    withCookie[4] = UInt8(withCookie.count - 5)
    #expect(
      X224ConnectionPDU.readRequest(withCookie)
        == .request(.init(requestedProtocols: [.tls, .hybrid]), length: withCookie.count))
    let bare: [UInt8] = [0x03, 0x00, 0x00, 0x0B, 0x06, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00]
    #expect(X224ConnectionPDU.readRequest(bare) == .request(.init(requestedProtocols: nil), length: 11))
  }

  @Test func dropsWhatIsNotAConnectionRequest() {
    #expect(X224ConnectionPDU.readRequest(Array("GET / HTTP/1.1\r\n".utf8)) == .malformed)
    var wrongIndicator = Self.request
    wrongIndicator[4] = 0x0D
    #expect(X224ConnectionPDU.readRequest(wrongIndicator) == .malformed)
    var notCR = Self.request
    notCR[5] = 0xD0
    #expect(X224ConnectionPDU.readRequest(notCR) == .malformed)
    #expect(X224ConnectionPDU.readRequest([0x03, 0x00, 0x00, 0x08]) == .malformed)
    #expect(X224ConnectionPDU.readRequest([0x03, 0x00, 0x10, 0x00]) == .malformed)
  }

  @Test func writesTheConnectionConfirm() {
    let selected = X224ConnectionPDU.confirm(.selected(2))
    #expect(selected.count == 19)
    #expect(Array(selected.prefix(6)) == [0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0])
    #expect(Array(selected[11...]) == [0x02, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00])
    let failure = X224ConnectionPDU.confirm(.failure(.hybridRequiredByServer))
    #expect(Array(failure[11...]) == [0x03, 0x00, 0x08, 0x00, 0x05, 0x00, 0x00, 0x00])
  }
}
