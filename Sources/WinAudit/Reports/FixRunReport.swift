/// The result of `winaudit fix` for a fleet: per host, in inventory order, its audit and plan, and after an apply what
/// happened. `FixReport` renders it; `ExitStatus` maps it to the exit code.
public struct FixRunReport: Sendable {
  /// The apply's run id; nil for a dry run, which journals nothing.
  public var run: RunID?
  /// The apply's journal file; nil for a dry run.
  public var journal: String?
  public var hosts: [HostFix]
  /// An apply whose plans changed nothing anywhere: no run was started and nothing journaled.
  public var nothingToChange: Bool
  /// The run was interrupted (Ctrl-C, SIGTERM): hosts not started are marked so, and the exit status says it.
  public var interrupted: Bool

  public init(
    run: RunID?, journal: String?, hosts: [HostFix], nothingToChange: Bool = false, interrupted: Bool = false
  ) {
    self.run = run
    self.journal = journal
    self.hosts = hosts
    self.nothingToChange = nothingToChange
    self.interrupted = interrupted
  }

  /// Whether the run only planned (a dry run); an apply with nothing to change is not one.
  public var isDryRun: Bool { run == nil && !nothingToChange }

  /// One host of a fix run.
  public struct HostFix: Sendable {
    /// The host's audit and plan (its session is closed by the time the report exists).
    public var prepared: FixRunner.Prepared
    /// What the apply did: nil in a dry run, and for hosts with nothing to change.
    public var outcome: HostOutcome?
    /// The script a dry run would send, when it was asked for (`--show-script`) and there is something to send.
    public var script: String?

    public init(prepared: FixRunner.Prepared, outcome: HostOutcome? = nil, script: String? = nil) {
      self.prepared = prepared
      self.outcome = outcome
      self.script = script
    }

    /// The host's audit as the run leaves it: the verifying audit after an apply, the first audit otherwise.
    public var audit: HostAudit { outcome?.verification ?? prepared.audit }
  }
}
