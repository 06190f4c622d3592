import Foundation

/// The text `winaudit fix` prints: per host the ordered changes with before -> after (disruptive ones marked), the
/// fixes it will not apply and why, and after an apply what happened and whether the host converged.
///
/// `run` renders a whole `FixRunReport`. An interactive apply shows the same text in three parts as the run goes on:
/// `started` before any host is contacted, `planned` before each host's question, `ending` once the hosts are done.
/// Each part, like `run`, has no final newline: printing each part with `print` gives exactly the text of `run`.
public enum FixReport {
  /// The whole run as the command line prints it.
  public static func run(_ report: FixRunReport) -> String {
    var parts = [header(report)]
    parts += report.hosts.map { planned($0.prepared, script: $0.script) }
    if let ending = ending(report) { parts.append(ending) }
    return parts.joined(separator: "\n")
  }

  /// The first line: a dry run says nothing changes; an apply names its run, journal and how to undo it.
  public static func header(_ report: FixRunReport) -> String {
    if report.nothingToChange { return "winaudit fix: nothing to change on any host; no run was journaled" }
    guard let run = report.run else { return "winaudit fix: dry run, nothing is changed (add --apply to apply)" }
    return started(run: run, journal: report.journal ?? "")
  }

  /// An apply's first line, shown before any host is contacted.
  public static func started(run: RunID, journal: String) -> String {
    "winaudit fix: run \(run.text) (journal \(journal); undo with `winaudit rollback \(run.text)`)"
  }

  /// One host's part: a blank line, its plan, and the script a dry run would send when it was asked for.
  public static func planned(_ prepared: FixRunner.Prepared, script: String? = nil) -> String {
    var lines = ["", plan(prepared)]
    if let script {
      lines.append("  script:")
      lines.append(script.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    }
    return lines.joined(separator: "\n")
  }

  /// The last part: after an apply what happened on each host that had something to ask or do; then the summary table,
  /// the hosts that need a restart and the journal.
  public static func ending(_ report: FixRunReport) -> String? {
    let summary = FixSummary(report)
    guard let run = report.run else {
      var lines = ["", self.summary(summary)]
      if report.interrupted {
        lines += ["", "interrupted while planning: no host was changed, and the locks the plans took are released"]
      }
      return lines.joined(separator: "\n")
    }
    var lines = [""]
    lines += report.hosts.compactMap { $0.outcome.map(FixReport.outcome) }
    lines += ["", self.summary(summary)]
    if !summary.needReboot.isEmpty {
      lines += [
        "", "restart to finish (a change Windows reads at start-up): " + summary.needReboot.joined(separator: ", "),
      ]
    }
    if report.interrupted {
      let notStarted = report.hosts.filter {
        if case .interrupted? = $0.outcome?.status { true } else { false }
      }.count
      lines += [
        "",
        "interrupted: \(notStarted) host\(notStarted == 1 ? "" : "s") not started (released); hosts already being changed "
          + "finished first",
      ]
    }
    lines += ["", "run \(run.text): journal \(report.journal ?? "")"]
    return lines.joined(separator: "\n")
  }

  /// The summary table: a count per result, then one line per host with its result and what still drifts and why.
  public static func summary(_ summary: FixSummary) -> String {
    let counts = FixSummary.Result.allCases.compactMap { result -> String? in
      let count = summary.count(result)
      return count == 0 ? nil : "\(count) \(result.words)"
    }
    let total = summary.hosts.count
    var lines = ["summary (\(total) host\(total == 1 ? "" : "s"): \(counts.joined(separator: ", ")))"]
    let width = min(32, summary.hosts.map(\.name.count).max() ?? 0)
    for host in summary.hosts {
      let name = host.name.padding(toLength: max(width, host.name.count), withPad: " ", startingAt: 0)
      let result = host.result.words.padding(toLength: 14, withPad: " ", startingAt: 0)
      let detail = Self.detail(host)
      lines.append(("  \(name)  \(result)  " + detail).trimmingTrailingSpaces)
    }
    return lines.joined(separator: "\n")
  }

  /// What the summary says after a host's result: why it failed, or what drifts and why, grouped by reason.
  static func detail(_ host: FixSummary.Host) -> String {
    var parts: [String] = []
    if let message = host.message { parts.append(SafeText.line(message)) }
    let outside = host.outsideOnly
    if !outside.isEmpty {
      parts.append(
        "drift outside --only (\(outside.count) control\(outside.count == 1 ? "" : "s"): "
          + outside.joined(separator: ", ") + ")")
    }
    var reasons: [FixSummary.Reason] = []
    // A declined or not started host: its result already says why its planned controls still drift.
    let implied: Set<FixSummary.Reason> =
      host.result == .declined || host.result == .notStarted ? [.declined, .notStarted] : []
    for drift in host.drift
    where drift.reason != .outsideOnly && !implied.contains(drift.reason) && !reasons.contains(drift.reason) {
      reasons.append(drift.reason)
    }
    for reason in reasons {
      let controls = host.drift.filter { $0.reason == reason }.map(\.control)
      parts.append(controls.joined(separator: ", ") + ": " + reason.words)
    }
    return parts.joined(separator: "; ")
  }

  /// The plan of one host (the dry run, and what the confirmation question is about).
  public static func plan(_ prepared: FixRunner.Prepared) -> String {
    let host = prepared.host
    var lines: [String] = []
    let count = prepared.plan.steps.count
    var header = "\(host.name) (\(host.address)): "
    if let held = prepared.lockedBy {
      header += "not changed: another winaudit run (\(held.run), since \(held.since)) is changing this host"
    } else if let error = prepared.error, count == 0, prepared.audit.findings.isEmpty || error != prepared.audit.error {
      // Unreachable, or the pre-read failed: say why nothing is planned.
      header += "not planned: " + SafeText.line(error)
    } else if count == 0 && !prepared.plan.outsideOnly.isEmpty {
      let outside = prepared.plan.outsideOnly.count
      header += "drift outside --only (\(outside) control\(outside == 1 ? "" : "s")), nothing to fix within it"
    } else if count == 0 {
      header += prepared.audit.status == .compliant ? "compliant, nothing to fix" : "no change planned"
    } else {
      header += "\(count) change\(count == 1 ? "" : "s")"
    }
    lines.append(header)
    if !prepared.plan.outsideOnly.isEmpty {
      let outside = prepared.plan.outsideOnly
      lines.append(
        "  drift outside --only (\(outside.count) control\(outside.count == 1 ? "" : "s")): "
          + outside.joined(separator: ", "))
    }
    for step in prepared.plan.steps {
      let mark = step.disruptive.map { "[disruptive: \($0)] " } ?? ""
      // Before- and after-values come from the host: one line each, whatever they hold.
      lines.append("  \(step.id). \(mark)\(step.fix): " + SafeText.line(step.summary))
    }
    for skipped in prepared.plan.skipped {
      let name = skipped.fix.map { $0 == skipped.control ? $0 : "\($0) (\(skipped.control))" } ?? skipped.control
      lines.append("  skipped \(name): " + SafeText.line(skipped.explanation))
    }
    return lines.joined(separator: "\n")
  }

  /// What happened on one host after the apply, with the verifying audit per planned control.
  public static func outcome(_ outcome: HostOutcome) -> String {
    var lines: [String] = []
    let total = outcome.steps.count
    switch outcome.status {
    case .applied:
      lines.append("\(outcome.host): applied \(total) change\(total == 1 ? "" : "s")")
    case .failed(let step, let message):
      let which = step.map { "step \($0) failed" } ?? "failed"
      lines.append(
        "\(outcome.host): \(which): \(SafeText.line(message)); \(outcome.appliedCount) of \(total) changes applied")
    case .locked(let by, let since):
      lines.append("\(outcome.host): not changed: another winaudit run (\(by), since \(since)) is changing this host")
    case .dropped(let message):
      lines.append(
        "\(outcome.host): connection lost while applying (\(SafeText.line(message))); \(outcome.appliedCount) of "
          + "\(total) changes "
          + "confirmed, the others may have been applied: rerun fix, or roll back")
    case .declined:
      lines.append("\(outcome.host): not changed (declined)")
    case .interrupted:
      lines.append("\(outcome.host): not changed (interrupted before its changes were sent)")
    case .notStarted(let reason):
      lines.append("\(outcome.host): not started: \(reason)")
    case .nothingToDo:
      lines.append("\(outcome.host): nothing to change")
    }
    if let verification = outcome.verification {
      let controls = Set(outcome.steps.compactMap(\.control))
      if verification.findings.isEmpty, let error = verification.error {
        lines.append("  verify: " + SafeText.line(error))
      }
      // Controls whose fix Windows reads only at start-up: the value is right, the host not yet.
      let afterReboot = Set(outcome.steps.filter { $0.needsReboot == true }.compactMap(\.control))
      for finding in verification.findings where controls.contains(finding.controlID) {
        switch finding.status {
        case .pass where afterReboot.contains(finding.controlID):
          lines.append("  verify \(finding.controlID): pending reboot (set; Windows applies it when the host restarts)")
        case .pass:
          lines.append("  verify \(finding.controlID): converged")
        case .skipped:
          // What the control checks is gone (the value it applied to was removed): nothing left to drift.
          lines.append("  verify \(finding.controlID): no longer applies (\(finding.message ?? "skipped"))")
        case .drift, .error, .waived:
          let detail = finding.actual.map { "actual " + SafeText.line($0) } ?? finding.status.rawValue
          lines.append("  verify \(finding.controlID): still drifting (\(detail))")
        }
      }
      let other = verification.findings.filter { $0.status == .drift && !controls.contains($0.controlID) }
      if !other.isEmpty {
        lines.append("  still drifting, not fixed by this run: " + other.map(\.controlID).joined(separator: ", "))
      }
    }
    return lines.joined(separator: "\n")
  }
}

extension String {
  /// The text without the spaces padding left at its end.
  fileprivate var trimmingTrailingSpaces: String {
    var text = self
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
