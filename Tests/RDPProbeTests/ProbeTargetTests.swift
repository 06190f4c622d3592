import Testing

@testable import RDPProbe

@Suite struct ProbeTargetTests {
  @Test(arguments: [
    ("10.0.0.5", 3389, "10.0.0.5:3389"), ("host.example", 3390, "host.example:3390"), ("::1", 3389, "[::1]:3389"),
    ("[fe80::1]", 3389, "[fe80::1]:3389"),
  ])
  func description(host: String, port: Int, expected: String) {
    #expect(ProbeTarget(host: host, port: port).description == expected)
  }

  @Test func defaultsAreFiveSeconds() {
    let options = ProbeOptions()
    #expect(options.connectTimeout == .seconds(5))
    #expect(options.answerTimeout == .seconds(5))
    #expect(options.handshakeTimeout == .seconds(5))
  }

  @Test func requestedProtocolValues() {
    #expect(RequestedProtocols.standardRDP.rawValue == 0)
    #expect(RequestedProtocols.tls.rawValue == 1)
    #expect(RequestedProtocols.credSSP.rawValue == 2)
    #expect(RequestedProtocols.rdstls.rawValue == 4)
    #expect(RequestedProtocols.credSSPWithEarlyAuth.rawValue == 8)
  }

  @Test func outcomeAnswered() {
    #expect(NegotiationOutcome.answered(.legacy).answered)
    #expect(!NegotiationOutcome.refused.answered)
    #expect(!NegotiationOutcome.timedOut(.answer).answered)
    #expect(!NegotiationOutcome.malformed(MalformedAnswer(reason: "x")).answered)
  }
}
