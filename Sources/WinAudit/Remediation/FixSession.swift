import Foundation

/// `winaudit fix` for a fleet: plans every host, prints the plans, and with `apply` asks per host, journals, applies
/// and verifies. The command line only parses flags and calls this.
public struct FixSession: Sendable {
  public var runner: FixRunner
  public var concurrency: Int
  /// Where text goes (stdout in the command line); called from one task at a time.
  public var print: @Sendable (String) -> Void

  public init(runner: FixRunner, concurrency: Int = 16, print: @escaping @Sendable (String) -> Void) {
    self.runner = runner
    self.concurrency = max(1, concurrency)
    self.print = print
  }

  /// Plans without changing anything; exit code as for audit (0 compliant, 1 drift, 4 host error).
  public func dryRun(hosts: [Host], showScript: Bool) async -> Int32 {
    let run = RunID(date: runner.now())
    let prepared = await prepareAll(hosts, run: run)
    print("winaudit fix: dry run, nothing is changed (add --apply to apply)")
    for host in prepared {
      print("")
      print(FixReport.plan(host))
      if showScript, !host.plan.steps.isEmpty {
        print("  script:")
        print(
          host.script(run: run, now: runner.now()).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
      }
      await runner.finish(host)
    }
    return AuditReport(playbook: runner.playbook.name, hosts: prepared.map(\.audit)).exitCode
  }

  /// Plans, asks, journals, applies and verifies; 0 when every host converged, 1 when drift remains, 4 when a host
  /// could not be audited or changed.
  public func apply(hosts: [Host], confirmation: Confirmation, journal directory: JournalDirectory)
    async throws(JournalError) -> Int32
  {
    let run = RunID(date: runner.now())
    let journal = try JournalWriter(directory: directory, run: run)
    try journal.append(JournalEntry(kind: .run, run: run.text, command: "fix"))
    print("winaudit fix: run \(run.text) (journal \(journal.path); undo with `winaudit rollback \(run.text)`)")
    let prepared = await prepareAll(hosts, run: run, lock: true)
    var accepted: [FixRunner.Prepared] = []
    var outcomes: [String: HostOutcome] = [:]
    for host in prepared {
      print("")
      print(FixReport.plan(host))
      if let held = host.lockedBy {
        outcomes[host.host.name] = HostOutcome(
          host: host.host.name, steps: [], status: .locked(by: held.run, since: held.since))
        continue
      }
      guard !host.plan.steps.isEmpty else {
        await runner.finish(host)
        continue
      }
      let count = host.plan.steps.count
      if confirmation.confirm("Apply \(count) change\(count == 1 ? "" : "s") to \(host.host.name)?") {
        accepted.append(host)
      } else {
        outcomes[host.host.name] = HostOutcome(host: host.host.name, steps: host.plan.steps, status: .declined)
        await runner.finish(host)
      }
    }
    let runner = self.runner
    await withTaskGroup(of: HostOutcome.self) { group in
      var next = 0
      func startNext() {
        guard next < accepted.count else { return }
        let host = accepted[next]
        next += 1
        group.addTask { await runner.apply(host, run: run, journal: journal) }
      }
      for _ in 0..<min(concurrency, accepted.count) { startNext() }
      for await outcome in group {
        outcomes[outcome.host] = outcome
        startNext()
      }
    }
    print("")
    var code: Int32 = 0
    for host in prepared {
      if let outcome = outcomes[host.host.name] {
        print(FixReport.outcome(outcome))
      }
      let final = outcomes[host.host.name]?.verification ?? host.audit
      switch final.status {
      case .error, .unreachable: code = max(code, 4)
      case .drift: code = max(code, 1)
      case .compliant: break
      }
      if let outcome = outcomes[host.host.name] {
        switch outcome.status {
        case .failed, .dropped, .locked: code = max(code, 4)
        default: break
        }
      }
    }
    print("")
    print("run \(run.text): journal \(journal.path)")
    return code
  }

  private func prepareAll(_ hosts: [Host], run: RunID, lock: Bool = false) async -> [FixRunner.Prepared] {
    let runner = self.runner
    var results = [FixRunner.Prepared?](repeating: nil, count: hosts.count)
    await withTaskGroup(of: (Int, FixRunner.Prepared).self) { group in
      var next = 0
      func startNext() {
        guard next < hosts.count else { return }
        let index = next
        let host = hosts[index]
        next += 1
        group.addTask { (index, await runner.prepare(host, run: run, lock: lock)) }
      }
      for _ in 0..<min(concurrency, hosts.count) { startNext() }
      for await (index, prepared) in group {
        results[index] = prepared
        startNext()
      }
    }
    return results.compactMap { $0 }
  }
}
