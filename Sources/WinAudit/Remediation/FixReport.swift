/// The text `winaudit fix` prints: per host the ordered changes with before -> after (disruptive ones marked), the
/// fixes it will not apply and why, and after an apply what happened and whether the host converged.
public enum FixReport {
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
      header += "not planned: \(error)"
    } else if count == 0 {
      header += prepared.audit.status == .compliant ? "compliant, nothing to fix" : "no change planned"
    } else {
      header += "\(count) change\(count == 1 ? "" : "s")"
    }
    lines.append(header)
    for step in prepared.plan.steps {
      let mark = step.disruptive.map { "[disruptive: \($0)] " } ?? ""
      lines.append("  \(step.id). \(mark)\(step.fix): \(step.change)")
    }
    for skipped in prepared.plan.skipped {
      let name = skipped.fix.map { $0 == skipped.control ? $0 : "\($0) (\(skipped.control))" } ?? skipped.control
      lines.append("  skipped \(name): \(skipped.explanation)")
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
      lines.append("\(outcome.host): \(which): \(message); \(outcome.appliedCount) of \(total) changes applied")
    case .locked(let by, let since):
      lines.append("\(outcome.host): not changed: another winaudit run (\(by), since \(since)) is changing this host")
    case .dropped(let message):
      lines.append(
        "\(outcome.host): connection lost while applying (\(message)); \(outcome.appliedCount) of \(total) changes "
          + "confirmed, the others may have been applied: rerun fix, or roll back")
    case .declined:
      lines.append("\(outcome.host): not changed (declined)")
    case .nothingToDo:
      lines.append("\(outcome.host): nothing to change")
    }
    if let verification = outcome.verification {
      let controls = Set(outcome.steps.compactMap(\.control))
      if verification.findings.isEmpty, let error = verification.error {
        lines.append("  verify: \(error)")
      }
      for finding in verification.findings where controls.contains(finding.controlID) {
        let verdict = finding.status == .pass ? "converged" : "still drifting"
        let detail =
          finding.status == .pass ? "" : " (" + (finding.actual.map { "actual \($0)" } ?? finding.status.rawValue) + ")"
        lines.append("  verify \(finding.controlID): \(verdict)\(detail)")
      }
      let other = verification.findings.filter { $0.status == .drift && !controls.contains($0.controlID) }
      if !other.isEmpty {
        lines.append("  still drifting, not fixed by this run: " + other.map(\.controlID).joined(separator: ", "))
      }
    }
    return lines.joined(separator: "\n")
  }
}
