import Foundation
import Testing
import WinAudit
import WinLab

/// `winaudit explain 0x904 --extended 0x7` against lab hosts behind real sshd servers and their RDP listener doubles:
/// the broken hosts get their causes confirmed, inside and on the wire, the healthy host none, each host with one
/// connection and one powershell.exe.
@Suite(.serialized) struct ExplainFleetTests {
  static let hosts = [
    "healthy-2019", "machinekeys-acl-broken", "custom-cert-key-admin-only", "nla-off",
    "nla-off-on-wire-securitylayer-rdp",
  ]

  /// The causes each host must confirm for 0x904 / ext 0x7.
  static let expectedConfirmed: [String: Set<String>] = [
    "healthy-2019": [],
    // Failure 3 on the wire: the listener has no usable certificate.
    "machinekeys-acl-broken": ["machinekeys-acl", "listener-certificate-valid", "rdp-wire-tls-available"],
    "custom-cert-key-admin-only": ["listener-certificate-valid", "rdp-wire-tls-available"],
    "nla-off": ["nla-required"],
    // UserAuthentication 1 under SecurityLayer 0: the wire accepts standard RDP security without NLA.
    "nla-off-on-wire-securitylayer-rdp": ["nla-required", "security-layer", "nla-enforced-on-wire"],
  ]

  @Test func theBrokenHostsConfirmTheirCausesAndTheHealthyHostNone() async throws {
    let fleet = try FleetHarness(hosts: Self.hosts, addressPrefix: "127.0.47", port: 2247)
    defer { fleet.stop() }
    let playbook = try Playbook.builtIn
    let explainer = Explainer(playbook: playbook, catalogue: try RemediationCatalogue.builtIn(for: playbook))
    let offline = explainer.explain(try ExplainQuery(code: "0x904", extended: "0x7"))
    let connector = SSHHostConnector(
      settings: ConnectionSettings(
        useAgent: false, knownHosts: fleet.lab.knownHosts.path, connectTimeout: .seconds(60)))
    let explanation = await explainer.check(
      offline, hosts: try fleet.inventoryHosts(), connector: connector,
      fixCommand: FixCommandLine(inventory: fleet.lab.inventory.path), prober: RDPWireProber(timeout: 10))
    let hosts = try #require(explanation.hosts)
    #expect(Set(hosts.map(\.name)) == Set(Self.hosts))
    for host in hosts {
      #expect(host.error == nil, "\(host.name): \(host.error ?? "")")
      #expect(!host.incomplete, "\(host.name) was not fully audited")
      let confirmed = Set(host.confirmed.map(\.controlID))
      #expect(confirmed == Self.expectedConfirmed[host.name], "\(host.name) confirms \(confirmed.sorted())")
      for verdict in host.confirmed {
        // What the wire shows is fixed through the inside controls: those have no fix of their own.
        if ["rdp-wire-tls-available", "nla-enforced-on-wire"].contains(verdict.controlID) {
          #expect(verdict.fixCommand == nil)
        } else {
          #expect(verdict.fixCommand?.contains("--limit \(host.name) --only \(verdict.controlID) --apply") == true)
        }
      }
      #expect(try fleet.processStarts(host.name) == 1, "\(host.name) started more than one powershell.exe")
    }
    #expect(ExitStatus.of(explanation) == 1)
  }

  @Test func theCommandLinePrintsVerdictsAndExitsOneAndRefusesBadCodesWithTwo() throws {
    let fleet = try FleetHarness(
      hosts: ["healthy-2019", "machinekeys-acl-broken"], addressPrefix: "127.0.48", port: 2248)
    defer { fleet.stop() }
    let inventory = fleet.lab.inventory.path
    let text = try FleetHarness.winaudit(["explain", "2308", "--extended", "7", "--inventory", inventory])
    #expect(text.status == 1, "stdout: \(text.out)\nstderr: \(text.err)")
    #expect(text.out.contains("Error code 0x904 (2308): the socket was closed by the far end after connecting."))
    #expect(text.out.contains("healthy-2019 ("))
    #expect(text.out.contains("no candidate cause confirmed"))
    #expect(text.out.contains("machinekeys-acl-broken (") && text.out.contains("3 causes confirmed"))
    #expect(text.out.contains("confirmed  machinekeys-acl: "))

    let json = try FleetHarness.winaudit([
      "explain", "0x904", "--extended", "0x7", "--inventory", inventory, "--limit", "healthy-2019", "--format", "json",
    ])
    #expect(json.status == 0, "stdout: \(json.out)\nstderr: \(json.err)")
    let root = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
    let hosts = try #require(root["hosts"] as? [[String: Any]])
    #expect(hosts.map { $0["name"] as? String } == ["healthy-2019"])
    let verdicts = try #require(hosts.first?["verdicts"] as? [[String: Any]])
    #expect(!verdicts.contains { $0["verdict"] as? String == "confirmed" })

    let before = try fleet.processStarts("healthy-2019")
    let bad = try FleetHarness.winaudit(["explain", "0x90g", "--inventory", inventory])
    #expect(bad.status == 2)
    #expect(bad.err.contains("'0x90g' is not an error code"), "stderr: \(bad.err)")
    #expect(try fleet.processStarts("healthy-2019") == before)
  }
}
