import Foundation
import RDPProbe
import Testing

@testable import WinAudit

/// The outside-in probe as the audit reads it: what the answers say, and the controls that reconcile them with what
/// the host says about itself.
@Suite("RDP wire")
struct WireTests {
  func findings(_ facts: [String: FactValue]) -> [String: Finding] {
    let document = Fixtures.document(facts)
    let list = DiffEngine.findings(playbook: Fixtures.baseline, facts: document, host: Fixtures.host, now: Fixtures.now)
    return Dictionary(uniqueKeysWithValues: list.map { ($0.controlID, $0) })
  }

  func reading(_ result: ProbeResult) -> WireReading { WireReading(result, timeouts: ProbeOptions()) }

  @Test func readingsOfTheAnswers() {
    // NLA required: failure 5 to standard RDP and to TLS, CredSSP selected.
    var read = reading(Fixtures.probe())
    #expect(read.answered && read.nlaEnforced == true && read.standardRDPAccepted == false && read.tlsAvailable == true)
    // TLS without NLA (SecurityLayer 1 or 2, UserAuthentication 0): TLS selected.
    read = reading(
      Fixtures.probe(standardRDP: .answered(.failure(code: 1)), tls: .answered(.selected(protocol: 1, flags: 0))))
    #expect(read.nlaEnforced == false && read.standardRDPAccepted == false)
    // Standard RDP only (SecurityLayer 0): failure 2 to TLS and CredSSP, no certificate.
    read = reading(
      Fixtures.probe(
        standardRDP: .answered(.selected(protocol: 0, flags: 0)), tls: .answered(.failure(code: 2)),
        credSSP: .answered(.failure(code: 2)), certificate: nil))
    #expect(read.nlaEnforced == false && read.standardRDPAccepted == true && read.tlsAvailable == nil)
    // A legacy server that ignores negotiation.
    read = reading(
      Fixtures.probe(
        standardRDP: .answered(.legacy), tls: .answered(.legacy), credSSP: .answered(.legacy), certificate: nil))
    #expect(read.standardRDPAccepted == true && read.nlaEnforced == false)
    // No usable certificate: failure 3.
    read = reading(
      Fixtures.probe(tls: .answered(.failure(code: 5)), credSSP: .answered(.failure(code: 3)), certificate: nil))
    #expect(read.tlsAvailable == false && read.nlaEnforced == true)
    // A handshake that fails after the selection.
    read = reading(Fixtures.probe(certificate: .handshakeFailed("alert 40")))
    #expect(read.tlsAvailable == false && read.tlsProblem?.contains("alert 40") == true)
    // Nothing answers.
    read = reading(Fixtures.probe(standardRDP: .refused, tls: .refused, credSSP: .refused, certificate: nil))
    #expect(!read.answered && read.nlaEnforced == nil && read.silence?.contains("refused") == true)
    // Answers that decide nothing stay unknown.
    read = reading(Fixtures.probe(standardRDP: .timedOut(.answer), tls: .answered(.failure(code: 4))))
    #expect(read.nlaEnforced == nil && read.standardRDPAccepted == nil)
  }

  @Test func aHealthyListenerPassesEveryWireControl() {
    let results = findings(Fixtures.healthy)
    for id in [
      "rdp-answers-from-here", "rdp-not-blocked-between", "nla-enforced-on-wire", "rdp-wire-tls-available",
      "rdp-wire-certificate-matches", "rdp-wire-certificate-validity",
    ] {
      #expect(results[id]?.status == .pass, "\(id): \(results[id]?.message ?? "")")
    }
    // SecurityLayer 1 here: the standard-RDP check applies to SecurityLayer 2 only.
    #expect(results["standard-rdp-refused-on-wire"]?.status == .skipped)
  }

  @Test func insideReachableButSilentOutsideIsBlockedBetween() {
    var facts = Fixtures.healthy
    facts["rdpWire"] = Fixtures.wire(
      Fixtures.probe(
        standardRDP: .timedOut(.connect), tls: .timedOut(.connect), credSSP: .timedOut(.connect), certificate: nil))
    let results = findings(facts)
    #expect(results["rdp-answers-from-here"]?.status == .drift)
    #expect(results["rdp-not-blocked-between"]?.status == .drift)
    #expect(results["rdp-not-blocked-between"]?.message?.contains("no answer to the connection within 5 s") == true)
    // The other wire controls need an answer; they do not pile on.
    #expect(results["nla-enforced-on-wire"]?.status == .skipped)
    #expect(results["rdp-wire-tls-available"]?.status == .skipped)
  }

  @Test func aHostThatDoesNotListenIsNotBlockedBetween() {
    var facts = Fixtures.healthy
    facts["rdpWire"] = Fixtures.wire(
      Fixtures.probe(standardRDP: .refused, tls: .refused, credSSP: .refused, certificate: nil))
    facts["rdpListener"] = .object([.init("port", .int(3389)), .init("listeners", .array([]))])
    let results = findings(facts)
    #expect(results["rdp-answers-from-here"]?.status == .drift)
    #expect(results["rdp-not-blocked-between"]?.status == .skipped)
  }

  @Test func nlaRequiredInsideButNotOnTheWire() {
    var facts = Fixtures.healthy
    facts["rdpWire"] = Fixtures.wire(
      Fixtures.probe(standardRDP: .answered(.failure(code: 1)), tls: .answered(.selected(protocol: 1, flags: 0))))
    let finding = findings(facts)["nla-enforced-on-wire"]
    #expect(finding?.status == .drift)
    #expect(finding?.message?.contains("asked for TLS: selected TLS") == true)
  }

  @Test func nlaOffInsideDoesNotAskTheWire() {
    var facts = Fixtures.healthy
    facts["nla"] = Fixtures.registry(.int(0))
    facts["rdpWire"] = Fixtures.wire(
      Fixtures.probe(standardRDP: .answered(.failure(code: 1)), tls: .answered(.selected(protocol: 1, flags: 0))))
    let results = findings(facts)
    #expect(results["nla-required"]?.status == .drift)
    #expect(results["nla-enforced-on-wire"]?.status == .skipped)
  }

  @Test func answersThatDoNotTellAreAnErrorNotAVerdict() {
    var facts = Fixtures.healthy
    facts["rdpWire"] = Fixtures.wire(
      Fixtures.probe(standardRDP: .timedOut(.answer), tls: .answered(.failure(code: 4))))
    #expect(findings(facts)["nla-enforced-on-wire"]?.status == .error)
  }

  @Test func noUsableCertificateOnTheWire() {
    var facts = Fixtures.healthy
    facts["rdpWire"] = Fixtures.wire(Fixtures.probe(credSSP: .answered(.failure(code: 3)), certificate: nil))
    let results = findings(facts)
    #expect(results["rdp-wire-tls-available"]?.status == .drift)
    #expect(results["rdp-wire-tls-available"]?.message?.contains("failure 3") == true)
    #expect(results["rdp-wire-certificate-matches"]?.status == .skipped)
  }

  @Test func aDifferentCertificateOnTheWire() {
    var facts = Fixtures.healthy
    var other = Fixtures.wireCertificate
    other.sha1Thumbprint = "00112233445566778899AABBCCDDEEFF00112233"
    other.subject = "CN=proxy.example.net"
    facts["rdpWire"] = Fixtures.wire(Fixtures.probe(certificate: .certificate(other)))
    let finding = findings(facts)["rdp-wire-certificate-matches"]
    #expect(finding?.status == .drift)
    #expect(finding?.actual == "00112233445566778899AABBCCDDEEFF00112233")
  }

  @Test func anExpiringWireCertificate() {
    var facts = Fixtures.healthy
    var soon = Fixtures.wireCertificate
    soon.notAfter = Fixtures.now.addingTimeInterval(3 * 86_400)
    facts["rdpWire"] = Fixtures.wire(Fixtures.probe(certificate: .certificate(soon)))
    #expect(findings(facts)["rdp-wire-certificate-validity"]?.status == .drift)
  }

  @Test func withoutTheProbeTheWireControlsAreSkipped() {
    var facts = Fixtures.healthy
    facts["rdpWire"] = nil
    let results = findings(facts)
    #expect(results["rdp-answers-from-here"]?.status == .skipped)
    #expect(results["rdp-answers-from-here"]?.message?.contains("probe did not run") == true)
  }

  @Test func theControlsTheWireAloneDecides() {
    #expect(
      Fixtures.baseline.wireOnlyControls == [
        "rdp-answers-from-here", "rdp-wire-tls-available", "rdp-wire-certificate-validity",
      ])
    #expect(!Fixtures.baseline.collectorScript.text.contains("rdpWire"))
    #expect(Fixtures.baseline.wireFacts.map(\.id) == ["rdpWire"])
  }

  @Test func targetsAsWritten() throws {
    #expect(try WireScan.target("10.0.0.5") == ProbeTarget(host: "10.0.0.5", port: 3389))
    #expect(try WireScan.target("web-01:3390") == ProbeTarget(host: "web-01", port: 3390))
    #expect(try WireScan.target("[fe80::1]:3391") == ProbeTarget(host: "fe80::1", port: 3391))
    #expect(try WireScan.target("fe80::1") == ProbeTarget(host: "fe80::1", port: 3389))
    for bad in ["", "host:0", "host:70000", "host:x", "[::1", "a b", "host;rm"] {
      #expect(throws: UsageError.self) { try WireScan.target(bad) }
    }
  }
}

/// A prober that answers from a table, by port.
struct FakeProber: WireProber {
  var options = ProbeOptions()
  var answers: @Sendable (ProbeTarget) -> ProbeResult

  func probe(_ target: ProbeTarget) async -> ProbeResult { answers(target) }
}

@Suite("Auditor with the wire probe")
struct AuditorWireTests {
  @Test func aHostWhoseSSHFailsIsStillJudgedFromTheOutside() async {
    let prober = FakeProber { _ in
      Fixtures.probe(credSSP: .answered(.failure(code: 3)), certificate: nil)
    }
    let auditor = Auditor(
      connector: SampleFleet.connector, playbook: Fixtures.baseline, concurrency: 2, now: { Fixtures.now },
      prober: prober)
    let offline = SampleFleet.hosts.first { $0.name == "offline" }!
    let report = await auditor.audit(hosts: [offline])
    let audit = report.hosts[0]
    #expect(audit.status == .unreachable)
    #expect(audit.outsideOnly)
    #expect(
      audit.findings.map(\.controlID) == [
        "rdp-answers-from-here", "rdp-wire-tls-available", "rdp-wire-certificate-validity",
      ])
    #expect(audit.findings.first { $0.controlID == "rdp-wire-tls-available" }?.status == .drift)
    let text = ReportFormat.text.render(report, showAll: true)
    #expect(text.contains("seen from the outside"))
    #expect(ReportFormat.junit.render(report).contains("name=\"audit\""))
  }

  @Test func whatTheHostSaysAboutTheWireIsIgnored() async {
    // The healthy host's collector output carries an rdpWire fact of its own; the probe says nothing answers.
    let prober = FakeProber { target in
      #expect(target.port == 3389)
      return Fixtures.probe(standardRDP: .refused, tls: .refused, credSSP: .refused, certificate: nil)
    }
    let auditor = Auditor(
      connector: SampleFleet.connector, playbook: Fixtures.baseline, concurrency: 2, now: { Fixtures.now },
      prober: prober)
    let healthy = SampleFleet.hosts.first { $0.name == "healthy-2019" }!
    let audit = await auditor.audit(hosts: [healthy]).hosts[0]
    #expect(audit.findings.first { $0.controlID == "rdp-answers-from-here" }?.status == .drift)
    #expect(audit.findings.first { $0.controlID == "rdp-not-blocked-between" }?.status == .drift)
  }

  @Test func theProbeUsesThePortTheHostReports() async {
    let prober = FakeProber { target in
      #expect(target.port == 3390)
      return Fixtures.probe()
    }
    let auditor = Auditor(
      connector: SampleFleet.connector, playbook: Fixtures.baseline, concurrency: 2, now: { Fixtures.now },
      prober: prober)
    let host = SampleFleet.hosts.first { $0.name == "firewall-2022" }!
    _ = await auditor.audit(hosts: [host])
  }
}
