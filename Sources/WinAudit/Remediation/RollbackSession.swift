import Foundation

/// `winaudit rollback RUN-ID`: reads the run's journal, shows per host the changes it will take back (newest first),
/// asks like `fix --apply`, and restores the recorded before-values under the same host lock, journaling the rollback
/// as a run of its own.
public struct RollbackSession: Sendable {
  public var connector: any HostConnector
  public var now: @Sendable () -> Date
  public var staleLockMinutes: Int
  public var print: @Sendable (String) -> Void

  public init(
    connector: any HostConnector, now: @escaping @Sendable () -> Date = Date.init, staleLockMinutes: Int = 30,
    print: @escaping @Sendable (String) -> Void
  ) {
    self.connector = connector
    self.now = now
    self.staleLockMinutes = staleLockMinutes
    self.print = print
  }

  /// 0 when every selected host was rolled back (or declined), 4 when one could not be.
  public func rollback(
    _ entries: [JournalEntry], limit: HostLimit?, confirmation: Confirmation, journal directory: JournalDirectory
  ) async throws(JournalError) -> Int32 {
    let (original, plans) = try RollbackPlanner.plan(entries)
    let selected = plans.filter { limit?.matches($0.host.host, groups: [:]) ?? true }
    guard !selected.isEmpty else {
      print("run \(original): no change recorded for the selected hosts; nothing to roll back")
      return 0
    }
    let run = RunID(date: now())
    let journal = try JournalWriter(directory: directory, run: run)
    try journal.append(JournalEntry(kind: .run, run: run.text, command: "rollback", rollbackOf: original))
    print("winaudit rollback of run \(original): run \(run.text) (journal \(journal.path))")
    var code: Int32 = 0
    for plan in selected {
      print("")
      print(
        "\(plan.host.name) (\(plan.host.address)): \(plan.steps.count) change\(plan.steps.count == 1 ? "" : "s") to undo"
      )
      for step in plan.steps {
        let maybe = plan.maybeApplied.contains(step.id) ? " [no recorded result: maybe applied]" : ""
        let mark = step.disruptive.map { " [disruptive: \($0)]" } ?? ""
        print("  undo \(step.id).\(mark)\(maybe) \(step.fix): \(step.change)")
      }
      let question = "Roll back \(plan.steps.count) change\(plan.steps.count == 1 ? "" : "s") on \(plan.host.name)?"
      guard confirmation.confirm(question) else {
        print("\(plan.host.name): not changed (declined)")
        continue
      }
      let session: any HostSession
      do {
        session = try await connector.connect(to: plan.host.host)
      } catch {
        print("\(plan.host.name): unreachable: \(error.message)")
        code = 4
        continue
      }
      let outcome = await FixRunner.execute(
        steps: plan.steps, on: session, host: plan.host.host, run: run, journal: journal, now: now(),
        staleLockMinutes: staleLockMinutes, takeOver: [original])
      await session.close()
      switch outcome.status {
      case .applied:
        print("\(plan.host.name): rolled back \(plan.steps.count) change\(plan.steps.count == 1 ? "" : "s")")
      default:
        print(FixReport.outcome(outcome))
        code = 4
      }
    }
    print("")
    print("run \(run.text): journal \(journal.path)")
    return code
  }
}
