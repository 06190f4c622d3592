import Foundation
import RemotePowerShell

/// The `winaudit fix` pipeline for one host, in stages that keep the host's single connection open:
/// audit -> select fixes -> pre-read -> plan (`prepare`), then, once the user agreed, journal -> apply -> verify
/// (`apply`). Only `apply` changes the host.
///
/// Every host runs its scripts on one SSH connection and in one powershell.exe (`HostSession.startProcess`): the
/// collector, the pre-read, the apply script and the verifying collector are four frames sent to the same process,
/// which waits on its stdin while the user is asked. A Windows PowerShell start costs about a second on a real host.
public struct FixRunner: Sendable {
  public var connector: any HostConnector
  public var playbook: Playbook
  public var planner: Planner
  public var now: @Sendable () -> Date
  /// Minutes after which another run's lock on a host is considered abandoned.
  public var staleLockMinutes: Int
  /// One powershell.exe per script, as before the framed session existed: only for measuring the difference
  /// (`--one-process-per-script`, a hidden switch the benchmark uses).
  public var oneProcessPerScript: Bool

  public init(
    connector: any HostConnector, playbook: Playbook, planner: Planner,
    now: @escaping @Sendable () -> Date = Date.init, staleLockMinutes: Int = 30, oneProcessPerScript: Bool = false
  ) {
    self.connector = connector
    self.playbook = playbook
    self.planner = planner
    self.now = now
    self.staleLockMinutes = staleLockMinutes
    self.oneProcessPerScript = oneProcessPerScript
  }

  /// The collector as this runner sends it: without its final `exit 0` inside the one powershell.exe.
  var collector: String {
    oneProcessPerScript ? playbook.collectorScript.text : playbook.collectorScript.framedText
  }

  /// Connects to `host` and, unless `oneProcessPerScript`, starts the one powershell.exe every script will run in.
  static func open(
    _ host: InventoryHost, connector: any HostConnector, oneProcessPerScript: Bool
  ) async throws(HostConnectionError) -> any HostSession {
    let session = try await connector.connect(to: host)
    if oneProcessPerScript { return session }
    do {
      return try await session.startProcess()
    } catch {
      await session.close()
      throw error
    }
  }

  /// A host after planning: its audit, its plan, and the open session `apply` continues on.
  public struct Prepared: Sendable {
    public var host: InventoryHost
    public var audit: HostAudit
    public var plan: HostPlan
    /// Why no plan could be made (unreachable, audit or pre-read failure); the host is not changed.
    public var error: String?
    /// Another run's lock found by the pre-read of an apply: the host is not changed.
    public var lockedBy: (run: String, since: String)?
    var session: (any HostSession)?
    /// The run whose lock the pre-read took on this host (released by `finish`, or by the apply script).
    var lockRun: String?

    /// The script `apply` would send, for `--show-script`.
    public func script(run: RunID, now: Date) -> String {
      RemediationScripts.apply(steps: plan.steps, runID: run.text, now: now)
    }
  }

  /// Connects, audits, and plans; the session stays open for `apply` (call `finish` for hosts not applied).
  ///
  /// With `lock` (an apply) the pre-read takes the host lock, so no other run can change the host between this plan
  /// and the apply; a host whose lock another run holds gets no plan (`lockedBy`).
  public func prepare(_ host: InventoryHost, run: RunID, lock: Bool = false) async -> Prepared {
    let session: any HostSession
    do {
      session = try await Self.open(host, connector: connector, oneProcessPerScript: oneProcessPerScript)
    } catch {
      let audit = HostAudit.failed(host, status: error.phase == .connect ? .unreachable : .error, error: error.message)
      return Prepared(host: host, audit: audit, plan: HostPlan(host: host.name), error: error.message)
    }
    let audit: HostAudit
    do {
      audit = Auditor.evaluate(
        try await session.run(script: collector), host: host, playbook: playbook, now: now())
    } catch {
      await session.close()
      let message = "running the collector failed: \(error.message)"
      return Prepared(
        host: host, audit: .failed(host, status: .error, error: message), plan: HostPlan(host: host.name),
        error: message)
    }
    let drifting = audit.findings.filter { $0.status == .drift }.map(\.controlID)
    let selection = planner.select(drifting: drifting)
    var plan = HostPlan(
      host: host.name, skipped: selection.unfixed, outsideOnly: drifting.filter { !planner.inScope($0) })
    guard !selection.fixes.isEmpty else {
      return Prepared(host: host, audit: audit, plan: plan, error: audit.error, session: session)
    }
    let hostLock =
      lock ? RemediationScripts.HostLock(runID: run.text, now: now(), staleAfterMinutes: staleLockMinutes) : nil
    do {
      let reads = planner.reads(for: selection.fixes)
      let result = try await session.run(script: RemediationScripts.preRead(reads, lock: hostLock))
      let reports = StepReport.parse(result.stdout)
      if let held = reports.first(where: { $0.kind == .lock && $0.status == "held" }) {
        await session.close()
        let by = held.after["run"]?.asText ?? "?"
        let since = held.after["since"]?.asText ?? "?"
        var prepared = Prepared(
          host: host, audit: audit, plan: plan,
          error: "not changed: another winaudit run (\(by), since \(since)) is changing this host")
        prepared.lockedBy = (by, since)
        return prepared
      }
      guard let results = RemediationScripts.results(of: reads, stdout: result.stdout) else {
        let stderr = SafeText.excerpt(result.messages, lines: 3)
        throw HostConnectionError(.run, "the pre-read exited with status \(result.exitCode): \(stderr)")
      }
      let planned = planner.plan(host: host.name, fixes: selection.fixes, reads: results, run: run, now: now())
      plan.steps = planned.steps
      plan.skipped = planned.skipped + plan.skipped
    } catch {
      await Self.release(lock ? run.text : nil, on: session)
      await session.close()
      return Prepared(host: host, audit: audit, plan: plan, error: "reading the host before fixing failed: \(error)")
    }
    var prepared = Prepared(host: host, audit: audit, plan: plan, error: audit.error, session: session)
    if lock {
      prepared.lockRun = run.text
      if plan.steps.isEmpty {
        await Self.release(run.text, on: session)
        prepared.lockRun = nil
      }
    }
    return prepared
  }

  /// Closes a prepared host's session without changing it (releasing the lock its pre-read took).
  public func finish(_ prepared: Prepared) async {
    if let session = prepared.session { await Self.release(prepared.lockRun, on: session) }
    await prepared.session?.close()
  }

  /// Removes `run`'s lock from the host, best effort: a lock left behind goes stale after `staleLockMinutes`.
  static func release(_ run: String?, on session: any HostSession) async {
    guard let run else { return }
    _ = try? await session.run(script: RemediationScripts.releaseLock(runID: run))
  }

  /// Journals, applies and verifies one host's plan, then closes its session.
  func apply(_ prepared: Prepared, run: RunID, journal: JournalWriter) async -> HostOutcome {
    if let held = prepared.lockedBy {
      return HostOutcome(host: prepared.host.name, steps: [], status: .locked(by: held.run, since: held.since))
    }
    guard let session = prepared.session, !prepared.plan.steps.isEmpty else {
      await prepared.session?.close()
      return HostOutcome(host: prepared.host.name, steps: prepared.plan.steps, status: .nothingToDo)
    }
    var outcome = await Self.execute(
      steps: prepared.plan.steps, on: session, host: prepared.host, run: run, journal: journal, now: now(),
      staleLockMinutes: staleLockMinutes, hostJournaled: true)
    if case .dropped = outcome.status {
      // The apply script's `finally` never ran: remove this run's lock over a new connection if the host is back,
      // so a rerun of fix (or a rollback) need not wait for the lock to go stale.
      await session.close()
      if let again = try? await connector.connect(to: prepared.host) {
        await Self.release(run.text, on: again)
        await again.close()
      }
      return outcome
    }
    do {
      let result = try await session.run(script: collector)
      outcome.verification = Auditor.evaluate(result, host: prepared.host, playbook: playbook, now: now())
    } catch {
      outcome.verification = .failed(prepared.host, status: .error, error: "verifying failed: \(error.message)")
    }
    await session.close()
    return outcome
  }

  /// Writes the intents, runs the steps in one script, and journals each reported result: shared by fix and rollback.
  /// `hostJournaled`: the run already wrote the host's `host` line (a fix names its hosts before applying any).
  /// `skippedNote`: steps left out on purpose (a rollback's values changed since): an apply that ran every sent step
  /// ends `partly-skipped` with this message rather than `applied`.
  static func execute(
    steps: [FixStep], on session: any HostSession, host: InventoryHost, run: RunID, journal: JournalWriter, now: Date,
    staleLockMinutes: Int, takeOver: [String] = [], hostJournaled: Bool = false, skippedNote: String? = nil
  ) async -> HostOutcome {
    var outcome = HostOutcome(host: host.name, steps: steps, status: .applied)
    do {
      if !hostJournaled {
        try journal.append(JournalEntry(kind: .host, run: run.text, host: host.name, connection: host))
      }
      for step in steps {
        try journal.append(JournalEntry(kind: .intent, run: run.text, host: host.name, step: step))
      }
    } catch {
      // Without a durable journal nothing is sent, and the lock this run's pre-read took is given back at once
      // rather than left to go stale.
      outcome.status = .failed(step: nil, message: error.message)
      await release(run.text, on: session)
      return outcome
    }
    let script = RemediationScripts.apply(
      steps: steps, runID: run.text, now: now, staleAfterMinutes: staleLockMinutes, takeOver: takeOver)
    let result: ScriptResult
    do {
      result = try await session.run(script: script)
    } catch {
      // The results the host printed before the connection broke are real: journal them, so those steps count as
      // applied; only the steps without one stay "maybe applied".
      _ = record(completeLines(of: error.partialStdout), into: &outcome, run: run, host: host, journal: journal)
      outcome.status = .dropped(error.message)
      try? journal.append(
        JournalEntry(kind: .end, run: run.text, host: host.name, status: "dropped", message: error.message))
      return outcome
    }
    let journalProblem = record(result.stdout, into: &outcome, run: run, host: host, journal: journal)
    if case .applied = outcome.status, result.exitCode == -1, outcome.results.count != steps.count {
      // No exit status and results missing: the script was killed mid-way, as when the connection drops.
      outcome.status = .dropped("the apply script ended without an exit status")
    }
    if case .applied = outcome.status, result.exitCode != 0 || outcome.results.count != steps.count {
      let stderr = SafeText.excerpt(result.messages, lines: 3)
      outcome.status = .failed(
        step: nil,
        message: "the apply script exited with status \(result.exitCode)\(stderr.isEmpty ? "" : ": " + stderr)")
    }
    if let journalProblem { outcome.status = .failed(step: nil, message: "journal: \(journalProblem)") }
    if case .applied = outcome.status, let skippedNote {
      try? journal.append(
        JournalEntry(kind: .end, run: run.text, host: host.name, status: partlySkipped, message: skippedNote))
      return outcome
    }
    try? journal.append(
      JournalEntry(
        kind: .end, run: run.text, host: host.name, status: outcome.status.word, message: outcome.status.detail))
    return outcome
  }

  /// Journals each step result in `stdout` and sets `outcome`'s results and status from the reports; returns why the
  /// journal could not be written, if it could not.
  private static func record(
    _ stdout: String, into outcome: inout HostOutcome, run: RunID, host: InventoryHost, journal: JournalWriter
  ) -> String? {
    var journalProblem: String?
    for report in StepReport.parse(stdout) {
      switch report.kind {
      case .lock where report.status == "held":
        let by = report.after["run"]?.asText ?? "?"
        let since = report.after["since"]?.asText ?? "?"
        outcome.status = .locked(by: by, since: since)
      case .lock:
        break
      case .step:
        outcome.results[report.step] = report
        do {
          try journal.append(
            JournalEntry(
              kind: .result, run: run.text, host: host.name, stepID: report.step, status: report.status,
              after: report.after, message: report.message.isEmpty ? nil : report.message))
        } catch {
          journalProblem = error.message
        }
        if report.status != "ok" { outcome.status = .failed(step: report.step, message: report.message) }
      }
    }
    return journalProblem
  }

  /// The end status of a rollback host whose sent steps all ran but some were skipped (changed since the run).
  static let partlySkipped = "partly-skipped"

  /// `text` up to and including its last line end: a line cut off by a dropped connection is not a result.
  static func completeLines(of text: String) -> String {
    guard let end = text.unicodeScalars.lastIndex(where: { $0 == "\n" || $0 == "\r" }) else { return "" }
    return String(text.unicodeScalars[...end])
  }
}

/// What happened on one host during an apply (or rollback).
public struct HostOutcome: Sendable {
  public enum Status: Sendable {
    /// Every step ran.
    case applied
    /// A step failed (the rest did not run), or the script could not be run or journaled.
    case failed(step: String?, message: String)
    /// Another run holds the host's lock: nothing was changed.
    case locked(by: String, since: String)
    /// The connection broke while the script ran: steps without a result may or may not have been applied.
    case dropped(String)
    /// The user answered no (or quit).
    case declined
    /// Not started: the run was interrupted (Ctrl-C, SIGTERM) before this host's apply began.
    case interrupted
    /// Not started: `--max-fail` was reached before this host's turn (the reason says so); nothing was sent.
    case notStarted(String)
    case nothingToDo

    /// A failed host for `--max-fail` and the exit status: its apply failed, dropped or found another run's lock.
    public var isFailure: Bool {
      switch self {
      case .failed, .dropped, .locked: return true
      default: return false
      }
    }

    var word: String {
      switch self {
      case .applied: return "applied"
      case .failed: return "failed"
      case .locked: return "locked"
      case .dropped: return "dropped"
      case .declined: return "declined"
      case .interrupted: return "interrupted"
      case .notStarted: return "not-started"
      case .nothingToDo: return "nothing-to-do"
      }
    }

    var detail: String? {
      switch self {
      case .failed(_, let message), .dropped(let message), .notStarted(let message): return message
      case .locked(let by, let since): return "locked by run \(by) since \(since)"
      default: return nil
      }
    }
  }

  public var host: String
  public var steps: [FixStep]
  public var status: Status
  /// Results by step id, as the host reported them.
  var results: [String: StepReport] = [:]
  /// The audit after applying, on the same connection.
  public var verification: HostAudit?

  public init(host: String, steps: [FixStep], status: Status) {
    self.host = host
    self.steps = steps
    self.status = status
  }

  /// Steps the host reported as done.
  public var appliedCount: Int { results.values.filter { $0.status == "ok" }.count }

  /// Whether a change that Windows applies only at start-up was made on this host: it needs a reboot.
  public var needsReboot: Bool {
    steps.contains { $0.needsReboot == true && results[$0.id]?.status == "ok" }
  }
}
