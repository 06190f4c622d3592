import Foundation
import Testing
import WinAudit
import WinLab

/// A login whose token is not elevated (the lab's `not-elevated` host logs winaudit in as "ops"): the host is an error
/// that says how to fix the account, never drift, and `fix` plans and changes nothing there.
@Suite struct ElevationTests {
  @Test func aLoginWithoutAnElevatedTokenIsAHostErrorWithAdviceAndNoPlan() throws {
    let fleet = try FleetHarness(hosts: ["not-elevated", "nla-off"], addressPrefix: "127.0.45", port: 2241)
    defer { fleet.stop() }
    let original = try FixHarness.state(fleet, "not-elevated")

    let audit = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path, "--no-agent"])
    #expect(audit.status == 4, "\(audit.out)\n\(audit.err)")
    #expect(audit.out.contains("NOT-ELEVATED\\ops whose token is not elevated"), "\(audit.out)")
    #expect(audit.out.contains("Log in with an account in Administrators"), "\(audit.out)")

    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let base = ["fix", "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent"]
    let dry = try FleetHarness.winaudit(base + ["--limit", "not-elevated"])
    #expect(dry.status == 4, "\(dry.out)\n\(dry.err)")
    #expect(dry.out.contains("not-elevated (") && dry.out.contains("not planned"), "\(dry.out)")
    #expect(!dry.out.contains("1. "), "a step was planned:\n\(dry.out)")

    // Applying to both: the other host is fixed, the not-elevated one is untouched and keeps the run at exit 4.
    let apply = try FleetHarness.winaudit(base + ["--apply", "--yes"])
    #expect(apply.status == 4, "\(apply.out)\n\(apply.err)")
    #expect(apply.out.contains("nla-off: applied 1 change"), "\(apply.out)")
    let run = try FixHarness.runID(apply.out)
    let intents = try FixHarness.journal(journal, run: run).filter { $0["kind"] as? String == "intent" }
    #expect(intents.allSatisfy { ($0["host"] as? String) == "nla-off" }, "\(intents)")
    #expect(FixHarness.restored(try FixHarness.state(fleet, "not-elevated"), original: original))
  }
}
