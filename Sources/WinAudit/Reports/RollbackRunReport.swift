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

  public init(original: String, run: RunID?, journal: String?, hosts: [HostResult], interrupted: Bool = false) {
    self.original = original
    self.run = run
    self.journal = journal
    self.hosts = hosts
    self.interrupted = interrupted
  }

  /// One host of a rollback.
  public struct HostResult: Sendable {
    public var plan: RollbackPlanner.HostRollback
    public var outcome: Outcome

    public init(plan: RollbackPlanner.HostRollback, outcome: Outcome) {
      self.plan = plan
      self.outcome = outcome
    }
  }

  /// What happened on one host.
  public enum Outcome: Sendable {
    /// The user answered no (or quit): nothing was sent.
    case declined
    /// No connection could be made; nothing was sent.
    case unreachable(String)
    /// Not started: the rollback was interrupted first; nothing was sent.
    case interrupted
    /// The undo steps were sent: `applied` when every one ran.
    case executed(HostOutcome)
  }
}
