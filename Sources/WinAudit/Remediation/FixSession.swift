import Foundation

/// `winaudit fix` for a fleet: plans every host, and with `apply` asks per host, journals, applies and verifies. It
/// returns a `FixRunReport`; the command line renders it (`FixReport`) and maps it to the exit code (`ExitStatus`).
public struct FixSession: Sendable {
  public var runner: FixRunner
  /// The most hosts planned, or applied, at the same time.
  public var concurrency: Int

  public init(runner: FixRunner, concurrency: Int = 16) {
    self.runner = runner
    self.concurrency = max(1, concurrency)
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
    let journal = try JournalWriter(directory: directory, run: run)
    try journal.append(JournalEntry(kind: .run, run: run.text, command: "fix"))
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
      if confirmation.confirm("Apply \(count) change\(count == 1 ? "" : "s") to \(host.host.name)?") {
        accepted.append(index)
      } else {
        results[index].outcome = HostOutcome(host: host.host.name, steps: host.plan.steps, status: .declined)
        await runner.finish(host)
      }
    }
    let runner = self.runner
    let outcomes = await FleetRunner(concurrency: concurrency).run(accepted.map { prepared[$0] }) { host in
      await runner.apply(host, run: run, journal: journal)
    }
    for (index, outcome) in zip(accepted, outcomes) { results[index].outcome = outcome }
    return FixRunReport(run: run, journal: journal.path, hosts: results)
  }

  private func prepareAll(_ hosts: [InventoryHost], run: RunID, lock: Bool = false) async -> [FixRunner.Prepared] {
    let runner = self.runner
    return await FleetRunner(concurrency: concurrency).run(hosts) { host in
      await runner.prepare(host, run: run, lock: lock)
    }
  }
}

extension FixRunner.Prepared {
  /// The plan without its session, for the report: by then `apply` or `finish` has closed the session.
  var closed: Self {
    var copy = self
    copy.session = nil
    copy.lockRun = nil
    return copy
  }
}
