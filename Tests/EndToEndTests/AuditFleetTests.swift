import Foundation
import Testing
import WinAudit
import WinLab

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The product's main job, end to end: the sample fleet behind real sshd servers, audited through libssh.
@Suite(.serialized) struct AuditFleetTests {
  /// For every sample host, exactly the controls that describe its fault (and their consequences) drift.
  static let expectedDrift: [String: Set<String>] = [
    "healthy-2019": [], "healthy-2022": [], "shell-powershell": [], "locale-de": [], "slow-firewall": [],
    "rdp-disabled": ["rdp-allowed", "listener-on-port", "rdp-answers-from-here"],
    "nla-off": ["nla-required"],
    "nla-gpo-off": ["nla-required", "nla-policy-agrees"],
    "firewall-public-off": ["firewall-rdp-allowed", "rdp-answers-from-here"],
    "port-mismatch": ["firewall-port-matches", "firewall-rdp-allowed", "rdp-answers-from-here"],
    "termservice-stopped": ["termservice-running", "umrdpservice-running", "rdp-answers-from-here"],
    "cert-expired": ["listener-certificate-validity", "rdp-wire-certificate-validity"],
    "machinekeys-acl-broken": ["machinekeys-acl", "listener-certificate-valid", "rdp-wire-tls-available"],
    "tls12-disabled": ["tls12-server-enabled", "tls12-not-disabled-by-default"],
    "credssp-vulnerable": ["credssp-not-vulnerable"],
    "filters-out-of-order": [],
    "custom-cert-cng": [],
    "custom-cert-key-admin-only": ["listener-certificate-valid", "rdp-wire-tls-available"],
    "custom-cert-key-ns-read": [],
    "hostile-values": ["listener-certificate-valid", "firewall-no-block-rule", "rdp-answers-from-here"],
    "winstations-disabled": ["winstations-enabled"],
    "lan-adapter-bound": ["listener-on-all-adapters"],
    "max-instances-zero": ["connections-allowed-by-count"],
    "keyiso-disabled": ["keyiso-not-disabled"],
    "setup-in-progress": ["setup-finished"],
    "dangling-listener-hash": [
      "listener-certificate-valid", "listener-certificate-hash-valid", "rdp-wire-tls-available",
    ],
    "firewall-block-rule": ["firewall-no-block-rule", "rdp-answers-from-here"],
    "firewall-blocks-all-inbound": ["firewall-inbound-rules-honoured", "rdp-answers-from-here"],
    "firewall-off": ["firewall-enabled"],
    "firewall-local-rules-ignored": ["firewall-rdp-allowed", "rdp-answers-from-here"],
    "firewall-scoped": [],
    "firewall-service-stopped": ["firewall-service-running"],
    "remote-logon-admins-removed": ["remote-logon-right-administrators"],
    "remote-logon-denied": ["remote-logon-not-denied"],
    "rdu-domain-users": ["remote-desktop-users-not-everyone"],
    "secure-channel-broken": ["secure-channel-healthy"],
    "workgroup-local-accounts-denied": ["remote-logon-local-accounts-allowed"],
    // Healthy inside: what is wrong lies on the network (the listener double's rdpNetwork drop / proxy). Hosts whose
    // listener is down or whose own firewall blocks the port do not answer from outside either
    // (rdp-answers-from-here), but are not reported as blocked between.
    "rdp-network-blocked": ["rdp-answers-from-here", "rdp-not-blocked-between"],
    "rdp-wire-certificate-differs": ["rdp-wire-certificate-matches"],
    "nla-off-on-wire-securitylayer-rdp": ["nla-required", "security-layer", "nla-enforced-on-wire"],
    // Samples/captures/captured-nla-gpo-off: `winaudit capture` of nla-gpo-off, imported at test time.
    "captured-nla-gpo-off": ["nla-required", "nla-policy-agrees"],
  ]

  /// Hosts that cannot be audited, with what their error must say: they have no findings at all.
  /// The controls judged from the outside (the RDP probe): `fix` does not probe, so it neither plans nor verifies them.
  static let wireControls: Set<String> = [
    "rdp-answers-from-here", "rdp-not-blocked-between", "nla-enforced-on-wire", "standard-rdp-refused-on-wire",
    "rdp-wire-tls-available", "rdp-wire-certificate-matches", "rdp-wire-certificate-validity",
  ]

  static let expectedErrors: [String: String] = [
    "not-elevated": "NOT-ELEVATED\\ops whose token is not elevated",
    "stdin-truncated": "the script arrived truncated or altered (",
  ]

  @Test func everySampleHostGivesExactlyItsFindings() async throws {
    let fleet = try FleetHarness(addressPrefix: "127.0.30")
    defer { fleet.stop() }
    let report = try await fleet.audit()

    #expect(Set(report.hosts.map(\.name)) == Set(Self.expectedDrift.keys).union(Self.expectedErrors.keys))
    for host in report.hosts {
      if let error = Self.expectedErrors[host.name] {
        #expect(host.status == .error)
        // Not judged from inside; from outside its listener (healthy) answers, with a certificate.
        #expect(host.outsideOnly)
        #expect(
          host.findings.map(\.controlID) == [
            "rdp-answers-from-here", "rdp-wire-tls-available", "rdp-wire-certificate-validity",
          ])
        #expect(host.findings.allSatisfy { $0.status == .pass }, "\(host.name): \(host.findings)")
        #expect(host.error?.contains(error) == true, "\(host.name): \(host.error ?? "")")
        continue
      }
      let drifting = Set(host.findings.filter { $0.status == .drift }.map(\.controlID))
      let errors = host.findings.filter { $0.status == .error }.map { "\($0.controlID): \($0.message ?? "")" }
      #expect(host.error == nil, "\(host.name): \(host.error ?? "")")
      #expect(errors.isEmpty, "\(host.name) has errors: \(errors)")
      #expect(drifting == Self.expectedDrift[host.name], "\(host.name) drifts on \(drifting.sorted())")
      let expectedStatus: HostStatus = (Self.expectedDrift[host.name] ?? []).isEmpty ? .compliant : .drift
      #expect(host.status == expectedStatus, "\(host.name) is \(host.status)")
    }
    #expect(ExitStatus.of(report) == 4)  // the not-elevated host

    // Group Policy wins over the local value, and the finding says so.
    let gpo = try #require(report.hosts.first { $0.name == "nla-gpo-off" })
    let nla = try #require(gpo.findings.first { $0.controlID == "nla-required" })
    #expect(nla.source == .groupPolicy)
    let local = try #require(
      report.hosts.first { $0.name == "nla-off" }?.findings.first { $0.controlID == "nla-required" })
    #expect(local.source == .local)

    // Non-ASCII text from a German host (code page 850) arrives intact.
    let german = try #require(report.hosts.first { $0.name == "locale-de" })
    #expect(german.hostFacts?.computerName == "SRV-MÜNCHEN")

    // One connection, one powershell.exe per host per audit, whatever the DefaultShell.
    for host in report.hosts {
      #expect(try fleet.processStarts(host.name) == 1, "\(host.name) started more than one powershell.exe")
    }
  }

  @Test func commandLineJSONReportOnTheFleetExitsOneAndMatchesTheSchema() throws {
    let fleet = try FleetHarness(hosts: Array(Self.expectedDrift.keys), addressPrefix: "127.0.31")
    defer { fleet.stop() }
    let run = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path, "--format", "json"])
    #expect(run.status == 1, "stderr: \(run.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
    #expect(json["schema"] as? Int == 2)
    let hosts = try #require(json["hosts"] as? [[String: Any]])
    #expect(hosts.count == Self.expectedDrift.count)
    // Each host's place in the inventory, for `report merge`.
    #expect(hosts.map { $0["position"] as? Int } == Array(1...hosts.count))
    #expect((json["controls"] as? [[String: Any]])?.isEmpty == false)
    for host in hosts {
      #expect(
        Set(host.keys) == [
          "name", "position", "address", "tags", "status", "judgedFrom", "error", "durationSeconds", "os",
          "powershellVersion", "controls",
        ])
      let controls = try #require(host["controls"] as? [[String: Any]])
      #expect(!controls.isEmpty)
      for control in controls {
        #expect(
          Set(control.keys) == [
            "id", "title", "severity", "status", "expected", "expectedText", "actual", "actualText", "source",
            "message", "waiver",
          ])
      }
    }
    let summary = try #require(json["summary"] as? [String: Any])
    #expect(summary["hosts"] as? Int == Self.expectedDrift.count)
    #expect(summary["drift"] as? Int == Self.expectedDrift.values.filter { !$0.isEmpty }.count)
  }

  @Test func anInventoryOfHealthyHostsExitsZero() throws {
    let fleet = try FleetHarness(hosts: FleetHarness.healthyHosts, addressPrefix: "127.0.32")
    defer { fleet.stop() }
    let run = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path])
    #expect(run.status == 0, "stdout: \(run.out)\nstderr: \(run.err)")
  }

  /// A hostile host's terminal escapes, forged lines and separators reach neither the terminal nor the reports raw,
  /// and its JUnit stays well-formed XML; the healthy host next to it stays compliant.
  @Test func hostileValuesAreShownInertInEveryReport() throws {
    let fleet = try FleetHarness(hosts: ["hostile-values", "healthy-2019"], addressPrefix: "127.0.38", port: 2238)
    defer { fleet.stop() }
    let text = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path])
    #expect(text.status == 1, "\(text.err)")
    let unsafe = text.out.unicodeScalars.filter {
      ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
        || [0x2028, 0x2029, 0x202E].contains($0.value)
    }
    #expect(unsafe.isEmpty, "raw control characters in the text report: \(unsafe.map { $0.value })")
    #expect(!text.out.contains("\n  [critical] rdp-allowed: forged"), "\(text.out)")
    #expect(text.out.contains(#"\u{1B}[2J"#))
    #expect(text.out.contains("(1 compliant host not listed; --show all lists every host)"), "\(text.out)")
    let all = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path, "--show", "all"])
    #expect(all.out.contains("healthy-2019  "), "\(all.out)")

    let junit = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path, "--format", "junit"])
    let parser = XMLParser(data: Data(junit.out.utf8))
    #expect(parser.parse(), "JUnit is not well-formed: \(String(describing: parser.parserError))")
    let json = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path, "--format", "json"])
    #expect((try? JSONSerialization.jsonObject(with: Data(json.out.utf8))) != nil)
  }

  /// Timeouts that are not finite, or absurd, are bad input: exit 2 before any host is contacted, never a trap.
  @Test func nonFiniteTimeoutsAreRefused() throws {
    for value in ["inf", "nan", "1e300"] {
      let run = try FleetHarness.winaudit(["audit", "--inventory", "/nonexistent.yml", "--connect-timeout", value])
      #expect(run.status == 2, "\(value): \(run.err)")
      #expect(run.err.contains("--connect-timeout"), "\(value): \(run.err)")
    }
  }

  /// An --output that is a device, a link, a folder or in a missing folder is bad input (exit 2) found before any host
  /// is contacted, and is left as it was; a regular file is replaced through a temporary file and a rename.
  @Test func reportOutputsAreCheckedFirstAndNeverReplaceWhatIsNotAFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-output-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let inventory = folder.appendingPathComponent("hosts.txt")
    try "root@192.0.2.1\n".write(to: inventory, atomically: true, encoding: .utf8)
    let target = folder.appendingPathComponent("target.txt")
    try "keep me\n".write(to: target, atomically: true, encoding: .utf8)
    let link = folder.appendingPathComponent("link.txt")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    for output in ["/dev/null", link.path, folder.path, folder.path + "/missing/report.txt"] {
      let run = try FleetHarness.winaudit(["audit", "--inventory", inventory.path, "--output", output])
      #expect(run.status == 2, "\(output): \(run.err)")
      #expect(run.err.contains("--output"), "\(output): \(run.err)")
      #expect(!run.out.contains("HOST"), "\(output): a host was audited")
    }
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
    #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
    var status = stat()
    #expect(lstat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)

    let report = folder.appendingPathComponent("report.json")
    let run = try FleetHarness.winaudit([
      "audit", "--inventory", inventory.path, "--output", report.path, "--format", "json", "--connect-timeout", "1",
    ])
    #expect(run.status == 4, "\(run.err)")
    #expect(try String(contentsOf: report, encoding: .utf8).contains("\"unreachable\""))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasPrefix(".winaudit")
    }
    #expect(leftovers.isEmpty)
  }

  /// Several reports from one audit (`--report FORMAT[:FILE]`, repeatable): each file checked before any host, one at
  /// most on stdout.
  @Test func severalReportsFromOneAudit() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-reports-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let inventory = folder.appendingPathComponent("hosts.txt")
    try "root@192.0.2.1\n".write(to: inventory, atomically: true, encoding: .utf8)
    let json = folder.appendingPathComponent("r.json").path
    let junit = folder.appendingPathComponent("r.xml").path
    let run = try FleetHarness.winaudit([
      "audit", "--inventory", inventory.path, "--connect-timeout", "1", "--report", "json:" + json,
      "--report", "junit:" + junit, "--report", "text",
    ])
    #expect(run.status == 4, "\(run.err)")
    #expect(run.out.contains("Summary: 1 host"))
    #expect(try String(contentsOfFile: json, encoding: .utf8).contains("\"unreachable\""))
    #expect(try String(contentsOfFile: junit, encoding: .utf8).hasPrefix("<?xml"))
    for bad in [
      ["--report", "pdf"], ["--report", "text", "--report", "json"], ["--report", "json:/nonexistent/r.json"],
      ["--report", "json:" + json, "--output", json],
    ] {
      let refused = try FleetHarness.winaudit(["audit", "--inventory", inventory.path] + bad)
      #expect(refused.status == 2, "\(bad): \(refused.err)")
      #expect(!refused.out.contains("Summary"), "\(bad): a host was audited")
    }
  }

  @Test func aFailingScriptIsAHostErrorQuotingPowerShellReadably() async throws {
    let fleet = try FleetHarness(hosts: ["healthy-2019"], addressPrefix: "127.0.29")
    defer { fleet.stop() }
    let host = try #require(try fleet.inventoryHosts().first)
    let connector = SSHHostConnector(
      settings: ConnectionSettings(useAgent: false, knownHosts: fleet.lab.knownHosts.path))
    let session = try await connector.connect(to: host)
    let result = try await session.run(script: "$ErrorActionPreference = 'Stop'\nGet-WinAuditNothing -Name 'x'")
    await session.close()
    let messages = result.messages.joined(separator: "\n")
    #expect(result.exitCode == 1)
    #expect(!messages.contains("CLIXML"), "stderr was not decoded: \(messages)")
    #expect(messages.contains("The term 'Get-WinAuditNothing' is not recognized"), "\(messages)")
  }
}
