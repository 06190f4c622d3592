import Foundation

/// `winaudit rollback RUN-ID`: reads the run's journal, asks like `fix --apply` about each host's changes to take back
/// (newest first), and restores the recorded before-values under the same host lock, journaling the rollback as a run
/// of its own. It returns a `RollbackRunReport`; the command line renders it (`RollbackReport`) and maps it to the exit
/// code (`ExitStatus`).
///
/// Safe by default: before restoring, every value target is read (one script, under the host lock); a value that is no
/// longer the one the run wrote was changed since by someone or something, and its undo is skipped with a warning
/// unless `force`. After the undo the touched controls are audited again on the same connection. Hosts an earlier
/// rollback of the same run already restored are not touched again.
public struct RollbackSession: Sendable {
  public var connector: any HostConnector
  public var now: @Sendable () -> Date
  public var staleLockMinutes: Int
  /// The most hosts rolled back at the same time.
  public var concurrency: Int
  /// Set by Ctrl-C or SIGTERM: no host starts after it; see `Interruption`.
  public var interruption: Interruption
  /// Batches and the failure limit (`--batch`, `--max-fail`).
  public var rollout: Rollout
  /// Restore values even when they changed since the run (`--force`).
  public var force: Bool
  /// The playbook whose collector re-audits the touched controls after the undo; nil: no re-audit.
  public var playbook: Playbook?
  /// One powershell.exe per script instead of one per host (see `FixRunner.oneProcessPerScript`).
  public var oneProcessPerScript: Bool

  public init(
    connector: any HostConnector, now: @escaping @Sendable () -> Date = Date.init, staleLockMinutes: Int = 30,
    concurrency: Int = 16, interruption: Interruption = Interruption(), rollout: Rollout = Rollout(),
    force: Bool = false, playbook: Playbook? = nil, oneProcessPerScript: Bool = false
  ) {
    self.oneProcessPerScript = oneProcessPerScript
    self.connector = connector
    self.now = now
    self.staleLockMinutes = staleLockMinutes
    self.concurrency = max(1, concurrency)
    self.interruption = interruption
    self.rollout = rollout
    self.force = force
    self.playbook = playbook
  }

  /// What a rollback tells its caller while it runs, so text can appear before any host is contacted and each host's
  /// changes before the question about them.
  public enum Event: Sendable {
    /// The rollback is journaled as run `run`; no host has been contacted yet.
    case started(original: String, run: RunID, journal: String)
    /// A host's changes to undo, in journal order, before its confirmation question.
    case planned(RollbackPlanner.HostRollback)
  }

  /// Asks about every selected host first, one at a time, then rolls back the accepted ones batch by batch, each batch
  /// in parallel.
  public func rollback(
    _ entries: [JournalEntry], limit: HostLimit?, confirmation: Confirmation, journal directory: JournalDirectory,
    events: (Event) -> Void = { _ in }
  ) async throws(JournalError) -> RollbackRunReport {
    let (original, plans) = try RollbackPlanner.plan(entries)
    let matching = plans.filter { limit?.matches($0.host, memberOf: []) ?? true }
    // Hosts an earlier rollback of this run restored completely are left alone: rolling back twice changes nothing.
    let done = Self.rolledBack(original, in: directory)
    let selected = matching.filter { done[$0.host.name] == nil }
    let already = matching.compactMap { plan in done[plan.host.name].map { (host: plan.host.name, by: $0) } }
    guard !selected.isEmpty else {
      return RollbackRunReport(original: original, run: nil, journal: nil, hosts: [], alreadyRolledBack: already)
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
        try notStarted(plan, run: run, journal: journal, reason: nil)
      }
    }
    let interruption = self.interruption
    let rollout = self.rollout
    let tally = FailureTally(limit: rollout.failureLimit(of: selected.count))
    for batch in rollout.batches(of: selected.count) {
      let members = accepted.filter { batch.contains($0) }
      // The hosts that start with the batch all start; a host waiting for a free slot checks the limit on its turn.
      let stoppedAtStart = tally.isExhausted
      let queue = members.enumerated().map { (position: $0.offset, plan: selected[$0.element]) }
      let finished = await FleetRunner(concurrency: concurrency).run(queue) {
        [self] item -> RollbackRunReport.HostResult in
        let plan = item.plan
        var result = RollbackRunReport.HostResult(plan: plan, outcome: .interrupted)
        // Once interrupted, or once too many hosts failed, no host starts; a host already being rolled back finishes.
        if interruption.isInterrupted {
          try? notStarted(plan, run: run, journal: journal, reason: nil)
          return result
        }
        if item.position < concurrency ? stoppedAtStart : tally.isExhausted {
          let reason = rollout.stopReason(failed: tally.count)
          try? notStarted(plan, run: run, journal: journal, reason: reason)
          result.outcome = .notStarted(reason)
          return result
        }
        result = await roll(back: plan, of: original, run: run, journal: journal)
        tally.record(failure: result.outcome.isFailure)
        return result
      }
      for (index, result) in zip(members, finished) { results[index] = result }
    }
    return RollbackRunReport(
      original: original, run: run, journal: journal.path, hosts: results, interrupted: interruption.isInterrupted,
      alreadyRolledBack: already)
  }

  /// The hosts of `original` that a rollback run in `directory` restored completely (its end line says `applied`),
  /// with that rollback's id.
  static func rolledBack(_ original: String, in directory: JournalDirectory) -> [String: String] {
    var done: [String: String] = [:]
    for run in JournalRuns.list(directory) where run.rollbackOf == original {
      for (host, outcome) in run.outcomes where outcome == "applied" && done[host] == nil { done[host] = run.id }
    }
    return done
  }

  /// A host the rollback will not change (interrupted, or `reason`: --max-fail was reached): an `end` line says so.
  private func notStarted(
    _ plan: RollbackPlanner.HostRollback, run: RunID, journal: JournalWriter, reason: String?
  ) throws(JournalError) {
    try journal.append(
      JournalEntry(
        kind: .end, run: run.text, host: plan.host.name, status: reason == nil ? "interrupted" : "not-started",
        message: reason.map { "not started: " + $0 }
          ?? "interrupted (signal \(interruption.signal ?? 0)) before any change was sent"))
  }

  /// One host: connect, read the targets under the host lock (taking over the original run's leftover lock), leave out
  /// the undos of values changed since (unless `force`), send the rest, re-audit, close.
  private func roll(
    back plan: RollbackPlanner.HostRollback, of original: String, run: RunID, journal: JournalWriter
  ) async -> RollbackRunReport.HostResult {
    var result = RollbackRunReport.HostResult(plan: plan, outcome: .declined)
    let session: any HostSession
    do {
      session = try await FixRunner.open(plan.host, connector: connector, oneProcessPerScript: oneProcessPerScript)
    } catch {
      result.outcome = .unreachable(error.message)
      try? journal.append(
        JournalEntry(kind: .end, run: run.text, host: plan.host.name, status: "unreachable", message: error.message))
      return result
    }
    let restored = await restore(plan, on: session, of: original, run: run, journal: journal)
    await session.close()
    return restored
  }

  private func restore(
    _ plan: RollbackPlanner.HostRollback, on session: any HostSession, of original: String, run: RunID,
    journal: JournalWriter
  ) async -> RollbackRunReport.HostResult {
    var result = RollbackRunReport.HostResult(plan: plan, outcome: .declined)
    let checked = plan.steps.filter(\.change.checkedBeforeUndo)
    var steps = plan.steps
    var lockTaken = false
    if !checked.isEmpty {
      var reads: [HostRead] = []
      for read in checked.map(\.change.readBack) where !reads.contains(read) { reads.append(read) }
      let lock = RemediationScripts.HostLock(
        runID: run.text, now: now(), staleAfterMinutes: staleLockMinutes, takeOver: [original])
      do {
        let output = try await session.run(script: RemediationScripts.preRead(reads, lock: lock))
        let reports = StepReport.parse(output.stdout)
        if let held = reports.first(where: { $0.kind == .lock && $0.status == "held" }) {
          let by = held.after["run"]?.asText ?? "?"
          let since = held.after["since"]?.asText ?? "?"
          let outcome = HostOutcome(host: plan.host.name, steps: plan.steps, status: .locked(by: by, since: since))
          try? journal.append(JournalEntry(kind: .host, run: run.text, host: plan.host.name, connection: plan.host))
          try? journal.append(
            JournalEntry(
              kind: .end, run: run.text, host: plan.host.name, status: outcome.status.word,
              message: outcome.status.detail))
          result.outcome = .executed(outcome)
          return result
        }
        lockTaken = true
        guard let values = RemediationScripts.results(of: reads, stdout: output.stdout) else {
          let stderr = SafeText.excerpt(output.messages, lines: 3)
          throw HostConnectionError(.run, "reading the values before restoring failed: \(stderr)")
        }
        let decision = Self.decide(plan.steps, current: values, force: force)
        steps = decision.send
        result.changedSince = decision.changedSince
        result.alreadyRestored = decision.alreadyRestored
      } catch {
        if lockTaken { await FixRunner.release(run.text, on: session) }
        let message = "\(error)"
        try? journal.append(JournalEntry(kind: .host, run: run.text, host: plan.host.name, connection: plan.host))
        try? journal.append(
          JournalEntry(kind: .end, run: run.text, host: plan.host.name, status: "failed", message: message))
        result.outcome = .executed(
          HostOutcome(host: plan.host.name, steps: [], status: .failed(step: nil, message: message)))
        return result
      }
    }
    let skipped = result.changedSince.filter { !$0.forced }
    let note =
      skipped.isEmpty
      ? nil
      : "skipped (changed since this run): "
        + skipped.map { "step \($0.step.id) (now \($0.now), this run wrote \($0.wrote))" }.joined(separator: "; ")
    guard !steps.isEmpty else {
      // Nothing left to send: give the lock back and say why in the journal.
      if lockTaken { await FixRunner.release(run.text, on: session) }
      try? journal.append(JournalEntry(kind: .host, run: run.text, host: plan.host.name, connection: plan.host))
      try? journal.append(
        JournalEntry(
          kind: .end, run: run.text, host: plan.host.name, status: note == nil ? "applied" : FixRunner.partlySkipped,
          message: note ?? "every value already had its before-value"))
      result.outcome = .executed(HostOutcome(host: plan.host.name, steps: [], status: .applied))
      result.reaudit = await reaudit(plan, on: session)
      return result
    }
    let outcome = await FixRunner.execute(
      steps: steps, on: session, host: plan.host, run: run, journal: journal, now: now(),
      staleLockMinutes: staleLockMinutes, takeOver: [original], skippedNote: note)
    result.outcome = .executed(outcome)
    if case .dropped = outcome.status { return result }
    result.reaudit = await reaudit(plan, on: session)
    return result
  }

  /// The touched controls audited again on the same connection; nil without a playbook or touched controls.
  private func reaudit(_ plan: RollbackPlanner.HostRollback, on session: any HostSession) async -> HostAudit? {
    guard let playbook, plan.steps.contains(where: { $0.control != nil }) else { return nil }
    do {
      let collector = playbook.collectorScript
      let output = try await session.run(script: oneProcessPerScript ? collector.text : collector.framedText)
      return Auditor.evaluate(output, host: plan.host, playbook: playbook, now: now())
    } catch {
      return .failed(plan.host, status: .error, error: "re-auditing failed: \(error.message)")
    }
  }

  /// Which undo steps to send, given what the host holds now. The first step on each target is compared with the
  /// value read; later steps on the same target follow it (the earlier undo leaves their expected value), unless the
  /// target changed since, in which case they are skipped too.
  static func decide(
    _ steps: [FixStep], current: HostReads, force: Bool
  ) -> (send: [FixStep], changedSince: [RollbackRunReport.ChangedSince], alreadyRestored: [String]) {
    var send: [FixStep] = []
    var changed: [RollbackRunReport.ChangedSince] = []
    var restored: [String] = []
    var seen: [AnyChange] = []
    var stale: [AnyChange] = []
    for step in steps {
      guard step.change.checkedBeforeUndo, let value = current[step.change.readBack] else {
        send.append(step)
        continue
      }
      if stale.contains(where: { $0.sameTarget(as: step.change) }) {
        changed.append(
          .init(step: step, now: "changed with the step before", wrote: step.change.beforeText, forced: force))
        if force { send.append(step) }
        continue
      }
      if seen.contains(where: { $0.sameTarget(as: step.change) }) {
        send.append(step)
        continue
      }
      seen.append(step.change)
      switch step.change.undoCheck(current: value) {
      case .asWritten:
        send.append(step)
      case .alreadyRestored:
        restored.append(step.id)
      case .changed(let now, let wrote):
        stale.append(step.change)
        changed.append(.init(step: step, now: now, wrote: wrote, forced: force))
        if force { send.append(step) }
      }
    }
    return (send, changed, restored)
  }
}
