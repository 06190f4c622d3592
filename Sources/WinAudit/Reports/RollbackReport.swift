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

  /// The last part: what happened on each host, the summary and the journal; or why there was nothing to do.
  public static func ending(_ report: RollbackRunReport) -> String {
    let already = report.alreadyRolledBack.map {
      "\($0.host): already rolled back by run \($0.by); not changed again"
    }
    guard let run = report.run else {
      if !already.isEmpty {
        let runs = Array(Set(report.alreadyRolledBack.map(\.by))).sorted().joined(separator: ", ")
        return (["run \(report.original) was already rolled back (by run \(runs)); nothing changed"] + already)
          .joined(separator: "\n")
      }
      return "run \(report.original): no change recorded for the selected hosts; nothing to roll back"
    }
    var lines = [""]
    lines += report.hosts.map(RollbackReport.outcome)
    lines += already
    lines += ["", summary(report)]
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

  /// One line counting the hosts by result, and the values left as they were because they changed since the run.
  public static func summary(_ report: RollbackRunReport) -> String {
    let results = report.hosts.map(RollbackJSONReport.result)
    let counts = RollbackJSONReport.Result.allCases.compactMap { result -> String? in
      let count = results.filter { $0 == result }.count
      return count == 0 ? nil : "\(count) \(result.words)"
    }
    let total = report.hosts.count
    var line = "summary (\(total) host\(total == 1 ? "" : "s")): " + counts.joined(separator: ", ")
    let skipped = report.hosts.flatMap { $0.changedSince.filter { !$0.forced } }.count
    if skipped > 0 {
      line +=
        "; \(skipped) value\(skipped == 1 ? "" : "s") changed since the run, left as found (--force restores them)"
    }
    return line
  }

  /// What happened on one host: its result, a warning per value changed since the run, and the touched controls
  /// audited again.
  public static func outcome(_ host: RollbackRunReport.HostResult) -> String {
    let name = host.plan.host.name
    let count = host.plan.steps.count
    var lines: [String]
    switch host.outcome {
    case .declined:
      lines = ["\(name): not changed (declined)"]
    case .unreachable(let message):
      lines = ["\(name): unreachable: \(message)"]
    case .interrupted:
      lines = ["\(name): not changed (interrupted before its changes were sent)"]
    case .notStarted(let reason):
      lines = ["\(name): not started: \(reason)"]
    case .executed(let outcome):
      guard case .applied = outcome.status else { return FixReport.outcome(outcome) }
      let skipped = host.changedSince.filter { !$0.forced }.count
      if skipped == 0 {
        lines = ["\(name): rolled back \(count) change\(count == 1 ? "" : "s")"]
      } else {
        let done = count - skipped
        lines = [
          "\(name): rolled back \(done) of \(count) change\(count == 1 ? "" : "s"); \(skipped) skipped: changed since "
            + "this run"
        ]
      }
    }
    for changed in host.changedSince {
      let what = "undo \(changed.step.id) (\(changed.step.fix)) \(SafeText.line(changed.step.target))"
      let values = "now \(SafeText.line(changed.now)), this run wrote \(SafeText.line(changed.wrote))"
      lines.append(
        changed.forced
          ? "  warning: \(what): changed since: \(values); restored anyway (--force)"
          : "  warning: \(what) skipped: changed since: \(values) (--force restores it)")
    }
    if let reaudit = host.reaudit {
      let touched = Set(host.touchedControls)
      if reaudit.findings.isEmpty, let error = reaudit.error { lines.append("  re-audit: " + SafeText.line(error)) }
      for finding in reaudit.findings where touched.contains(finding.controlID) {
        let actual = finding.actual.map { " (actual \(SafeText.line($0)))" } ?? ""
        lines.append("  re-audit \(finding.controlID): \(finding.status.rawValue)\(actual)")
      }
    }
    return lines.joined(separator: "\n")
  }
}
