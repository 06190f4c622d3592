import Testing

@testable import RDPProbe

/// Probes of scripted healthy listeners over real sockets on 127.0.0.1.
@Suite struct ProbeTests {
  /// Generous: the machine running the tests may be loaded; nothing here waits for a timeout.
  static let prober = RDPProber(
    options: ProbeOptions(connectTimeout: .seconds(20), answerTimeout: .seconds(20), handshakeTimeout: .seconds(20)))

  static var expectedCertificate: WireCertificate {
    get throws { try WireCertificate(der: TestIdentity.shared.der) }
  }

  @Test func nlaRequiredServer() async throws {
    let server = try await TestRDPServer.start(
      [
        0: .answer(WireBytes.failure(5)), 1: .answer(WireBytes.failure(5)),
        3: .answerThenTLS(WireBytes.selected(2, flags: 0x08)),
      ])
    defer { server.stop() }
    let result = await Self.prober.probe(server.target)
    #expect(result.target == server.target)
    #expect(result.standardRDP == .answered(.failure(code: 5)))
    #expect(result.tls == .answered(.failure(code: 5)))
    #expect(result.credSSP == .answered(.selected(protocol: 2, flags: 0x08)))
    #expect(result.certificate == .certificate(try Self.expectedCertificate))
    #expect(result.answered)
  }

  @Test func tlsWithoutNLAServer() async throws {
    let server = try await TestRDPServer.start(
      [
        0: .answer(WireBytes.selected(0)), 1: .answerThenTLS(WireBytes.selected(1)),
        3: .answerThenTLS(WireBytes.selected(2)),
      ])
    defer { server.stop() }
    let result = await Self.prober.probe(server.target)
    #expect(result.standardRDP == .answered(.selected(protocol: 0, flags: 0)))
    #expect(result.tls == .answered(.selected(protocol: 1, flags: 0)))
    #expect(result.credSSP == .answered(.selected(protocol: 2, flags: 0)))
    #expect(result.certificate == .certificate(try Self.expectedCertificate))
  }

  @Test func standardRDPOnlyServer() async throws {
    let server = try await TestRDPServer.start(
      [0: .answer(WireBytes.selected(0)), 1: .answer(WireBytes.failure(2)), 3: .answer(WireBytes.failure(2))])
    defer { server.stop() }
    let result = await Self.prober.probe(server.target)
    #expect(result.standardRDP == .answered(.selected(protocol: 0, flags: 0)))
    #expect(result.tls == .answered(.failure(code: 2)))
    #expect(result.credSSP == .answered(.failure(code: 2)))
    #expect(result.certificate == nil)
    #expect(result.answered)
  }

  @Test func serverWithoutCertificate() async throws {
    let server = try await TestRDPServer.start(
      [0: .answer(WireBytes.failure(1)), 1: .answer(WireBytes.failure(3)), 3: .answer(WireBytes.failure(3))])
    defer { server.stop() }
    let result = await Self.prober.probe(server.target)
    #expect(result.standardRDP == .answered(.failure(code: 1)))
    #expect(result.tls == .answered(.failure(code: 3)))
    #expect(result.credSSP == .answered(.failure(code: 3)))
    #expect(result.certificate == nil)
  }

  @Test func legacyServer() async throws {
    let server = try await TestRDPServer.start([:], otherwise: .answer(WireBytes.legacy))
    defer { server.stop() }
    let result = await Self.prober.probe(server.target)
    #expect(result.standardRDP == .answered(.legacy))
    #expect(result.tls == .answered(.legacy))
    #expect(result.credSSP == .answered(.legacy))
    #expect(result.certificate == nil)
    #expect(result.answered)
  }

  @Test func refusedPortSkipsTheOtherConnections() async throws {
    // An address no test binds (a port freed on 127.0.0.1 could be taken again by another test running meanwhile).
    let target = ProbeTarget(host: "127.0.77.1", port: 3389)
    let result = await Self.prober.probe(target)
    #expect(result.standardRDP == .refused)
    #expect(result.tls == .refused)
    #expect(result.credSSP == .refused)
    #expect(result.certificate == nil)
    #expect(!result.answered)
  }

  @Test func negotiateWithoutHandshakeLeavesTheCertificateAlone() async throws {
    let server = try await TestRDPServer.start([1: .answerThenTLS(WireBytes.selected(1))])
    defer { server.stop() }
    let (outcome, certificate) = await Self.prober.negotiate(server.target, requesting: .tls, handshake: false)
    #expect(outcome == .answered(.selected(protocol: 1, flags: 0)))
    #expect(certificate == nil)
  }

  @Test func negotiateWithHandshakeReadsTheCertificate() async throws {
    let server = try await TestRDPServer.start([1: .answerThenTLS(WireBytes.selected(1))])
    defer { server.stop() }
    let (outcome, certificate) = await Self.prober.negotiate(server.target, requesting: .tls, handshake: true)
    #expect(outcome == .answered(.selected(protocol: 1, flags: 0)))
    #expect(certificate == .certificate(try Self.expectedCertificate))
  }

  @Test func oldListenerSpeakingOnlyTLS10StillShowsItsCertificate() async throws {
    let server = try await TestRDPServer.start([1: .answerThenTLS10(WireBytes.selected(1))])
    defer { server.stop() }
    let (outcome, certificate) = await Self.prober.negotiate(server.target, requesting: .tls, handshake: true)
    #expect(outcome == .answered(.selected(protocol: 1, flags: 0)))
    #expect(certificate == .certificate(try Self.expectedCertificate))
  }

  /// A name (sent in SNI) that resolves to ::1 and 127.0.0.1: Happy Eyeballs may try both, and only the connection
  /// it keeps may ask and answer.
  @Test func hostNameConnectsThroughTheResolver() async throws {
    let server = try await TestRDPServer.start(
      [0: .answer(WireBytes.failure(5)), 1: .answer(WireBytes.failure(5)), 3: .answerThenTLS(WireBytes.selected(2))])
    defer { server.stop() }
    let result = await Self.prober.probe(ProbeTarget(host: "localhost", port: server.port))
    #expect(result.standardRDP == .answered(.failure(code: 5)))
    #expect(result.credSSP == .answered(.selected(protocol: 2, flags: 0)))
    #expect(result.certificate == .certificate(try Self.expectedCertificate))
  }

  @Test func emptyHostFailsAllThreeWithoutConnecting() async {
    let result = await Self.prober.probe(ProbeTarget(host: "", port: 3389))
    #expect(result.standardRDP == .failed("no host name or address"))
    #expect(result.tls == result.standardRDP)
    #expect(result.credSSP == result.standardRDP)
    #expect(result.certificate == nil)
  }

  @Test func outOfRangePortFailsWithoutConnecting() async {
    let (outcome, certificate) = await Self.prober.negotiate(
      ProbeTarget(host: "127.0.0.1", port: 70_000), requesting: .tls, handshake: true)
    #expect(outcome == .failed("port 70000 is out of range"))
    #expect(certificate == nil)
  }
}
