/// The report for people: a table with one line per host, then each host's drift and errors with expected and actual
/// values and where the actual value comes from, then a one-line summary.
///
/// Colour is opt-in (the command line enables it only when stdout is a terminal and NO_COLOR is unset), so files and
/// pipes get plain text.
struct TextReport: Sendable {
  var color: Bool

  init(color: Bool = false) {
    self.color = color
  }

  func render(_ report: AuditReport) -> String {
    var lines: [String] = []
    let hostWord = report.hosts.count == 1 ? "host" : "hosts"
    lines.append("winaudit: playbook \(report.playbook), \(report.hosts.count) \(hostWord)")
    lines.append("")
    let nameWidth = max(4, report.hosts.map(\.name.count).max() ?? 0)
    lines.append(
      pad("HOST", nameWidth) + "  " + pad("STATUS", 11) + "  "
        + ["PASS", "DRIFT", "ERROR", "SKIP"].map { left($0, 5) }
        .joined(separator: " "))
    for host in report.hosts {
      let counts: [String] =
        host.findings.isEmpty
        ? Array(repeating: "-", count: 4)
        : [FindingStatus.pass, .drift, .error, .skipped].map { status in
          String(host.findings.filter { $0.status == status }.count)
        }
      lines.append(
        pad(host.name, nameWidth) + "  " + paint(pad(host.status.rawValue, 11), host.status) + "  "
          + counts.map { left($0, 5) }.joined(separator: " "))
    }
    for host in report.hosts where host.status != .compliant {
      lines.append("")
      lines.append("\(host.name) (\(host.address)): " + paint(host.status.rawValue, host.status))
      if host.findings.isEmpty, let error = host.error {
        lines += SafeText.lines(error).map { "  " + $0 }
      }
      for finding in host.findings where finding.status == .drift || finding.status == .error {
        lines.append("  [\(finding.severity.rawValue)] \(finding.controlID): \(finding.title)")
        if finding.status == .drift {
          lines.append("      " + Self.driftLine(finding))
        } else {
          lines.append("      " + paint("error", .error) + ": " + SafeText.line(finding.message ?? "unknown"))
        }
      }
    }
    let summary = report.summary
    lines.append("")
    lines.append(
      "Summary: \(summary.hosts) \(hostWord): \(summary.compliant) compliant, \(summary.drift) drift, "
        + "\(summary.error) error" + (summary.unreachable > 0 ? " (\(summary.unreachable) unreachable)" : "")
        + "; controls: "
        + FindingStatus.allCases.map { "\(summary.controls[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
    return lines.joined(separator: "\n") + "\n"
  }

  /// `expected 0, actual 1 (group-policy): message`, shared by the text and JUnit reports; one line whatever the host
  /// put in its values.
  static func driftLine(_ finding: Finding) -> String {
    var line = "expected \(finding.expected ?? "?"), actual \(finding.actual ?? "?")"
    if let source = finding.source { line += " (\(source.rawValue))" }
    if let message = finding.message { line += ": \(message)" }
    return SafeText.line(line)
  }

  private func paint(_ text: String, _ status: HostStatus) -> String {
    guard color else { return text }
    let code =
      switch status {
      case .compliant: "32"
      case .drift: "33"
      case .error, .unreachable: "31"
      }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  private func left(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }
}
