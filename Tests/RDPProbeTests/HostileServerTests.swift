import NIOCore
import Testing

@testable import RDPProbe

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Listeners that misbehave: the probe must end with the right outcome, never hang, trap or buffer without bound.
/// Timeouts that a test waits for are short (1-2 s) but only the outcome's kind is asserted, never the elapsed time.
@Suite struct HostileServerTests {
  static let patient = ProbeOptions(
    connectTimeout: .seconds(20), answerTimeout: .seconds(20), handshakeTimeout: .seconds(20))
  /// Short only where the server stalls, so a slow healthy phase on a loaded machine cannot end early.
  static let impatientAnswer = ProbeOptions(
    connectTimeout: .seconds(20), answerTimeout: .seconds(1), handshakeTimeout: .seconds(20))
  static let impatientHandshake = ProbeOptions(
    connectTimeout: .seconds(20), answerTimeout: .seconds(20), handshakeTimeout: .seconds(1))

  @Test func garbageIsMalformed() async throws {
    let server = try await TestRDPServer.start([:], otherwise: .answer(Array("SSH-2.0-OpenSSH_9.6\r\n".utf8)))
    defer { server.stop() }
    let result = await RDPProber(options: Self.patient).probe(server.target)
    let expected = NegotiationOutcome.malformed(MalformedAnswer(reason: "TPKT version 0x53 (text 'S', not RDP)"))
    #expect(result.standardRDP == expected)
    #expect(result.tls == expected)
    #expect(result.credSSP == expected)
    #expect(result.certificate == nil)
    #expect(!result.answered)
  }

  @Test func hugeLengthFollowedByEndlessBytesIsMalformedAtOnce() async throws {
    let server = try await TestRDPServer.start([:], otherwise: .flood([0x03, 0x00, 0xFF, 0xFF]))
    defer { server.stop() }
    let (outcome, certificate) = await RDPProber(options: Self.patient).negotiate(
      server.target, requesting: .tls, handshake: true)
    #expect(outcome == .malformed(MalformedAnswer(reason: "TPKT length 65535 exceeds the 512-byte limit")))
    #expect(certificate == nil)
  }

  @Test func validConfirmFollowedByEndlessBytesIsAnswered() async throws {
    let server = try await TestRDPServer.start([:], otherwise: .flood(WireBytes.failure(5)))
    defer { server.stop() }
    let (outcome, _) = await RDPProber(options: Self.patient).negotiate(
      server.target, requesting: .standardRDP, handshake: false)
    #expect(outcome == .answered(.failure(code: 5)))
  }

  @Test func stallAfterAcceptTimesOutTheAnswer() async throws {
    let server = try await TestRDPServer.start(.stall)
    defer { server.stop() }
    let result = await RDPProber(options: Self.impatientAnswer).probe(server.target)
    #expect(result.standardRDP == .timedOut(.answer))
    #expect(result.tls == .timedOut(.answer))
    #expect(result.credSSP == .timedOut(.answer))
    #expect(result.certificate == nil)
  }

  @Test func partialAnswerThenStallTimesOutTheAnswer() async throws {
    let server = try await TestRDPServer.start([:], otherwise: .answer(Array(WireBytes.failure(5).prefix(7))))
    defer { server.stop() }
    let (outcome, _) = await RDPProber(options: Self.impatientAnswer).negotiate(
      server.target, requesting: .standardRDP, handshake: false)
    #expect(outcome == .timedOut(.answer))
  }

  @Test func stallDuringTheHandshakeTimesOutTheCertificate() async throws {
    let server = try await TestRDPServer.start(
      [0: .answer(WireBytes.failure(1)), 1: .answer(WireBytes.selected(1)), 3: .answer(WireBytes.selected(2))])
    defer { server.stop() }
    let result = await RDPProber(options: Self.impatientHandshake).probe(server.target)
    #expect(result.standardRDP == .answered(.failure(code: 1)))
    #expect(result.tls == .answered(.selected(protocol: 1, flags: 0)))
    #expect(result.credSSP == .answered(.selected(protocol: 2, flags: 0)))
    #expect(result.certificate == .timedOut)
  }

  @Test func garbageInsteadOfTLSFailsTheHandshake() async throws {
    let server = try await TestRDPServer.start(
      [1: .flood(WireBytes.selected(1))])
    defer { server.stop() }
    let (outcome, certificate) = await RDPProber(options: Self.patient).negotiate(
      server.target, requesting: .tls, handshake: true)
    #expect(outcome == .answered(.selected(protocol: 1, flags: 0)))
    guard case .handshakeFailed = certificate else {
      Issue.record("expected a failed handshake, got \(String(describing: certificate))")
      return
    }
  }

  /// BoringSSL bounds the certificate message (100 KB by default): a huge certificate ends the handshake instead
  /// of being buffered.
  @Test func hugeCertificateFailsTheHandshake() async throws {
    #expect(TestIdentity.huge.der.count > 200_000)
    let server = try await TestRDPServer.start([1: .answerThenHugeCertificate(WireBytes.selected(1))])
    defer { server.stop() }
    let (outcome, certificate) = await RDPProber(options: Self.patient).negotiate(
      server.target, requesting: .tls, handshake: true)
    #expect(outcome == .answered(.selected(protocol: 1, flags: 0)))
    guard case .handshakeFailed = certificate else {
      Issue.record("expected a failed handshake, got \(String(describing: certificate))")
      return
    }
  }

  @Test func closeAfterAcceptIsClosedWithoutAnswer() async throws {
    let server = try await TestRDPServer.start(.closeImmediately)
    defer { server.stop() }
    let result = await RDPProber(options: Self.patient).probe(server.target)
    #expect(result.standardRDP == .closedWithoutAnswer)
    #expect(result.tls == .closedWithoutAnswer)
    #expect(result.credSSP == .closedWithoutAnswer)
    #expect(!result.answered)
  }

  @Test func closeAfterTheRequestIsClosedWithoutAnswer() async throws {
    let server = try await TestRDPServer.start([:], otherwise: .close)
    defer { server.stop() }
    let (outcome, _) = await RDPProber(options: Self.patient).negotiate(
      server.target, requesting: .tls, handshake: true)
    #expect(outcome == .closedWithoutAnswer)
  }

  @Test func connectErrorsMapToOutcomes() {
    #expect(RDPProber.outcome(ofConnectError: ChannelError.connectTimeout(.seconds(1))) == .timedOut(.connect))
    #expect(RDPProber.outcome(ofConnectError: IOError(errnoCode: ECONNREFUSED, reason: "connect")) == .refused)
    guard case .failed = RDPProber.outcome(ofConnectError: IOError(errnoCode: ENETUNREACH, reason: "connect")) else {
      Issue.record("an unreachable network is a failure with the system's message")
      return
    }
  }

  /// Hostile and healthy listeners probed at once: none holds up another, each ends with its own outcome.
  @Test func hostileAndHealthyServersConcurrently() async throws {
    let nla = try await TestRDPServer.start(
      [
        0: .answer(WireBytes.failure(5)), 1: .answer(WireBytes.failure(5)),
        3: .answerThenTLS(WireBytes.selected(2)),
      ])
    let standardOnly = try await TestRDPServer.start(
      [0: .answer(WireBytes.selected(0)), 1: .answer(WireBytes.failure(2)), 3: .answer(WireBytes.failure(2))])
    let staller = try await TestRDPServer.start(.stall)
    let flooder = try await TestRDPServer.start([:], otherwise: .flood([0x03, 0x00, 0xFF, 0xFF]))
    let hangUp = try await TestRDPServer.start(.closeImmediately)
    let garbage = try await TestRDPServer.start([:], otherwise: .answer([0x16, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]))
    let servers = [nla, standardOnly, staller, flooder, hangUp, garbage]
    defer { for server in servers { server.stop() } }
    // An address no test binds (a port freed on 127.0.0.1 could be taken again by another test running meanwhile).
    let refusedTarget = ProbeTarget(host: "127.0.77.2", port: 3389)

    let patient = RDPProber(options: Self.patient)
    let impatient = RDPProber(options: Self.impatientAnswer)
    let targets = servers.map(\.target) + [refusedTarget]
    let stallerTarget = staller.target
    let results = await withTaskGroup(of: ProbeResult.self) { group in
      for target in targets {
        let prober = target == stallerTarget ? impatient : patient
        group.addTask { await prober.probe(target) }
      }
      var results: [ProbeTarget: ProbeResult] = [:]
      for await result in group {
        results[result.target] = result
      }
      return results
    }

    #expect(results[nla.target]?.credSSP == .answered(.selected(protocol: 2, flags: 0)))
    #expect(results[nla.target]?.certificate == .certificate(try WireCertificate(der: TestIdentity.shared.der)))
    #expect(results[standardOnly.target]?.standardRDP == .answered(.selected(protocol: 0, flags: 0)))
    #expect(results[standardOnly.target]?.tls == .answered(.failure(code: 2)))
    #expect(results[staller.target]?.standardRDP == .timedOut(.answer))
    #expect(results[staller.target]?.credSSP == .timedOut(.answer))
    #expect(
      results[flooder.target]?.tls
        == .malformed(MalformedAnswer(reason: "TPKT length 65535 exceeds the 512-byte limit")))
    #expect(results[hangUp.target]?.tls == .closedWithoutAnswer)
    #expect(
      results[garbage.target]?.standardRDP
        == .malformed(MalformedAnswer(reason: "TPKT version 0x16 (a TLS record, not RDP)")))
    #expect(results[refusedTarget]?.credSSP == .refused)
    #expect(results.count == targets.count)
  }
}
