import Foundation
import Testing
import WinAudit
import WinLab

/// `winaudit fix` runs every script of a host in ONE powershell.exe (the framed session), counted by the lab: the
/// real binary against WinLab hosts behind real sshd servers, on 127.0.97-98 and ports 2420-2421.
@Suite(.serialized) struct OneProcessFixTests {
  /// Drifting hosts, one of them with PowerShell as the OpenSSH DefaultShell (the loop bootstrap in `powershell -c`,
  /// after the profile's banner), made to drift by `nlaOff`.
  static let hosts = ["nla-off", "termservice-stopped", "credssp-vulnerable", "shell-powershell"]

  /// Turns NLA off in a lab host's state, so a healthy host has something to fix.
  static func nlaOff(_ fleet: FleetHarness, _ host: String) throws {
    let state = try #require(try FixHarness.state(fleet, host).mutableCopy() as? NSMutableDictionary)
    var registry = state["registry"] as? [String: Any] ?? [:]
    let key = #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp"#
    var values = registry[key] as? [String: Any] ?? [:]
    values["UserAuthentication"] = ["type": "DWORD", "value": 0]
    registry[key] = values
    state["registry"] = registry
    try FixHarness.write(state, fleet, host)
  }

  /// fix --apply --yes: one powershell.exe per host for audit, pre-read, apply and verify, and the hosts converge;
  /// audit is still one process per host; rollback is one per host too; the hidden --one-process-per-script (the
  /// benchmark's "before") starts four.
  @Test func fixAuditAndRollbackStartOnePowerShellPerHost() throws {
    let fleet = try FleetHarness(hosts: Self.hosts, addressPrefix: "127.0.97", port: 2420)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    try Self.nlaOff(fleet, "shell-powershell")
    let original = try FixHarness.states(fleet, Self.hosts)

    let run = try FixFleetTests.fix(fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive"])
    #expect(run.status == 0, "\(run.out)\n\(run.err)")
    for host in Self.hosts {
      #expect(try fleet.processStarts(host) == 1, "\(host): fix --apply started more than one powershell.exe")
      let registry = try FixHarness.state(fleet, host)["registry"] as? [String: Any] ?? [:]
      #expect(registry[#"HKLM:\SOFTWARE\winaudit\Lock"#] == nil, "\(host) left locked")
    }
    #expect(!run.out.contains("drift remaining"), "\(run.out)")

    let audit = try FleetHarness.winaudit(
      ["audit", "--inventory", fleet.lab.inventory.path, "--no-agent", "--no-history", "--no-probe"])
    #expect(audit.status == 0, "\(audit.out)\n\(audit.err)")
    for host in Self.hosts {
      #expect(try fleet.processStarts(host) == 2, "\(host): the audit started more than one powershell.exe")
    }

    let rollback = try FixFleetTests.rollback(fleet, journal: journal, run: try FixHarness.runID(run.out))
    #expect(rollback.status == 0, "\(rollback.out)\n\(rollback.err)")
    for host in Self.hosts {
      #expect(
        try fleet.processStarts(host) == 3,
        "\(host): the rollback started more than one powershell.exe\n\(rollback.out)")
      #expect(FixHarness.restored(try FixHarness.state(fleet, host), original: original[host]!), "\(host)")
    }
  }

  /// The old way, kept only for the benchmark's side-by-side: four processes per host (audit, pre-read, apply,
  /// verify), and the same result.
  @Test func theBenchmarksBeforeSwitchStartsFour() throws {
    let hosts = ["nla-off", "shell-powershell"]
    let fleet = try FleetHarness(hosts: hosts, addressPrefix: "127.0.98", port: 2421)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    try Self.nlaOff(fleet, "shell-powershell")
    let run = try FixFleetTests.fix(
      fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive", "--one-process-per-script"])
    #expect(run.status == 0, "\(run.out)\n\(run.err)")
    for host in hosts {
      #expect(try fleet.processStarts(host) == 4, "\(host)\n\(run.out)")
    }
  }
}
