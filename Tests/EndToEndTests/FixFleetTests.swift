import Foundation
import Testing
import WinAudit
import WinLab

/// `winaudit fix` and `winaudit rollback` end to end: the real binary against WinLab hosts behind real sshd servers.
/// Each test starts its own lab on its own addresses (127.0.33-39) and port, so the suites never share a host.
@Suite(.serialized) struct FixFleetTests {
  static func fix(_ fleet: FleetHarness, journal: URL, _ extra: [String]) throws -> (
    status: Int32, out: String, err: String
  ) {
    try FleetHarness.winaudit(
      ["fix", "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent"] + extra)
  }

  static func rollback(_ fleet: FleetHarness, journal: URL, run: String, _ extra: [String] = []) throws -> (
    status: Int32, out: String, err: String
  ) {
    let lab = fleet.lab.inventory.deletingLastPathComponent()
    return try FleetHarness.winaudit(
      [
        "rollback", run, "--journal", journal.path, "--no-agent", "--yes", "--known-hosts",
        lab.appendingPathComponent("known_hosts").path,
      ] + extra)
  }

  /// Every broken sample host: the dry run changes nothing; apply converges every fixable host on re-audit (nla-gpo-off
  /// is reported with its policy path, not changed); a second apply changes nothing; rollback restores the originals.
  @Test func everyBrokenHostDryRunApplyReapplyAndRollBack() async throws {
    let fleet = try FleetHarness(hosts: FixHarness.brokenHosts, addressPrefix: "127.0.33", port: 2233)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let original = try FixHarness.states(fleet, FixHarness.brokenHosts)

    // Dry run (with the disruptive fixes planned too): exit 1 (drift), no state changes at all.
    let dry = try Self.fix(fleet, journal: journal, ["--allow-disruptive"])
    #expect(dry.status == 1, "\(dry.out)\n\(dry.err)")
    #expect(dry.out.contains("dry run, nothing is changed"))
    for host in FixHarness.brokenHosts {
      let now = try FixHarness.state(fleet, host)
      #expect(now.isEqual(original[host]), "dry run changed \(host): \(FixHarness.differences(original[host]!, now))")
    }
    // Without --allow-disruptive the disruptive fixes are listed as skipped, not planned.
    let cautious = try Self.fix(fleet, journal: journal, [])
    #expect(cautious.out.contains("pass --allow-disruptive to apply it"))

    // Apply: every host but nla-gpo-off converges; drift remains there, so the exit code is 1.
    let apply = try Self.fix(fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive"])
    #expect(apply.status == 1, "\(apply.out)\n\(apply.err)")
    let run = try FixHarness.runID(apply.out)
    #expect(!apply.out.contains("still drifting ("), "\(apply.out)")
    for host in FixHarness.brokenHosts where host != "nla-gpo-off" {
      for control in (AuditFleetTests.expectedDrift[host] ?? []).subtracting(AuditFleetTests.wireControls) {
        // SCHANNEL settings are read at start-up: set, but pending a reboot, never "converged".
        let verdict = control.hasPrefix("tls12-") ? "pending reboot" : "converged"
        #expect(
          apply.out.contains("  verify \(control): \(verdict)"), "\(host) \(control) not verified:\n\(apply.out)")
      }
    }
    #expect(apply.out.contains("restart to finish (a change Windows reads at start-up): tls12-disabled"))
    // nla-gpo-off: reported with the policy to change instead, never changed.
    #expect(
      apply.out.contains(
        #"skipped nla-required: Group Policy sets HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\UserAuthentication = 0"#
      ), "\(apply.out)")
    #expect(
      FixHarness.restored(try FixHarness.state(fleet, "nla-gpo-off"), original: original["nla-gpo-off"]!))

    // An independent re-audit agrees.
    let audit = try await fleet.audit()
    for host in audit.hosts {
      let drifting = Set(host.findings.filter { $0.status != .pass && $0.status != .skipped }.map(\.controlID))
      let expected: Set<String> = host.name == "nla-gpo-off" ? ["nla-required", "nla-policy-agrees"] : []
      #expect(drifting == expected, "\(host.name) after apply: \(drifting.sorted()) \(host.error ?? "")")
    }

    // A second apply changes nothing: no plan, no state change.
    let applied = try FixHarness.states(fleet, FixHarness.brokenHosts)
    let again = try Self.fix(fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive"])
    #expect(again.status == 1, "\(again.out)\n\(again.err)")
    for host in FixHarness.brokenHosts where host != "nla-gpo-off" {
      #expect(again.out.contains("\(host) (") && again.out.contains(": compliant, nothing to fix"), "\(again.out)")
      #expect(!again.out.contains("\(host): applied"), "\(again.out)")
    }
    for host in FixHarness.brokenHosts {
      let now = try FixHarness.state(fleet, host)
      #expect(
        now.isEqual(applied[host]), "second apply changed \(host): \(FixHarness.differences(applied[host]!, now))")
    }

    // Rollback of the first run restores every host (see FixHarness.comparable for what "equal" leaves out).
    let back = try Self.rollback(fleet, journal: journal, run: run)
    #expect(back.status == 0, "\(back.out)\n\(back.err)")
    for host in FixHarness.brokenHosts {
      let now = try FixHarness.state(fleet, host)
      let want = original[host]!
      #expect(
        FixHarness.restored(now, original: want),
        "\(host) not restored:\n\(FixHarness.differences(FixHarness.comparable(want, original: want), FixHarness.comparable(now, original: want)))"
      )
    }
  }

  /// A change that fails stops the host's remaining changes; the journal records exactly the ones applied, and
  /// rollback undoes them.
  @Test func aFailingChangeStopsTheHostAndTheJournalSaysWhatWasApplied() throws {
    let fleet = try FleetHarness(hosts: ["cert-expired"], addressPrefix: "127.0.34", port: 2234)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    // Two faults (CredSSP vulnerable and an expired certificate), and a file where the backup folder must go, so the
    // certificate export (New-Item -ItemType Directory) fails, as it would on Windows.
    let seeded = try #require(try FixHarness.state(fleet, "cert-expired").mutableCopy() as? NSMutableDictionary)
    var registry = seeded["registry"] as? [String: Any] ?? [:]
    registry[#"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters"#] = [
      "AllowEncryptionOracle": ["type": "DWORD", "value": 2]
    ]
    seeded["registry"] = registry
    var files = seeded["files"] as? [String: Any] ?? [:]
    files[#"C:\ProgramData\winaudit"#] = ["type": "directory"]
    files[#"C:\ProgramData\winaudit\backup"#] = ["type": "file", "content": "not a folder"]
    seeded["files"] = files
    try FixHarness.write(seeded, fleet, "cert-expired")
    let original = try FixHarness.state(fleet, "cert-expired")

    let apply = try Self.fix(fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive"])
    #expect(apply.status == 4, "\(apply.out)\n\(apply.err)")
    let run = try FixHarness.runID(apply.out)
    let entries = try FixHarness.journal(journal, run: run)
    let intents = entries.filter { $0["kind"] as? String == "intent" }.compactMap { $0["step"] as? [String: Any] }
    let results = entries.filter { $0["kind"] as? String == "result" }
    #expect(intents.count == 3, "\(intents)")
    let failing = try #require(
      intents.firstIndex { ($0["change"] as? [String: Any])?["kind"] as? String == "certificateRemoval" })
    let credssp = try #require(intents.firstIndex { "\($0["control"] ?? "")" == "credssp-not-vulnerable" })
    #expect(credssp < failing)
    // Exactly the steps before the failing one succeeded; the failing one is recorded as failed; none after it ran.
    for (index, step) in intents.enumerated() {
      let id = step["id"] as? String
      let result = results.first { $0["stepID"] as? String == id }
      if index < failing {
        #expect(result?["status"] as? String == "ok", "step \(id ?? "?"): \(String(describing: result))")
      } else if index == failing {
        #expect(result?["status"] as? String == "error", "step \(id ?? "?"): \(String(describing: result))")
      } else {
        #expect(result == nil, "step \(id ?? "?") ran after the failure")
      }
    }
    #expect(entries.last?["kind"] as? String == "end" && entries.last?["status"] as? String == "failed")
    #expect(apply.out.contains("step \(intents[failing]["id"] as? String ?? "?") failed"), "\(apply.out)")
    #expect(apply.out.contains("\(failing) of 3 changes applied"), "\(apply.out)")
    // The host: CredSSP changed, the certificate still there, TermService not restarted.
    let after = try FixHarness.state(fleet, "cert-expired")
    #expect(!FixHarness.restored(after, original: original))

    let back = try Self.rollback(fleet, journal: journal, run: run)
    #expect(back.status == 0, "\(back.out)\n\(back.err)")
    let now = try FixHarness.state(fleet, "cert-expired")
    #expect(FixHarness.restored(now, original: original), "\(FixHarness.differences(original, now))")
  }

  /// The host drops the connection in the middle of a three-step fix (WinLab's `dropAfterCommand` fault): the journal
  /// has every intent, the result the host printed before the drop, and no invented one; the dropped run's lock (and
  /// its empty parent key) is gone, a rerun of fix does what is left, applying twice changes nothing, and rolling back
  /// both runs restores the original.
  @Test func aDroppedConnectionLeavesAJournalForRollbackAndARerunContinues() throws {
    let host = "tls12-disabled"
    let fleet = try FleetHarness(hosts: [host], addressPrefix: "127.0.35", port: 2235)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    // A third fault, CredSSP vulnerable, whose fix comes before the two TLS 1.2 ones.
    let seeded = try #require(try FixHarness.state(fleet, host).mutableCopy() as? NSMutableDictionary)
    var seededRegistry = seeded["registry"] as? [String: Any] ?? [:]
    seededRegistry[#"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters"#] = [
      "AllowEncryptionOracle": ["type": "DWORD", "value": 2]
    ]
    seeded["registry"] = seededRegistry
    try FixHarness.write(seeded, fleet, host)
    let directory = try #require(fleet.lab.server(host)).host
    var settings = try HostSettings.load(from: directory)
    // The fix's one powershell.exe calls New-ItemProperty twice in the pre-read to take the lock (RunId, Since),
    // twice in the apply script to renew it, then once per step (AllowEncryptionOracle, Enabled, DisabledByDefault):
    // drop right after step 2's change, before its result is printed. Step 1's result line was printed before that
    // and must reach the journal.
    settings.dropAfterCommand = "New-ItemProperty"
    settings.dropAfterCount = 6
    try settings.save(to: directory)
    let original = try FixHarness.state(fleet, host)

    let dropped = try Self.fix(fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive"])
    #expect(dropped.status == 4, "\(dropped.out)\n\(dropped.err)")
    #expect(dropped.out.contains("connection lost while applying"), "\(dropped.out)")
    #expect(dropped.out.contains("1 of 3 changes"), "\(dropped.out)")
    let first = try FixHarness.runID(dropped.out)
    let entries = try FixHarness.journal(journal, run: first)
    let intents = entries.filter { $0["kind"] as? String == "intent" }.compactMap { $0["step"] as? [String: Any] }
    #expect(intents.count == 3)
    #expect(intents.first?["control"] as? String == "credssp-not-vulnerable", "\(intents)")
    // Step 1 finished and printed its result before the drop: journaled, with the value the host read back.
    let results = entries.filter { $0["kind"] as? String == "result" }
    #expect(results.count == 1, "results: \(results)")
    let result = try #require(results.first)
    #expect(result["stepID"] as? String != nil && result["stepID"] as? String == intents.first?["id"] as? String)
    #expect(result["status"] as? String == "ok", "\(result)")
    let readBack = result["after"] as? [String: Any]
    #expect(readBack?["value"] as? Int == 1, "\(result)")
    // The result comes before the end line, which says the run dropped.
    let resultIndex = try #require(entries.firstIndex { $0["kind"] as? String == "result" })
    #expect(resultIndex < entries.count - 1)
    #expect(entries.last?["kind"] as? String == "end" && entries.last?["status"] as? String == "dropped")
    // The fault fired once, after the second change was made.
    #expect(try HostSettings.load(from: directory).dropAfterCommand == nil)
    let half = try FixHarness.state(fleet, host)
    #expect(!FixHarness.restored(half, original: original))
    // The dropped run's lock was released over a new connection, so the rerun is not locked out; its parent key went
    // with it.
    let halfRegistry = half["registry"] as? [String: Any] ?? [:]
    #expect(halfRegistry[#"HKLM:\SOFTWARE\winaudit\Lock"#] == nil, "the lock was left behind")
    #expect(halfRegistry[#"HKLM:\SOFTWARE\winaudit"#] == nil, "the lock's empty parent key was left behind")

    // Rerun: plans only what is still missing (step 3), converges, exit 0.
    let rerun = try Self.fix(fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive"])
    #expect(rerun.status == 0, "\(rerun.out)\n\(rerun.err)")
    #expect(rerun.out.contains("): 1 change\n"), "\(rerun.out)")
    #expect(rerun.out.contains("verify tls12-not-disabled-by-default: pending reboot"), "\(rerun.out)")
    let second = try FixHarness.runID(rerun.out)

    // Applying again changes nothing.
    let converged = try FixHarness.state(fleet, host)
    let third = try Self.fix(fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive"])
    #expect(third.status == 0, "\(third.out)\n\(third.err)")
    #expect(third.out.contains("compliant, nothing to fix"))
    #expect(try FixHarness.state(fleet, host).isEqual(converged))

    // Roll back the rerun, then the dropped run: step 1 as applied, steps 2 and 3 (no result) as maybe applied. The
    // original comes back.
    let backSecond = try Self.rollback(fleet, journal: journal, run: second)
    #expect(backSecond.status == 0, "\(backSecond.out)\n\(backSecond.err)")
    let backFirst = try Self.rollback(fleet, journal: journal, run: first)
    #expect(backFirst.status == 0, "\(backFirst.out)\n\(backFirst.err)")
    let undoLines = backFirst.out.split(separator: "\n").filter { $0.contains("  undo ") }
    #expect(undoLines.count == 3, "\(backFirst.out)")
    #expect(undoLines.filter { $0.contains("[no recorded result: maybe applied]") }.count == 2, "\(backFirst.out)")
    let stepOne = intents.first?["id"] as? String ?? "?"
    #expect(
      undoLines.contains { $0.contains("undo \(stepOne).") && !$0.contains("maybe applied") }, "\(backFirst.out)")
    let now = try FixHarness.state(fleet, host)
    #expect(FixHarness.restored(now, original: original), "\(FixHarness.differences(original, now))")
  }

  /// A lock on the host blocks every other run until it goes stale, except the rollback of the run that holds it (a
  /// dropped connection whose lock could not be released): that rollback takes the lock over.
  @Test func aLeftoverLockBlocksOtherRunsButNotTheRollbackOfItsOwnRun() throws {
    let host = "credssp-vulnerable"
    let fleet = try FleetHarness(hosts: [host], addressPrefix: "127.0.37", port: 2237)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let original = try FixHarness.state(fleet, host)
    let apply = try Self.fix(fleet, journal: journal, ["--apply", "--yes"])
    #expect(apply.status == 0, "\(apply.out)\n\(apply.err)")
    let run = try FixHarness.runID(apply.out)

    func plantLock(_ holder: String) throws {
      let state = try #require(try FixHarness.state(fleet, host).mutableCopy() as? NSMutableDictionary)
      var registry = state["registry"] as? [String: Any] ?? [:]
      let formatter = ISO8601DateFormatter()
      registry[#"HKLM:\SOFTWARE\winaudit"#] = [String: Any]()
      registry[#"HKLM:\SOFTWARE\winaudit\Lock"#] = [
        "RunId": ["type": "SZ", "value": holder], "Since": ["type": "SZ", "value": formatter.string(from: Date())],
      ]
      state["registry"] = registry
      try FixHarness.write(state, fleet, host)
    }

    // A live lock of some other run: neither a rollback of `run` nor a new fix may change the host.
    try plantLock("20990101-000000-000000")
    let blocked = try Self.rollback(fleet, journal: journal, run: run)
    #expect(blocked.status == 4, "\(blocked.out)\n\(blocked.err)")
    #expect(blocked.out.contains("another winaudit run"), "\(blocked.out)")
    #expect(!FixHarness.restored(try FixHarness.state(fleet, host), original: original))

    // The lock of `run` itself (as a dropped connection would leave it): its rollback takes it over and releases it.
    try plantLock(run)
    let back = try Self.rollback(fleet, journal: journal, run: run)
    #expect(back.status == 0, "\(back.out)\n\(back.err)")
    let now = try FixHarness.state(fleet, host)
    #expect(FixHarness.restored(now, original: original), "\(FixHarness.differences(original, now))")
    let registry = now["registry"] as? [String: Any] ?? [:]
    #expect(registry[#"HKLM:\SOFTWARE\winaudit\Lock"#] == nil)
  }

  /// The confirmation prompt of the real binary on a pseudo-terminal: y, n and a, then q in a second run. While the
  /// first run waits at its prompt it holds its hosts' locks: a concurrent `--yes` run on one of them applies nothing.
  @Test func promptAnswersOnATerminalAndAConcurrentRunIsLockedOut() throws {
    let hosts = ["nla-off", "credssp-vulnerable", "tls12-disabled", "termservice-stopped"]
    let fleet = try FleetHarness(hosts: hosts, addressPrefix: "127.0.36", port: 2236)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let original = try FixHarness.states(fleet, hosts)
    let base = ["fix", "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent"]

    // q first: nothing is changed on any host.
    let quit = try TerminalRun(base + ["--apply", "--allow-disruptive"])
    try quit.waitFor("[q]uit ")
    quit.type("q")
    let quitEnd = quit.finish()
    #expect(quitEnd.status == 1, "\(quitEnd.out)\n\(quit.screen)")
    #expect(quit.screen.components(separatedBy: "[q]uit ").count == 2, "asked again after q:\n\(quit.screen)")
    for host in hosts { #expect(FixHarness.restored(try FixHarness.state(fleet, host), original: original[host]!)) }
    // q released the locks its pre-read took.
    for host in hosts {
      let registry = try FixHarness.state(fleet, host)["registry"] as? [String: Any] ?? [:]
      #expect(registry[#"HKLM:\SOFTWARE\winaudit\Lock"#] == nil, "\(host) still locked after q")
    }

    let terminal = try TerminalRun(base + ["--apply", "--allow-disruptive"])
    try terminal.waitFor("Apply 1 change to nla-off? [y]es/[n]o/[a]ll/[q]uit ")
    // Meanwhile another run wants nla-off: locked out, nothing applied, exit 4.
    let rival = try FleetHarness.winaudit(base + ["--apply", "--yes", "--limit", "nla-off"])
    #expect(rival.status == 4, "\(rival.out)\n\(rival.err)")
    #expect(rival.out.contains("another winaudit run"), "\(rival.out)")
    // nla-off is unchanged but for the lock the waiting run holds.
    let waiting = try FixHarness.state(fleet, "nla-off")
    #expect((waiting["registry"] as? [String: Any])?[#"HKLM:\SOFTWARE\winaudit\Lock"#] != nil)
    #expect(FixHarness.restored(FixHarness.withoutLock(waiting), original: original["nla-off"]!))
    // Locked out everywhere, it changes nothing: no run is started, no journal written.
    #expect(rival.out.hasPrefix("winaudit fix: nothing to change on any host; no run was journaled"), "\(rival.out)")

    // Hosts are asked in inventory order: nla-off, termservice-stopped, tls12-disabled, credssp-vulnerable.
    terminal.type("y")
    try terminal.waitFor("to termservice-stopped? [y]es/[n]o/[a]ll/[q]uit ")
    terminal.type("maybe")  // not an answer: asked again
    try terminal.waitFor("to termservice-stopped? [y]es/[n]o/[a]ll/[q]uit ", occurrence: 2)
    terminal.type("n")
    try terminal.waitFor("to tls12-disabled? [y]es/[n]o/[a]ll/[q]uit ")
    terminal.type("a")
    let end = terminal.finish()
    #expect(end.status == 1, "\(end.out)\n\(terminal.screen)")  // termservice-stopped still drifts
    #expect(!terminal.screen.contains("credssp-vulnerable?"), "asked again after a:\n\(terminal.screen)")
    #expect(end.out.contains("nla-off: applied 1 change"), "\(end.out)")
    #expect(end.out.contains("termservice-stopped: not changed (declined)"), "\(end.out)")
    #expect(end.out.contains("tls12-disabled: applied 2 changes"), "\(end.out)")
    #expect(end.out.contains("credssp-vulnerable: applied 1 change"), "\(end.out)")
    let declined = try FixHarness.state(fleet, "termservice-stopped")
    #expect(FixHarness.restored(declined, original: original["termservice-stopped"]!))
    #expect(!FixHarness.restored(try FixHarness.state(fleet, "nla-off"), original: original["nla-off"]!))

    // The declined host was unlocked: a later run applies to it and every host has converged (exit 0).
    let later = try FleetHarness.winaudit(base + ["--apply", "--yes", "--allow-disruptive"])
    #expect(later.status == 0, "\(later.out)\n\(later.err)")
    #expect(later.out.contains("termservice-stopped: applied 2 changes"), "\(later.out)")
  }
}
