/// `winaudit history` and `winaudit diff` as text. Values recorded from hosts go through SafeText.
public enum HistoryReport {
  /// The runs, newest first.
  public static func runs(_ runs: [HistoryRun]) -> String {
    guard !runs.isEmpty else { return "no audit recorded yet\n" }
    var lines = ["RUN                     STARTED               HOSTS  COMPLIANT  DRIFT  ERROR  INVENTORY"]
    for run in runs {
      lines.append(
        run.id.padding(toLength: 24, withPad: " ", startingAt: 0)
          + run.started.padding(toLength: 22, withPad: " ", startingAt: 0) + String(run.hosts).leftAligned(7)
          + String(run.compliant).leftAligned(11) + String(run.drift).leftAligned(7) + String(run.error).leftAligned(7)
          + SafeText.line(run.inventory))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A host's (or control's) status per run, oldest first.
  public static func timeline(_ entries: [HistoryEntry]) -> String {
    guard !entries.isEmpty else { return "nothing recorded for that host or control\n" }
    var lines: [String] = []
    for entry in entries {
      var line =
        "\(entry.started)  \(SafeText.line(entry.host))  \(entry.control): \(entry.status)"
      if entry.status == "drift", let actual = entry.actual { line += " (actual \(SafeText.line(actual)))" }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// What changed between two runs.
  public static func diff(_ diff: HistoryDiff) -> String {
    var lines = ["changes from run \(diff.from.id) (\(diff.from.started)) to run \(diff.to.id) (\(diff.to.started)):"]
    if diff.changes.isEmpty { lines.append("  nothing changed") }
    for change in diff.changes {
      let host = SafeText.line(change.host)
      switch change {
      case .newDrift(_, let control, let actual):
        lines.append("  new drift     \(host)  \(control)" + (actual.map { ": actual \(SafeText.line($0))" } ?? ""))
      case .fixed(_, let control):
        lines.append("  fixed         \(host)  \(control)")
      case .changedValue(_, let control, let before, let after):
        lines.append(
          "  changed       \(host)  \(control): \(SafeText.line(before ?? "?")) -> \(SafeText.line(after ?? "?"))")
      case .statusChanged(_, let control, let before, let after):
        lines.append(
          "  \(after == "error" ? "now unknown " : "judged again") \(host)  \(control): \(before) -> \(after)")
      case .newlyUnreachable(_, let error):
        lines.append("  unreachable   \(host)" + (error.map { ": \(SafeText.line($0))" } ?? ""))
      case .reachableAgain:
        lines.append("  reachable     \(host) (again)")
      case .hostAdded:
        lines.append("  new host      \(host)")
      case .hostRemoved:
        lines.append("  not audited   \(host) (not in the newer run)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  fileprivate func leftAligned(_ width: Int) -> String {
    padding(toLength: max(width, count), withPad: " ", startingAt: 0)
  }
}
