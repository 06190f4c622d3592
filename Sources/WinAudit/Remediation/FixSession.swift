import Foundation

/// `winaudit fix` for a fleet: plans every host, and with `apply` asks per host, journals, applies and verifies. It
/// returns a `FixRunReport`; the command line renders it (`FixReport`) and maps it to the exit code (`ExitStatus`).
public struct FixSession: Sendable {
  public var runner: FixRunner
  /// The most hosts planned, or applied, at the same time.
  public var concurrency: Int
  /// Set by Ctrl-C or SIGTERM: no host starts after it; see `Interruption`.
  public var interruption: Interruption
  /// Batches and the failure limit of an apply (`--batch`, `--max-fail`).
  public var rollout: Rollout

  public init(
    runner: FixRunner, concurrency: Int = 16, interruption: Interruption = Interruption(), rollout: Rollout = Rollout()
  ) {
    self.runner = runner
    self.concurrency = max(1, concurrency)
    self.interruption = interruption
    self.rollout = rollout
  }

  /// What an apply tells its caller while it runs, so text can appear before any host is contacted and each host's
  /// plan before the question about it.
  public enum Event: Sendable {
    /// The run is journaled; no host has been changed yet.
    case started(run: RunID, journal: String)
    /// The plans change nothing anywhere: no run is started (the plans follow).
    case nothingToChange
    /// A host's plan, in inventory order, before its confirmation question (if it has changes to ask about).
    case planned(FixRunner.Prepared)
  }

  /// Plans without changing anything; with `showScript` the report carries the script each host would run.
  public func dryRun(hosts: [InventoryHost], showScript: Bool = false) async -> FixRunReport {
    let run = RunID(date: runner.now())
    var results: [FixRunReport.HostFix] = []
    for host in await prepareAll(hosts, run: run) {
      var script: String?
      if showScript, !host.plan.steps.isEmpty { script = host.script(run: run, now: runner.now()) }
      await runner.finish(host)
      results.append(FixRunReport.HostFix(prepared: host.closed, script: script))
    }
    return FixRunReport(run: nil, journal: nil, hosts: results)
  }

  /// Plans, asks, journals, applies and verifies. The questions come one host at a time, in inventory order, before
  /// any host is changed; the accepted hosts are then applied in parallel.
  public func apply(
    hosts: [InventoryHost], confirmation: Confirmation, journal directory: JournalDirectory,
    events: (Event) -> Void = { _ in }
  ) async throws(JournalError) -> FixRunReport {
    let run = RunID(date: runner.now())
    let prepared = await prepareAll(hosts, run: run, lock: true)
    // Interrupted while planning: release every lock the pre-reads took; nothing was journaled or changed.
    if interruption.isInterrupted {
      var results: [FixRunReport.HostFix] = []
      for host in prepared {
        await runner.finish(host)
        var result = FixRunReport.HostFix(prepared: host.closed)
        if !host.plan.steps.isEmpty {
          result.outcome = HostOutcome(host: host.host.name, steps: host.plan.steps, status: .interrupted)
        }
        results.append(result)
      }
      return FixRunReport(run: nil, journal: nil, hosts: results, interrupted: true)
    }
    // A plan that changes nothing anywhere starts no run: no journal, no RUN-ID to look for later.
    guard prepared.contains(where: { !$0.plan.steps.isEmpty && $0.lockedBy == nil }) else {
      events(.nothingToChange)
      var results: [FixRunReport.HostFix] = []
      for host in prepared {
        events(.planned(host))
        await runner.finish(host)
        var result = FixRunReport.HostFix(prepared: host.closed)
        if let held = host.lockedBy {
          result.outcome = HostOutcome(
            host: host.host.name, steps: [], status: .locked(by: held.run, since: held.since))
        }
        results.append(result)
      }
      return FixRunReport(run: nil, journal: nil, hosts: results, nothingToChange: true)
    }
    let journal: JournalWriter
    do {
      journal = try JournalWriter(directory: directory, run: run)
      try journal.append(JournalEntry(kind: .run, run: run.text, command: "fix"))
    } catch {
      // Nothing was changed: give back the locks the pre-reads took rather than leave them to go stale.
      for host in prepared { await runner.finish(host) }
      throw error
    }
    events(.started(run: run, journal: journal.path))
    var results = prepared.map { FixRunReport.HostFix(prepared: $0.closed) }
    var accepted: [Int] = []
    for (index, host) in prepared.enumerated() {
      events(.planned(host))
      if let held = host.lockedBy {
        results[index].outcome = HostOutcome(
          host: host.host.name, steps: [], status: .locked(by: held.run, since: held.since))
        continue
      }
      guard !host.plan.steps.isEmpty else {
        await runner.finish(host)
        continue
      }
      let count = host.plan.steps.count
      // A Ctrl-C at the prompt ends the questions (the prompt returns as if the input ended): this host and the
      // rest are released below.
      if !interruption.isInterrupted,
        confirmation.confirm("Apply \(count) change\(count == 1 ? "" : "s") to \(host.host.name)?"),
        !interruption.isInterrupted
      {
        accepted.append(index)
      } else if interruption.isInterrupted {
        results[index].outcome = try await notStarted(host, run: run, journal: journal)
      } else {
        results[index].outcome = HostOutcome(host: host.host.name, steps: host.plan.steps, status: .declined)
        await runner.finish(host)
      }
    }
    // The accepted hosts, in inventory order, before any is changed: the journal names every host the run will touch
    // up front, and a rollback asks about them in this order whatever order the parallel applies end in.
    for index in accepted {
      let host = prepared[index].host
      try journal.append(JournalEntry(kind: .host, run: run.text, host: host.name, connection: host))
    }
    // Batch by batch in inventory order; a batch ends before the next starts. A host that failed while planning
    // (unreachable, locked) counts against --max-fail from the start of its batch.
    let runner = self.runner
    let interruption = self.interruption
    let tally = FailureTally(limit: rollout.failureLimit(of: prepared.count))
    for batch in rollout.batches(of: prepared.count) {
      for index in batch { tally.record(failure: prepared[index].failedToPlan) }
      let members = accepted.filter { batch.contains($0) }
      let rollout = self.rollout
      // The hosts that start with the batch all start (what the limit said when it began); a host waiting for a free
      // slot checks the limit when its turn comes.
      let stoppedAtStart = tally.isExhausted
      let concurrency = self.concurrency
      let queue = members.enumerated().map { (position: $0.offset, host: prepared[$0.element]) }
      let outcomes = await FleetRunner(concurrency: concurrency).run(queue) { item in
        let host = item.host
        // Once interrupted, or once too many hosts failed, no host starts: its lock is released and the journal says
        // it was not changed.
        if interruption.isInterrupted {
          return (try? await self.notStarted(host, run: run, journal: journal))
            ?? HostOutcome(host: host.host.name, steps: host.plan.steps, status: .interrupted)
        }
        if item.position < concurrency ? stoppedAtStart : tally.isExhausted {
          let reason = rollout.stopReason(failed: tally.count)
          return (try? await self.notStarted(host, run: run, journal: journal, reason: reason))
            ?? HostOutcome(host: host.host.name, steps: host.plan.steps, status: .notStarted(reason))
        }
        let outcome = await runner.apply(host, run: run, journal: journal)
        tally.record(failure: outcome.status.isFailure)
        return outcome
      }
      for (index, outcome) in zip(members, outcomes) { results[index].outcome = outcome }
    }
    return FixRunReport(run: run, journal: journal.path, hosts: results, interrupted: interruption.isInterrupted)
  }

  /// A host the run will not change (interrupted, or `reason`: --max-fail was reached): its lock released, an `end`
  /// line journaled.
  private func notStarted(
    _ host: FixRunner.Prepared, run: RunID, journal: JournalWriter, reason: String? = nil
  ) async throws(JournalError) -> HostOutcome {
    await runner.finish(host)
    let status: HostOutcome.Status = reason.map { .notStarted($0) } ?? .interrupted
    let message =
      reason.map { "not started: " + $0 }
      ?? "interrupted (signal \(interruption.signal ?? 0)) before any change was sent"
    try journal.append(
      JournalEntry(kind: .end, run: run.text, host: host.host.name, status: status.word, message: message))
    return HostOutcome(host: host.host.name, steps: host.plan.steps, status: status)
  }

  private func prepareAll(_ hosts: [InventoryHost], run: RunID, lock: Bool = false) async -> [FixRunner.Prepared] {
    let runner = self.runner
    return await FleetRunner(concurrency: concurrency).run(hosts) { host in
      await runner.prepare(host, run: run, lock: lock)
    }
  }
}

extension FixRunner.Prepared {
  /// The host could not be planned (unreachable, its audit or pre-read failed) or another run holds its lock: it
  /// counts as a failed host for `--max-fail`.
  var failedToPlan: Bool {
    if lockedBy != nil { return true }
    guard let error, plan.steps.isEmpty else { return false }
    return audit.findings.isEmpty || error != audit.error
  }

  /// The plan without its session, for the report: by then `apply` or `finish` has closed the session.
  var closed: Self {
    var copy = self
    copy.session = nil
    copy.lockRun = nil
    return copy
  }
}
