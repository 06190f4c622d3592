/// The text `winaudit rollback` prints: per host the changes it takes back (newest first, the ones with no recorded
/// result marked), then what happened on each host and the rollback's own journal.
///
/// `run` renders a whole `RollbackRunReport`; an interactive rollback shows the same text in parts as it goes on
/// (`started`, `planned` before each question, `ending`); printing each with `print` gives exactly the text of `run`.
public enum RollbackReport {
  /// The whole rollback as the command line prints it.
  public static func run(_ report: RollbackRunReport) -> String {
    guard let run = report.run else { return ending(report) }
    var parts = [started(original: report.original, run: run, journal: report.journal ?? "")]
    parts += report.hosts.map { planned($0.plan) }
    parts.append(ending(report))
    return parts.joined(separator: "\n")
  }

  /// The first line, shown before any host is contacted.
  public static func started(original: String, run: RunID, journal: String) -> String {
    "winaudit rollback of run \(original): run \(run.text) (journal \(journal))"
  }

  /// One host's part: a blank line, then its changes to undo in the order they will run.
  public static func planned(_ plan: RollbackPlanner.HostRollback) -> String {
    let count = plan.steps.count
    var lines = ["", "\(plan.host.name) (\(plan.host.address)): \(count) change\(count == 1 ? "" : "s") to undo"]
    for step in plan.steps {
      let maybe = plan.maybeApplied.contains(step.id) ? " [no recorded result: maybe applied]" : ""
      let mark = step.disruptive.map { " [disruptive: \($0)]" } ?? ""
      lines.append("  undo \(step.id).\(mark)\(maybe) \(step.fix): \(step.summary)")
    }
    return lines.joined(separator: "\n")
  }

  /// The last part: what happened on each host, then the journal; or why there was nothing to do.
  public static func ending(_ report: RollbackRunReport) -> String {
    guard let run = report.run else {
      return "run \(report.original): no change recorded for the selected hosts; nothing to roll back"
    }
    var lines = [""]
    lines += report.hosts.map(RollbackReport.outcome)
    if report.interrupted {
      let notStarted = report.hosts.filter { if case .interrupted = $0.outcome { true } else { false } }.count
      lines += [
        "",
        "interrupted: \(notStarted) host\(notStarted == 1 ? "" : "s") not started; hosts already being rolled back "
          + "finished first",
      ]
    }
    lines += ["", "run \(run.text): journal \(report.journal ?? "")"]
    return lines.joined(separator: "\n")
  }

  /// What happened on one host.
  public static func outcome(_ host: RollbackRunReport.HostResult) -> String {
    let name = host.plan.host.name
    let count = host.plan.steps.count
    switch host.outcome {
    case .declined:
      return "\(name): not changed (declined)"
    case .unreachable(let message):
      return "\(name): unreachable: \(message)"
    case .interrupted:
      return "\(name): not changed (interrupted before its changes were sent)"
    case .executed(let outcome):
      if case .applied = outcome.status { return "\(name): rolled back \(count) change\(count == 1 ? "" : "s")" }
      return FixReport.outcome(outcome)
    }
  }
}
