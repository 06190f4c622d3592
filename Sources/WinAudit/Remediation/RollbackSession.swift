import Foundation

/// `winaudit rollback RUN-ID`: reads the run's journal, asks like `fix --apply` about each host's changes to take back
/// (newest first), and restores the recorded before-values under the same host lock, journaling the rollback as a run
/// of its own. It returns a `RollbackRunReport`; the command line renders it (`RollbackReport`) and maps it to the exit
/// code (`ExitStatus`).
public struct RollbackSession: Sendable {
  public var connector: any HostConnector
  public var now: @Sendable () -> Date
  public var staleLockMinutes: Int
  /// The most hosts rolled back at the same time.
  public var concurrency: Int
  /// Set by Ctrl-C or SIGTERM: no host starts after it; see `Interruption`.
  public var interruption: Interruption

  public init(
    connector: any HostConnector, now: @escaping @Sendable () -> Date = Date.init, staleLockMinutes: Int = 30,
    concurrency: Int = 16, interruption: Interruption = Interruption()
  ) {
    self.connector = connector
    self.now = now
    self.staleLockMinutes = staleLockMinutes
    self.concurrency = max(1, concurrency)
    self.interruption = interruption
  }

  /// What a rollback tells its caller while it runs, so text can appear before any host is contacted and each host's
  /// changes before the question about them.
  public enum Event: Sendable {
    /// The rollback is journaled as run `run`; no host has been contacted yet.
    case started(original: String, run: RunID, journal: String)
    /// A host's changes to undo, in journal order, before its confirmation question.
    case planned(RollbackPlanner.HostRollback)
  }

  /// Asks about every selected host first, one at a time, then rolls back the accepted ones in parallel.
  public func rollback(
    _ entries: [JournalEntry], limit: HostLimit?, confirmation: Confirmation, journal directory: JournalDirectory,
    events: (Event) -> Void = { _ in }
  ) async throws(JournalError) -> RollbackRunReport {
    let (original, plans) = try RollbackPlanner.plan(entries)
    let selected = plans.filter { limit?.matches($0.host, groups: [:]) ?? true }
    guard !selected.isEmpty else {
      return RollbackRunReport(original: original, run: nil, journal: nil, hosts: [])
    }
    let run = RunID(date: now())
    let journal = try JournalWriter(directory: directory, run: run)
    try journal.append(JournalEntry(kind: .run, run: run.text, command: "rollback", rollbackOf: original))
    events(.started(original: original, run: run, journal: journal.path))
    var results = selected.map { RollbackRunReport.HostResult(plan: $0, outcome: .declined) }
    var accepted: [Int] = []
    for (index, plan) in selected.enumerated() {
      events(.planned(plan))
      let count = plan.steps.count
      // Ctrl-C at the prompt ends the questions: this host and the rest are not started (no lock is held yet).
      if !interruption.isInterrupted,
        confirmation.confirm("Roll back \(count) change\(count == 1 ? "" : "s") on \(plan.host.name)?"),
        !interruption.isInterrupted
      {
        accepted.append(index)
      } else if interruption.isInterrupted {
        results[index].outcome = .interrupted
        try notStarted(plan, run: run, journal: journal)
      }
    }
    let interruption = self.interruption
    let outcomes = await FleetRunner(concurrency: concurrency).run(accepted.map { selected[$0] }) { [self] plan in
      // Once interrupted, no host starts; a host already being rolled back finishes.
      if interruption.isInterrupted {
        try? notStarted(plan, run: run, journal: journal)
        return RollbackRunReport.Outcome.interrupted
      }
      return await roll(back: plan, of: original, run: run, journal: journal)
    }
    for (index, outcome) in zip(accepted, outcomes) { results[index].outcome = outcome }
    return RollbackRunReport(
      original: original, run: run, journal: journal.path, hosts: results, interrupted: interruption.isInterrupted)
  }

  /// A host the interrupted rollback will not change: an `end` line says so.
  private func notStarted(
    _ plan: RollbackPlanner.HostRollback, run: RunID, journal: JournalWriter
  ) throws(JournalError) {
    try journal.append(
      JournalEntry(
        kind: .end, run: run.text, host: plan.host.name, status: "interrupted",
        message: "interrupted (signal \(interruption.signal ?? 0)) before any change was sent"))
  }

  /// One host: connect, send the undo steps under the host lock (taking over the original run's leftover lock), close.
  private func roll(
    back plan: RollbackPlanner.HostRollback, of original: String, run: RunID, journal: JournalWriter
  ) async -> RollbackRunReport.Outcome {
    let session: any HostSession
    do {
      session = try await connector.connect(to: plan.host)
    } catch {
      return .unreachable(error.message)
    }
    let outcome = await FixRunner.execute(
      steps: plan.steps, on: session, host: plan.host, run: run, journal: journal, now: now(),
      staleLockMinutes: staleLockMinutes, takeOver: [original])
    await session.close()
    return .executed(outcome)
  }
}
