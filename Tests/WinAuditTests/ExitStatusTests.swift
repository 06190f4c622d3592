import Testing

@testable import WinAudit

/// The one mapping from reports to exit codes: 0 compliant or converged, 1 drift remains, 4 a host could not be
/// audited or changed; a rollback is 0 or 4.
@Suite struct ExitStatusTests {
  static let host = Fixtures.host
  static let compliant = HostAudit(
    host: host, findings: [Finding(controlID: "a", title: "A", severity: .low, status: .pass)], hostFacts: nil)
  static let drifted = HostAudit(
    host: host, findings: [Finding(controlID: "a", title: "A", severity: .low, status: .drift)], hostFacts: nil)
  static let unreachable = HostAudit.failed(host, status: .unreachable, error: "refused")
  static let broken = HostAudit.failed(host, status: .error, error: "the collector exited with status 1")

  @Test func audit() {
    #expect(ExitStatus.of(AuditReport(playbook: "p", hosts: [])) == 0)
    #expect(ExitStatus.of(AuditReport(playbook: "p", hosts: [Self.compliant])) == 0)
    #expect(ExitStatus.of(AuditReport(playbook: "p", hosts: [Self.compliant, Self.drifted])) == 1)
    #expect(ExitStatus.of(AuditReport(playbook: "p", hosts: [Self.drifted, Self.unreachable])) == 4)
    #expect(ExitStatus.of(AuditReport(playbook: "p", hosts: [Self.broken])) == 4)
  }

  static func fix(_ audit: HostAudit, _ status: HostOutcome.Status? = nil, verified: HostAudit? = nil)
    -> FixRunReport.HostFix
  {
    let prepared = FixRunner.Prepared(host: host, audit: audit, plan: HostPlan(host: host.name), error: audit.error)
    var outcome = status.map { HostOutcome(host: Self.host.name, steps: [], status: $0) }
    outcome?.verification = verified
    return FixRunReport.HostFix(prepared: prepared, outcome: outcome)
  }

  @Test func dryRunIsJudgedByItsAudits() {
    func code(_ hosts: [FixRunReport.HostFix]) -> Int32 {
      ExitStatus.of(FixRunReport(run: nil, journal: nil, hosts: hosts))
    }
    #expect(code([]) == 0)
    #expect(code([Self.fix(Self.compliant)]) == 0)
    #expect(code([Self.fix(Self.compliant), Self.fix(Self.drifted)]) == 1)
    #expect(code([Self.fix(Self.drifted), Self.fix(Self.unreachable)]) == 4)
  }

  @Test func applyIsJudgedAfterTheVerifyingAudit() {
    func code(_ hosts: [FixRunReport.HostFix]) -> Int32 {
      ExitStatus.of(FixRunReport(run: RunID(), journal: "/j/run.jsonl", hosts: hosts))
    }
    #expect(code([Self.fix(Self.drifted, .applied, verified: Self.compliant)]) == 0)
    #expect(code([Self.fix(Self.drifted, .applied, verified: Self.drifted)]) == 1)
    #expect(code([Self.fix(Self.drifted, .applied, verified: Self.broken)]) == 4)
    #expect(code([Self.fix(Self.compliant), Self.fix(Self.drifted, .declined)]) == 1)
    #expect(code([Self.fix(Self.drifted, .nothingToDo)]) == 1)
    // A host whose apply went wrong is 4 even when its audit afterwards looks fine.
    #expect(code([Self.fix(Self.drifted, .failed(step: "2", message: "x"), verified: Self.compliant)]) == 4)
    #expect(code([Self.fix(Self.drifted, .dropped("reset"))]) == 4)
    #expect(code([Self.fix(Self.drifted, .locked(by: "20250601-115900-aaaaaa", since: "now"))]) == 4)
  }

  static func rollback(_ outcomes: [RollbackRunReport.Outcome]) -> RollbackRunReport {
    let plan = RollbackPlanner.HostRollback(host: host, steps: [], maybeApplied: [])
    return RollbackRunReport(
      original: "20250601-115900-aaaaaa", run: outcomes.isEmpty ? nil : RunID(), journal: "/j/run.jsonl",
      hosts: outcomes.map { RollbackRunReport.HostResult(plan: plan, outcome: $0) })
  }

  /// 0 rolled back; 1 declined or quit at the prompt (or a changed value skipped); 4 a host could not be rolled back.
  @Test func rollbackIsZeroOneOrFour() {
    let applied = HostOutcome(host: Self.host.name, steps: [], status: .applied)
    let failed = HostOutcome(host: Self.host.name, steps: [], status: .failed(step: "1", message: "x"))
    let locked = HostOutcome(host: Self.host.name, steps: [], status: .locked(by: "other", since: "now"))
    #expect(ExitStatus.of(Self.rollback([])) == 0)
    #expect(ExitStatus.of(Self.rollback([.executed(applied)])) == 0)
    #expect(ExitStatus.of(Self.rollback([.executed(applied), .declined])) == 1)
    #expect(ExitStatus.of(Self.rollback([.executed(applied), .unreachable("refused")])) == 4)
    #expect(ExitStatus.of(Self.rollback([.executed(failed)])) == 4)
    #expect(ExitStatus.of(Self.rollback([.declined, .executed(locked)])) == 4)
  }

  @Test func rollbackText() {
    let applied = HostOutcome(host: Self.host.name, steps: [], status: .applied)
    let report = Self.rollback([.executed(applied), .declined, .unreachable("connection refused")])
    let run = report.run!.text
    #expect(
      RollbackReport.run(report) == """
        winaudit rollback of run 20250601-115900-aaaaaa: run \(run) (journal /j/run.jsonl)

        healthy-2019 (127.0.10.1): 0 changes to undo

        healthy-2019 (127.0.10.1): 0 changes to undo

        healthy-2019 (127.0.10.1): 0 changes to undo

        healthy-2019: rolled back 0 changes
        healthy-2019: not changed (declined)
        healthy-2019: unreachable: connection refused

        summary (3 hosts): 1 rolled back, 1 failed, 1 declined

        run \(run): journal /j/run.jsonl
        """)
    #expect(
      RollbackReport.run(Self.rollback([]))
        == "run 20250601-115900-aaaaaa: no change recorded for the selected hosts; nothing to roll back")
  }
}
