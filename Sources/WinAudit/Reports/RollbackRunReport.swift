/// The result of `winaudit rollback RUN-ID`: per selected host, in journal order, the changes it undoes and what
/// happened. `RollbackReport` renders it; `ExitStatus` maps it to the exit code.
public struct RollbackRunReport: Sendable {
  /// The run rolled back.
  public var original: String
  /// The rollback's own run id; nil when the selection had nothing to roll back (then nothing was journaled).
  public var run: RunID?
  /// The rollback's journal file; nil with `run`.
  public var journal: String?
  public var hosts: [HostResult]
  /// The rollback was interrupted (Ctrl-C, SIGTERM): hosts not started are marked so, and the exit status says it.
  public var interrupted: Bool
  /// Hosts of the selection an earlier rollback of the same run already restored, with that rollback's id: left alone.
  public var alreadyRolledBack: [(host: String, by: String)]

  public init(
    original: String, run: RunID?, journal: String?, hosts: [HostResult], interrupted: Bool = false,
    alreadyRolledBack: [(host: String, by: String)] = []
  ) {
    self.original = original
    self.run = run
    self.journal = journal
    self.hosts = hosts
    self.interrupted = interrupted
    self.alreadyRolledBack = alreadyRolledBack
  }

  /// One host of a rollback.
  public struct HostResult: Sendable {
    public var plan: RollbackPlanner.HostRollback
    public var outcome: Outcome
    /// Undo steps whose target no longer holds the value the run wrote (skipped unless `--force`).
    public var changedSince: [ChangedSince] = []
    /// Ids of undo steps whose target already held the before-value: nothing was sent for them.
    public var alreadyRestored: [String] = []
    /// The audit after the undo, on the same connection (the touched controls are reported); nil when not run.
    public var reaudit: HostAudit?

    public init(plan: RollbackPlanner.HostRollback, outcome: Outcome) {
      self.plan = plan
      self.outcome = outcome
    }

    /// The controls the undo steps touch, in step order.
    public var touchedControls: [String] {
      var seen = Set<String>()
      return plan.steps.compactMap(\.control).filter { seen.insert($0).inserted }
    }

    /// Every undo step was sent and ran, or was already restored: nothing of the run is left on the host.
    public var isRolledBack: Bool {
      guard case .executed(let outcome) = outcome, case .applied = outcome.status else { return false }
      return changedSince.allSatisfy(\.forced)
    }
  }

  /// An undo step whose target changed since the run: `now` is what the host holds, `wrote` what the run wrote.
  public struct ChangedSince: Sendable {
    public var step: FixStep
    public var now: String
    public var wrote: String
    /// Restored anyway (`--force`).
    public var forced: Bool
  }

  /// What happened on one host.
  public enum Outcome: Sendable {
    /// The user answered no (or quit): nothing was sent.
    case declined
    /// No connection could be made; nothing was sent.
    case unreachable(String)
    /// Not started: the rollback was interrupted first; nothing was sent.
    case interrupted
    /// Not started: `--max-fail` was reached before this host's turn; nothing was sent.
    case notStarted(String)
    /// The undo steps were sent: `applied` when every one ran.
    case executed(HostOutcome)

    /// A failed host for `--max-fail`: unreachable, or its undo failed, dropped or found another run's lock.
    var isFailure: Bool {
      switch self {
      case .unreachable: return true
      case .executed(let outcome): return outcome.status.isFailure
      default: return false
      }
    }
  }
}
