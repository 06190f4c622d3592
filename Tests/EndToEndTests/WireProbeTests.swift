import Foundation
import RDPProbe
import Testing
import WinAudit
import WinLab

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The outside-in probe end to end: the real RDPProbe client against the lab's RDP listener doubles (real TLS with
/// certificates the lab minted), next to a host whose SSH is down and a hostile listener.
@Suite(.serialized) struct WireProbeTests {
  @Test func theWireCertificateOfAHealthyHostIsTheOneItConfigures() async throws {
    let fleet = try FleetHarness(hosts: ["healthy-2019", "custom-cert-cng"], addressPrefix: "127.0.26", port: 2226)
    defer { fleet.stop() }
    for name in ["healthy-2019", "custom-cert-cng"] {
      let server = try #require(fleet.lab.server(name))
      let state = try HostState.load(from: server.host.stateFile)
      let configured = try #require(state.listenerCertificate?.thumbprint)
      let result = await RDPProber(options: ProbeOptions(connectTimeout: .seconds(20), answerTimeout: .seconds(20)))
        .probe(ProbeTarget(host: server.address, port: 3389))
      let log =
        (try? String(contentsOf: fleet.lab.directoryURL.appendingPathComponent("rdp-listen.log"), encoding: .utf8))
      #expect(result.standardRDP == .answered(.failure(code: 5)), "\(name): \(result)\nrdp-listen.log:\n\(log ?? "-")")
      guard case .certificate(let presented)? = result.certificate else {
        Issue.record("\(name): no certificate: \(String(describing: result.certificate))")
        continue
      }
      #expect(presented.sha1Thumbprint == configured, "\(name)")
    }
  }

  /// A host whose sshd is down is still judged from the outside; a listener that accepts and never answers gives a
  /// finding within the probe's timeout; the other hosts are audited as usual.
  @Test func aHostWithoutSSHAndAHostileListenerNextToHealthyHosts() async throws {
    let fleet = try FleetHarness(hosts: ["healthy-2019", "healthy-2022"], addressPrefix: "127.0.27", port: 2227)
    defer { fleet.stop() }
    // healthy-2022's sshd stops; its RDP listener double goes on answering.
    let down = try #require(fleet.lab.server("healthy-2022"))
    kill(down.pid, SIGTERM)
    // A "host" whose port 3389 accepts connections and never answers, and where no sshd listens.
    let octet = FleetHarness.runOctet
    let staller = try TCPStub(address: "127.\(octet).28.1", port: 3389, greeting: nil)
    defer { staller.stop() }
    var hosts = try fleet.inventoryHosts()
    var hostile = hosts[0]
    hostile.name = "hostile-listener"
    hostile.address = "127.\(octet).28.1"
    hosts.append(hostile)

    let connector = SSHHostConnector(
      settings: ConnectionSettings(
        useAgent: false, knownHosts: fleet.lab.knownHosts.path, connectTimeout: .seconds(30)))
    let auditor = Auditor(
      connector: connector, playbook: try Playbook.builtIn, prober: RDPWireProber(timeout: 5))
    let report = await auditor.audit(hosts: hosts)
    let byName = Dictionary(uniqueKeysWithValues: report.hosts.map { ($0.name, $0) })

    let healthy = try #require(byName["healthy-2019"])
    #expect(healthy.status == .compliant, "\(healthy.findings.filter { $0.status != .pass })")

    let sshDown = try #require(byName["healthy-2022"])
    #expect(sshDown.status == .unreachable)
    #expect(sshDown.outsideOnly)
    #expect(
      sshDown.findings.map(\.controlID) == [
        "rdp-answers-from-here", "rdp-wire-tls-available", "rdp-wire-certificate-validity",
      ])
    #expect(sshDown.findings.allSatisfy { $0.status == .pass }, "\(sshDown.findings)")

    let stalled = try #require(byName["hostile-listener"])
    #expect(stalled.status == .unreachable)
    let answers = try #require(stalled.findings.first { $0.controlID == "rdp-answers-from-here" })
    #expect(answers.status == .drift)
    #expect(answers.message?.contains("no RDP answer came within 5 s") == true, "\(answers.message ?? "")")
  }

  /// `winaudit probe` like a scanner: what a healthy listener and a blocked one answer, in text and JSON.
  @Test func theProbeCommand() throws {
    let fleet = try FleetHarness(
      hosts: ["healthy-2019", "rdp-network-blocked", "nla-off"], addressPrefix: "127.0.25", port: 2225)
    defer { fleet.stop() }
    let healthy = try #require(fleet.lab.server("healthy-2019"))
    let state = try HostState.load(from: healthy.host.stateFile)
    let thumbprint = try #require(state.listenerCertificate?.thumbprint)
    let nlaOff = try #require(fleet.lab.server("nla-off"))

    let text = try FleetHarness.winaudit(["probe", healthy.address, nlaOff.address + ":3389"])
    #expect(text.status == 0, "\(text.out)\n\(text.err)")
    #expect(text.out.contains("asked for TLS:            refused with failure 5"), "\(text.out)")
    #expect(text.out.contains("  SHA-1 thumbprint:       \(thumbprint)"), "\(text.out)")
    // nla-off accepts TLS without NLA.
    #expect(text.out.contains("NLA enforced:             no"), "\(text.out)")
    #expect(text.out.contains("2 targets: 2 answered"))

    let blocked = try #require(fleet.lab.server("rdp-network-blocked"))
    let json = try FleetHarness.winaudit(["probe", blocked.address, "--probe-timeout", "3", "--format", "json"])
    #expect(json.status == 4, "\(json.out)\n\(json.err)")
    let root = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
    let targets = try #require(root["targets"] as? [[String: Any]])
    #expect(targets.first?["answered"] as? Bool == false)
    #expect((targets.first?["silence"] as? String)?.contains("no answer to the connection within 3 s") == true)

    let bad = try FleetHarness.winaudit(["probe", "host:99999"])
    #expect(bad.status == 2)
  }
}
