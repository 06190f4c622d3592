import Foundation
import Testing
import WinAudit
import WinLab

/// `fix --batch/--max-fail`, the end summary and JSON, and safe rollback, end to end: the real binary against WinLab
/// hosts behind real sshd servers. Each test has its own lab prefix (127.0.70-73) and sshd port (2270-2273).
@Suite(.serialized) struct FixRolloutTests {
  static let credssp = #"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters"#

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// `--batch 2 --max-fail 1` over four hosts whose first host's apply drops: the first batch runs, the second is not
  /// started (unchanged, journaled as not started), the summary says so, exit 4. Bad flag values are refused first.
  @Test func maxFailStopsAfterTheBatchWithTheFailure() throws {
    let hosts = ["nla-off", "termservice-stopped", "tls12-disabled", "credssp-vulnerable"]
    let fleet = try FleetHarness(hosts: hosts, addressPrefix: "127.0.70", port: 2270)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }

    for (flag, value, message) in [
      ("--batch", "0", "must be at least 1"), ("--batch", "-2", "give a number of hosts"),
      ("--max-fail", "101%", "from 1% to 100%"), ("--max-fail", "lots", "give a number of hosts"),
      ("--batch", "0%", "from 1% to 100%"),
    ] {
      let refused = try FixFleetTests.fix(fleet, journal: journal, ["--apply", "--yes", "\(flag)=\(value)"])
      #expect(refused.status == 2, "\(flag) \(value): \(refused.out)\n\(refused.err)")
      #expect(refused.err.contains(message), "\(flag) \(value): \(refused.err)")
    }
    let original = try FixHarness.states(fleet, hosts)

    // nla-off, first in inventory order: the connection drops right after its one change (in the fix's one
    // powershell.exe the pre-read takes the lock and the apply script renews it, two New-ItemProperty calls each, then
    // the change is made).
    let directory = try #require(fleet.lab.server("nla-off")).host
    var settings = try HostSettings.load(from: directory)
    settings.dropAfterCommand = "New-ItemProperty"
    settings.dropAfterCount = 5
    try settings.save(to: directory)

    let run = try FixFleetTests.fix(
      fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive", "--batch", "2", "--max-fail", "1"])
    #expect(run.status == 4, "\(run.out)\n\(run.err)")
    #expect(run.out.contains("nla-off: connection lost while applying"), "\(run.out)")
    #expect(run.out.contains("termservice-stopped: applied"), "\(run.out)")
    for host in ["tls12-disabled", "credssp-vulnerable"] {
      #expect(run.out.contains("\(host): not started: 1 host failed (--max-fail 1)"), "\(run.out)")
      #expect(FixHarness.restored(try FixHarness.state(fleet, host), original: original[host]!), "\(host) changed")
      let registry = try FixHarness.state(fleet, host)["registry"] as? [String: Any] ?? [:]
      #expect(registry[#"HKLM:\SOFTWARE\winaudit\Lock"#] == nil, "\(host) left locked")
    }
    #expect(run.out.contains("summary (4 hosts: 1 converged, 1 failed, 2 not started)"), "\(run.out)")
    let id = try FixHarness.runID(run.out)
    let entries = try FixHarness.journal(journal, run: id)
    let notStarted = entries.filter { $0["kind"] as? String == "end" && $0["status"] as? String == "not-started" }
    #expect(Set(notStarted.compactMap { $0["host"] as? String }) == ["tls12-disabled", "credssp-vulnerable"])
    #expect(!entries.contains { $0["kind"] as? String == "intent" && ($0["host"] as? String) == "tls12-disabled" })
  }

  /// `--batch 2` with disruptive fixes in both batches: every intent of the second batch is journaled after every
  /// end line of the first, whatever --concurrency allows.
  @Test func aDisruptiveFixNeverRunsOnTwoBatchesAtOnce() throws {
    // rdp-disabled (listener-on-port restarts TermService) in the first batch, cert-expired (its certificate fix
    // restarts TermService) in the second.
    let hosts = ["rdp-disabled", "nla-off", "cert-expired", "tls12-disabled"]
    let fleet = try FleetHarness(hosts: hosts, addressPrefix: "127.0.71", port: 2271)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let run = try FixFleetTests.fix(
      fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive", "--batch", "2", "--concurrency", "8"])
    #expect(run.status == 0, "\(run.out)\n\(run.err)")
    let entries = try FixHarness.journal(journal, run: try FixHarness.runID(run.out))
    let order = try fleet.inventoryHosts().map(\.name)
    #expect(order.count == 4)
    let batches = [Array(order.prefix(2)), Array(order.dropFirst(2))]
    let lastEnd = try #require(
      entries.lastIndex { $0["kind"] as? String == "end" && batches[0].contains($0["host"] as? String ?? "") })
    let firstIntent = try #require(
      entries.firstIndex { $0["kind"] as? String == "intent" && batches[1].contains($0["host"] as? String ?? "") })
    #expect(lastEnd < firstIntent, "batch 2 started before batch 1 ended")
    // Disruptive steps in both batches: the barrier is what kept them apart.
    for batch in batches {
      let disruptive = entries.filter {
        $0["kind"] as? String == "intent" && batch.contains($0["host"] as? String ?? "")
          && ($0["step"] as? [String: Any])?["disruptive"] != nil
      }
      #expect(!disruptive.isEmpty, "no disruptive step in \(batch)")
    }
  }

  /// Apply, change the value by hand, roll back: the step is skipped with a warning and nothing changes (exit 1);
  /// `--force` restores the original and re-audits the touched control; a third rollback says it was already done.
  @Test func aValueChangedSinceTheRunIsNotRolledBackWithoutForce() throws {
    let host = "credssp-vulnerable"
    let fleet = try FleetHarness(hosts: [host], addressPrefix: "127.0.72", port: 2272)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let original = try FixHarness.state(fleet, host)
    let apply = try FixFleetTests.fix(fleet, journal: journal, ["--apply", "--yes"])
    #expect(apply.status == 0, "\(apply.out)\n\(apply.err)")
    let run = try FixHarness.runID(apply.out)
    let written = try #require(
      ((try FixHarness.state(fleet, host)["registry"] as? [String: Any])?[Self.credssp] as? [String: Any])?[
        "AllowEncryptionOracle"] as? [String: Any])
    let wrote = try #require(written["value"] as? Int)

    // Someone sets it to 0 (Force updated clients) by hand.
    let edited = try #require(try FixHarness.state(fleet, host).mutableCopy() as? NSMutableDictionary)
    var registry = edited["registry"] as? [String: Any] ?? [:]
    registry[Self.credssp] = ["AllowEncryptionOracle": ["type": "DWORD", "value": 0]]
    edited["registry"] = registry
    try FixHarness.write(edited, fleet, host)
    let byHand = try FixHarness.state(fleet, host)

    let careful = try FixFleetTests.rollback(fleet, journal: journal, run: run)
    #expect(careful.status == 1, "\(careful.out)\n\(careful.err)")
    #expect(
      careful.out.contains("changed since: now 0 (DWord), this run wrote \(wrote) (DWord) (--force restores it)"),
      "\(careful.out)")
    #expect(try FixHarness.state(fleet, host).isEqual(byHand), "the careful rollback changed the host")

    let forced = try FixFleetTests.rollback(fleet, journal: journal, run: run, ["--force", "--format", "json"])
    #expect(forced.status == 0, "\(forced.out)\n\(forced.err)")
    let document = try Self.json(forced.out)
    let hostReport = try #require((document["hosts"] as? [[String: Any]])?.first)
    #expect(hostReport["result"] as? String == "rolled-back", "\(forced.out)")
    #expect((hostReport["steps"] as? [[String: Any]])?.first?["result"] as? String == "forced", "\(forced.out)")
    let reaudit = try #require(hostReport["reaudit"] as? [[String: Any]])
    #expect(
      reaudit.contains { $0["control"] as? String == "credssp-not-vulnerable" && $0["status"] as? String == "drift" })
    let now = try FixHarness.state(fleet, host)
    #expect(FixHarness.restored(now, original: original), "\(FixHarness.differences(original, now))")

    let again = try FixFleetTests.rollback(fleet, journal: journal, run: run)
    #expect(again.status == 0, "\(again.out)\n\(again.err)")
    #expect(again.out.contains("run \(run) was already rolled back"), "\(again.out)")
    #expect(try FixHarness.state(fleet, host).isEqual(now))
  }

  /// A TLS fix Windows reads at start-up: "pending reboot" in the text summary and in the JSON, never "converged";
  /// the summary names the host to restart.
  @Test func aRebootPendingFixIsPendingRebootInTextAndJSON() throws {
    let host = "tls12-disabled"
    let fleet = try FleetHarness(hosts: [host], addressPrefix: "127.0.73", port: 2273)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }

    let dry = try FixFleetTests.fix(fleet, journal: journal, ["--allow-disruptive", "--format", "json"])
    #expect(dry.status == 1, "\(dry.out)\n\(dry.err)")
    let plan = try Self.json(dry.out)
    #expect(plan["mode"] as? String == "dry-run")
    #expect((plan["hosts"] as? [[String: Any]])?.first?["result"] as? String == "planned", "\(dry.out)")

    let text = try FixFleetTests.fix(fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive"])
    #expect(text.status == 0, "\(text.out)\n\(text.err)")
    #expect(text.out.contains("summary (1 host: 1 pending reboot)"), "\(text.out)")
    #expect(text.out.contains("  tls12-disabled  pending reboot"), "\(text.out)")
    #expect(!text.out.contains("converged"), "\(text.out)")
    #expect(text.out.contains("restart to finish (a change Windows reads at start-up): tls12-disabled"))
    let back = try FixFleetTests.rollback(fleet, journal: journal, run: try FixHarness.runID(text.out))
    #expect(back.status == 0, "\(back.out)\n\(back.err)")
    #expect(back.out.contains("re-audit tls12-server-enabled: drift"), "\(back.out)")

    let json = try FixFleetTests.fix(
      fleet, journal: journal, ["--apply", "--yes", "--allow-disruptive", "--format", "json"])
    #expect(json.status == 0, "\(json.out)\n\(json.err)")
    #expect(json.err.contains("winaudit fix: run "), "the run line goes to stderr: \(json.err)")
    let document = try Self.json(json.out)
    #expect(document["schema"] as? String == "winaudit-fix/1")
    #expect(document["exitCode"] as? Int == 0)
    let hostReport = try #require((document["hosts"] as? [[String: Any]])?.first)
    #expect(hostReport["result"] as? String == "pending-reboot", "\(json.out)")
    #expect(hostReport["needsReboot"] as? Bool == true)
    let verify = try #require(hostReport["verify"] as? [[String: Any]])
    #expect(!verify.isEmpty && verify.allSatisfy { $0["result"] as? String == "pending-reboot" }, "\(json.out)")
    let summary = try #require(document["summary"] as? [String: Any])
    #expect(summary["pendingReboot"] as? Int == 1 && summary["converged"] as? Int == 0)
    #expect(summary["needReboot"] as? [String] == [host])
  }

  /// `--only nla-required` on a host that also drifts on CredSSP: the plan, the summary and the JSON say "drift
  /// outside --only", never compliant, and the exit code counts it (1). Quitting at rollback's prompt changes nothing
  /// and exits 1.
  @Test func driftOutsideOnlyIsNeverCompliantAndQuittingRollbackIsNotSuccess() throws {
    let host = "nla-off"
    let fleet = try FleetHarness(hosts: [host], addressPrefix: "127.0.74", port: 2274)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let seeded = try #require(try FixHarness.state(fleet, host).mutableCopy() as? NSMutableDictionary)
    var registry = seeded["registry"] as? [String: Any] ?? [:]
    registry[Self.credssp] = ["AllowEncryptionOracle": ["type": "DWORD", "value": 2]]
    seeded["registry"] = registry
    try FixHarness.write(seeded, fleet, host)

    let apply = try FixFleetTests.fix(fleet, journal: journal, ["--apply", "--yes", "--only", "nla-required"])
    #expect(apply.status == 1, "\(apply.out)\n\(apply.err)")
    #expect(apply.out.contains("  drift outside --only (1 control): credssp-not-vulnerable"), "\(apply.out)")
    #expect(apply.out.contains("drift outside --only (1 control: credssp-not-vulnerable)"), "\(apply.out)")
    #expect(apply.out.contains("verify nla-required: converged"), "\(apply.out)")
    let run = try FixHarness.runID(apply.out)

    let again = try FixFleetTests.fix(fleet, journal: journal, ["--only", "nla-required", "--format", "json"])
    #expect(again.status == 1, "\(again.out)\n\(again.err)")
    let hostReport = try #require((try Self.json(again.out)["hosts"] as? [[String: Any]])?.first)
    #expect(hostReport["result"] as? String == "drift", "\(again.out)")
    #expect(hostReport["driftOutsideOnly"] as? [String] == ["credssp-not-vulnerable"], "\(again.out)")
    let text = try FixFleetTests.fix(fleet, journal: journal, ["--only", "nla-required"])
    #expect(text.out.contains("\(host) (") && text.out.contains("drift outside --only (1 control)"), "\(text.out)")
    #expect(!text.out.contains("compliant"), "\(text.out)")

    let applied = try FixHarness.state(fleet, host)
    let lab = fleet.lab.inventory.deletingLastPathComponent()
    let terminal = try TerminalRun([
      "rollback", run, "--journal", journal.path, "--no-agent", "--known-hosts",
      lab.appendingPathComponent("known_hosts").path,
    ])
    try terminal.waitFor("[q]uit ")
    terminal.type("q")
    let quit = terminal.finish()
    #expect(quit.status == 1, "\(quit.out)\n\(terminal.screen)")
    #expect(quit.out.contains("\(host): not changed (declined)"), "\(quit.out)")
    #expect(try FixHarness.state(fleet, host).isEqual(applied), "quitting changed the host")
  }
}
