import Foundation
import Testing
import WinAudit
import WinLab

/// Every way a host can fail winaudit, side by side in one fleet: one `winaudit audit` of the real binary reaches
/// healthy hosts and one faulty host per case. Each faulty host gets an error in the words a person would act on,
/// every healthy host stays compliant, and no host is changed. Addresses 127.0.60-69, ports 2260-2269.
///
/// Apply-side faults covered elsewhere: a connection dropped mid-apply
/// (`FixFleetTests.aDroppedConnectionLeavesAJournalForRollbackAndARerunContinues`) and two applies on one host at once
/// (`FixFleetTests.promptAnswersOnATerminalAndAConcurrentRunIsLockedOut`); Ctrl-C during apply in `InterruptTests`.
@Suite(.serialized) struct FaultMatrixTests {
  static let healthy = ["healthy-2019", "healthy-2022"]

  /// Lab hosts (copies of healthy-2019) with one lab fault each, and the words their error must contain.
  static let labFaults: [String: String] = [
    "fault-no-powershell": "'powershell.exe' is not recognized as an internal or external command",
    "fault-clixml-error": "Get-CimInstance : Access denied",
    "fault-garbage-output": "the collector's output could not be read",
    "fault-truncated-output": "the collector's output could not be read",
    "fault-huge-output": "printed more than 64 MiB on stdout",
    "fault-hung-command": "the command did not finish within 60.0 seconds",
    "fault-dropped": "the connection broke while reading output",
    "fault-host-key-changed": "HOST KEY CHANGED",
    "fault-auth-failed": "authentication failed",
  ]

  /// Inventory entries no lab sshd serves, and the words their error must contain.
  static let networkFaults: [String: String] = [
    "fault-refused": "connection refused",
    "fault-tarpit": "Timeout connecting",
    "fault-garbage-banner": "too large banner: the server on port 2263 does not speak SSH",
  ]

  /// The host whose facts carry hostile values: judged, each control that needs its NaN port an error naming it.
  static let hostile = "fault-hostile-facts"

  @Test func oneAuditNamesEveryFaultAndChangesNothing() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-faults-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fleet = try FleetHarness(
      addressPrefix: "127.0.60", port: 2260, fleetFile: try Self.fleetFile(in: folder))
    defer { fleet.stop() }

    // The lab faults, set after `up` (each session reads its host's settings).
    func configure(_ host: String, _ change: (inout HostSettings) -> Void) throws {
      let directory = try #require(fleet.lab.server(host)).host
      var settings = try HostSettings.load(from: directory)
      change(&settings)
      try settings.save(to: directory)
    }
    try configure("fault-no-powershell") { $0.powershellMissing = true }
    try configure("fault-clixml-error") { $0.outputFault = .terminatingError }
    try configure("fault-garbage-output") { $0.outputFault = .garbage }
    try configure("fault-truncated-output") { $0.outputFault = .truncate }
    try configure("fault-huge-output") { $0.outputFault = .huge }
    // Far longer than --command-timeout below: the host never answers in time.
    try configure("fault-hung-command") { $0.slowCmdlets["Get-NetFirewallRule"] = 150_000 }
    try configure("fault-dropped") { $0.dropAfterCommand = "Get-NetFirewallRule" }

    // A changed host key: the known_hosts line of fault-host-key-changed carries healthy-2022's key.
    let knownHosts = try String(contentsOf: fleet.lab.knownHosts, encoding: .utf8)
    func entry(_ host: String) throws -> String {
      let server = try #require(fleet.lab.server(host))
      let prefix = "[\(server.address)]:\(server.port) "
      return try #require(knownHosts.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init))
    }
    let changed = try entry("fault-host-key-changed")
    let otherKey = try entry("healthy-2022").split(separator: " ").dropFirst().joined(separator: " ")
    let forged = changed.split(separator: " ")[0] + " " + otherKey
    try knownHosts.replacingOccurrences(of: changed, with: forged).write(
      to: fleet.lab.knownHosts, atomically: true, encoding: .utf8)

    // A key the lab does not authorize, for fault-auth-failed.
    let strangerKey = folder.appendingPathComponent("stranger_ed25519")
    let keygen = try FleetHarness.run(
      URL(fileURLWithPath: "/usr/bin/ssh-keygen"), ["-q", "-t", "ed25519", "-N", "", "-f", strangerKey.path],
      stdin: Data())
    #expect(keygen.status == 0, "\(keygen.err)")

    // Network faults on addresses no lab host uses: nobody listening, a tarpit, an HTTP server.
    let base = "127.\(FleetHarness.runOctet).60."
    let tarpit = try TCPStub(address: base + "251", port: 2262, greeting: nil)
    defer { tarpit.stop() }
    // A TLS alert record and then binary noise, as from a port that is not SSH at all.
    let banner = try TCPStub(
      address: base + "252", port: 2263,
      greeting: Data([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28] + [UInt8](repeating: 0x17, count: 400)))
    defer { banner.stop() }
    let inventory = try Self.inventory(
      fleet, in: folder, identities: ["fault-auth-failed": strangerKey.path],
      extra: [
        ("fault-refused", base + "250", 2261), ("fault-tarpit", tarpit.address, tarpit.port),
        ("fault-garbage-banner", banner.address, banner.port),
      ])

    let labHosts = fleet.lab.servers.map(\.name)
    let before = try Self.stateFiles(fleet, labHosts)
    let json = folder.appendingPathComponent("report.json")
    // GNU time reports the client's peak memory: the huge host offers a gigabyte.
    let run = try FleetHarness.run(
      URL(fileURLWithPath: "/usr/bin/time"),
      [
        "-f", "winaudit-max-rss-kb=%M", try FleetHarness.winauditPath().path, "audit", "--inventory", inventory.path,
        "--no-agent", "--connect-timeout", "5", "--command-timeout", "60", "--report", "json:" + json.path,
        "--report", "text", "--show", "all",
      ], stdin: Data())
    #expect(run.status == 4, "\(run.out)\n\(run.err)")

    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any], "\(run.err)")
    let hosts = try #require(report["hosts"] as? [[String: Any]])
    let byName = Dictionary(uniqueKeysWithValues: hosts.map { ($0["name"] as? String ?? "?", $0) })
    let expectedNames = Set(Self.healthy + Self.labFaults.keys + Self.networkFaults.keys + [Self.hostile])
    #expect(Set(byName.keys) == expectedNames)

    for name in Self.healthy {
      #expect(byName[name]?["status"] as? String == "compliant", "\(name): \(String(describing: byName[name]))")
    }
    for (name, words) in Self.labFaults.merging(Self.networkFaults, uniquingKeysWith: { a, _ in a }) {
      let host = try #require(byName[name])
      let error = host["error"] as? String ?? ""
      #expect(
        ["error", "unreachable"].contains(host["status"] as? String ?? ""), "\(name) is \(host["status"] ?? "-")")
      #expect(error.localizedCaseInsensitiveContains(words), "\(name): \(error)")
      // Not judged from inside; at most the controls the RDP probe alone decides.
      let judged = Set((host["controls"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
      #expect(
        judged.isSubset(of: ["rdp-answers-from-here", "rdp-wire-tls-available", "rdp-wire-certificate-validity"]),
        "\(name) was judged on \(judged.sorted())")
    }
    // The hostile host is judged: the controls that need its port are errors that say why, the rest are judged.
    let hostileHost = try #require(byName[Self.hostile])
    #expect(hostileHost["status"] as? String == "error", "\(hostileHost)")
    let controls = hostileHost["controls"] as? [[String: Any]] ?? []
    let failed = controls.filter { $0["status"] as? String == "error" }
    #expect(controls.contains { $0["status"] as? String == "pass" })
    #expect(!failed.isEmpty)
    for control in failed {
      let message = control["message"] as? String ?? ""
      #expect(
        message.contains("portNumber is NaN, not a port number")
          || message.contains(#"Cannot convert value "NaN" to type "System.Int32""#),
        "\(control["id"] ?? "-"): \(message)")
    }

    // The text report shows every host, none of the hostile characters raw.
    for name in expectedNames { #expect(run.out.contains(name), "\(name) missing from the text report") }
    let unsafe = run.out.unicodeScalars.filter {
      ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || [0x2028, 0x2029].contains($0.value)
    }
    #expect(unsafe.isEmpty, "raw control characters in the text report: \(unsafe.map(\.value))")

    // Bounded memory: far below the gigabyte the huge host offered.
    let rss = try #require(
      run.err.split(separator: "\n").last { $0.hasPrefix("winaudit-max-rss-kb=") }.flatMap {
        Int($0.dropFirst("winaudit-max-rss-kb=".count))
      }, "\(run.err)")
    #expect(rss < 512 * 1024, "winaudit used \(rss) kB")

    // Nothing was changed on any lab host.
    let after = try Self.stateFiles(fleet, labHosts)
    for host in labHosts { #expect(after[host] == before[host], "\(host) was changed") }
  }

  /// Apply-side input faults: an unwritable `--journal` for fix, an unwritable `--output` or `--report json:FILE` for
  /// audit: exit 2 before any host is contacted, nothing changed.
  @Test func unwritableJournalAndReportsAreRefusedBeforeAnyHost() throws {
    let host = "credssp-vulnerable"
    let fleet = try FleetHarness(hosts: [host], addressPrefix: "127.0.61", port: 2264)
    defer { fleet.stop() }
    let folder = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("a-file")
    try Data("keep\n".utf8).write(to: file)
    let before = try Self.stateFiles(fleet, [host])
    let starts = try fleet.processStarts(host)

    for journal in [file.path, file.path + "/journal"] {
      let run = try FleetHarness.winaudit([
        "fix", "--inventory", fleet.lab.inventory.path, "--journal", journal, "--no-agent", "--apply", "--yes",
      ])
      #expect(run.status == 2, "\(journal): \(run.out)\n\(run.err)")
      #expect(run.err.contains("--journal"), "\(journal): \(run.err)")
    }
    for arguments in [["--output", file.path + "/report.txt"], ["--report", "json:" + file.path + "/report.json"]] {
      let run = try FleetHarness.winaudit(
        ["audit", "--inventory", fleet.lab.inventory.path, "--no-agent"] + arguments)
      #expect(run.status == 2, "\(arguments): \(run.out)\n\(run.err)")
      #expect(!run.out.contains("Summary"), "\(arguments): a host was audited")
    }
    #expect(try fleet.processStarts(host) == starts, "a host was contacted")
    #expect(try Self.stateFiles(fleet, [host]) == before)
    #expect(try String(contentsOf: file, encoding: .utf8) == "keep\n")
  }

  /// The fleet file: the healthy hosts, copies of healthy-2019 for the lab faults, and one with hostile facts.
  static func fleetFile(in folder: URL) throws -> URL {
    let sample = try FleetFile.load(from: FleetHarness.sampleFleet)
    var hosts = try healthy.map { name in try #require(sample.hosts.first { $0.name == name }) }
    let template = try #require(hosts.first).state
    for name in labFaults.keys.sorted() { hosts.append(FleetFile.Host(name: name, state: template)) }
    let hostileState = folder.appendingPathComponent("hostile.json")
    try hostileFacts(from: template).write(to: hostileState)
    hosts.append(FleetFile.Host(name: hostile, state: hostileState))
    let url = folder.appendingPathComponent("fleet.yml")
    try Data(FleetFile(port: 2260, startupMilliseconds: 20, hosts: hosts).yaml(relativeTo: folder).utf8).write(to: url)
    return url
  }

  /// healthy-2019 with values no host should send: a PortNumber that is the text "NaN", and line separators (U+2028,
  /// U+0085) and terminal escapes in a registry value and the computer name.
  static func hostileFacts(from template: URL) throws -> Data {
    let state = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: template), options: [.mutableContainers])
        as? NSMutableDictionary)
    let registry = try #require((state["registry"] as? NSDictionary)?.mutableCopy() as? NSMutableDictionary)
    let rdpTcp = #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp"#
    let listener = try #require((registry[rdpTcp] as? NSDictionary)?.mutableCopy() as? NSMutableDictionary)
    listener["PortNumber"] = ["type": "SZ", "value": "NaN"]
    registry[rdpTcp] = listener
    let winlogon = #"HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon"#
    let logon = ((registry[winlogon] as? NSDictionary)?.mutableCopy() as? NSMutableDictionary) ?? NSMutableDictionary()
    logon["WinStationsDisabled"] = [
      "type": "SZ", "value": "0\u{2028}  [critical] rdp-allowed: forged\u{85}\u{1B}[2J\u{1B}]0;owned\u{07}",
    ]
    registry[winlogon] = logon
    state["registry"] = registry
    state["computerName"] = "HOSTILE\u{2028}\u{1B}[31mRED"
    return try JSONSerialization.data(withJSONObject: state, options: [.prettyPrinted, .sortedKeys])
  }

  /// An inventory of the lab's hosts (with per-host identities) and extra entries no lab host serves.
  static func inventory(
    _ fleet: FleetHarness, in folder: URL, identities: [String: String], extra: [(String, String, Int)]
  ) throws -> URL {
    var lines = [
      "defaults:", "  user: \(fleet.lab.user)", "  identity: \(fleet.lab.identity.path)",
      "  known_hosts: \(fleet.lab.knownHosts.path)", "  shell: cmd", "hosts:",
    ]
    for server in fleet.lab.servers {
      lines += ["  - name: \(server.name)", "    address: \(server.address)", "    port: \(server.port)"]
      if let identity = identities[server.name] { lines.append("    identity: \(identity)") }
    }
    for (name, address, port) in extra {
      lines += ["  - name: \(name)", "    address: \(address)", "    port: \(port)"]
    }
    let url = folder.appendingPathComponent("inventory.yml")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
    return url
  }

  /// The bytes of each host's state file.
  static func stateFiles(_ fleet: FleetHarness, _ hosts: [String]) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for host in hosts { result[host] = try Data(contentsOf: try #require(fleet.lab.server(host)).host.stateFile) }
    return result
  }
}
