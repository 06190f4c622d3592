import Testing

@testable import RDPProbe

@Suite struct ConnectionRequestTests {
  static let prefix: [UInt8] = [0x03, 0x00, 0x00, 0x13, 0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00]

  static let requests: [(RequestedProtocols, UInt8)] = [
    (.standardRDP, 0x00), (.tls, 0x01), ([.tls, .credSSP], 0x03), ([.tls, .credSSP, .credSSPWithEarlyAuth], 0x0B),
  ]

  @Test(arguments: requests)
  func nineteenBytesWithoutCookie(protocols: RequestedProtocols, value: UInt8) {
    #expect(
      ConnectionRequest.bytes(requesting: protocols) == Self.prefix + [0x01, 0x00, 0x08, 0x00, value, 0x00, 0x00, 0x00])
  }

  @Test(arguments: requests)
  func cookieGrowsBothLengths(protocols: RequestedProtocols, value: UInt8) {
    let cookie = Array("Cookie: mstshash=audit\r\n".utf8)
    let total = 19 + cookie.count
    let expected: [UInt8] =
      [0x03, 0x00, 0x00, UInt8(total), UInt8(total - 5), 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00] + cookie
      + [0x01, 0x00, 0x08, 0x00, value, 0x00, 0x00, 0x00]
    #expect(ConnectionRequest.bytes(requesting: protocols, cookie: "audit") == expected)
  }

  @Test func cookieNameIsSanitizedAndBounded() {
    let sent = ConnectionRequest.bytes(requesting: .tls, cookie: "ad\r\nmin é\u{0}x")
    #expect(Array(sent[11..<(sent.count - 8)]) == Array("Cookie: mstshash=adminx\r\n".utf8))

    let long = ConnectionRequest.bytes(requesting: .tls, cookie: String(repeating: "a", count: 1000))
    #expect(long.count == 19 + "Cookie: mstshash=".utf8.count + 64 + 2)
    #expect(Int(long[2]) << 8 | Int(long[3]) == long.count)
    #expect(Int(long[4]) == long.count - 5)
  }

  @Test func emptyCookieNameSendsNoCookie() {
    #expect(ConnectionRequest.bytes(requesting: .tls, cookie: "\r\n ") == ConnectionRequest.bytes(requesting: .tls))
    #expect(ConnectionRequest.bytes(requesting: .tls, cookie: "").count == 19)
  }
}
