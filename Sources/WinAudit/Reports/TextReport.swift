/// The report for people, built for fleets: first what is wrong across the fleet (one line per control that drifts or
/// errs somewhere, most severe first, with a few host names), then the hosts that are not compliant (every host with
/// `showAll`), then each such host's drift and errors with expected and actual values and where the actual value comes
/// from, then a one-line summary.
///
/// Colour is opt-in (the command line enables it only when stdout is a terminal and NO_COLOR is unset), so files and
/// pipes get plain text.
struct TextReport: Sendable {
  var color: Bool
  /// List compliant hosts in the host table too (`--show all`).
  var showAll: Bool

  init(color: Bool = false, showAll: Bool = false) {
    self.color = color
    self.showAll = showAll
  }

  /// One line per control that is not passing somewhere: severity, id, how many hosts drift / err, a few host names.
  static func controlSummary(_ report: AuditReport) -> [String] {
    struct Row {
      var id: String
      var severity: Severity
      var drift: [String] = []
      var error: [String] = []
    }
    var rows: [String: Row] = [:]
    var order: [String] = []
    for host in report.hosts {
      for finding in host.findings where finding.status == .drift || finding.status == .error {
        if rows[finding.controlID] == nil {
          rows[finding.controlID] = Row(id: finding.controlID, severity: finding.severity)
          order.append(finding.controlID)
        }
        if finding.status == .drift {
          rows[finding.controlID]!.drift.append(host.name)
        } else {
          rows[finding.controlID]!.error.append(host.name)
        }
      }
    }
    let sorted = order.compactMap { rows[$0] }.sorted {
      if $0.severity != $1.severity { return $0.severity > $1.severity }
      let (left, right) = ($0.drift.count + $0.error.count, $1.drift.count + $1.error.count)
      return left != right ? left > right : $0.id < $1.id
    }
    let failed = report.hosts.filter { $0.findings.isEmpty && $0.status != .compliant }.map(\.name)
    guard !sorted.isEmpty || !failed.isEmpty else { return [] }
    let width = max(7, sorted.map(\.id.count).max() ?? 0)
    var lines = [
      "SEVERITY  " + "CONTROL".padding(toLength: width, withPad: " ", startingAt: 0) + "  DRIFT ERROR  HOSTS"
    ]
    for row in sorted {
      let names = row.drift + row.error
      let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", +\(names.count - 3) more" : "")
      lines.append(
        row.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + "  "
          + row.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
          + String(row.drift.count).leftPadded(5) + " " + String(row.error.count).leftPadded(5) + "  " + shown)
    }
    if !failed.isEmpty {
      let shown = failed.prefix(3).joined(separator: ", ") + (failed.count > 3 ? ", +\(failed.count - 3) more" : "")
      lines.append(
        "\(failed.count) \(failed.count == 1 ? "host" : "hosts") could not be audited (no control judged): \(shown)")
    }
    return lines
  }

  func render(_ report: AuditReport) -> String {
    var lines: [String] = []
    let hostWord = report.hosts.count == 1 ? "host" : "hosts"
    lines.append("winaudit: playbook \(report.playbook), \(report.hosts.count) \(hostWord)")
    lines.append("")
    let controls = Self.controlSummary(report)
    if !controls.isEmpty {
      lines += controls
      lines.append("")
    }
    let listed = report.hosts.filter { showAll || Self.needsAttention($0) }
    let nameWidth = max(4, listed.map(\.name.count).max() ?? 0)
    lines.append(
      pad("HOST", nameWidth) + "  " + pad("STATUS", 11) + "  "
        + ["PASS", "DRIFT", "ERROR", "SKIP"].map { left($0, 5) }
        .joined(separator: " "))
    for host in listed {
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
    let hidden = report.hosts.count - listed.count
    if hidden > 0 {
      lines.append("(\(hidden) compliant \(hidden == 1 ? "host" : "hosts") not listed; --show all lists every host)")
    }
    for host in report.hosts where Self.needsAttention(host) {
      lines.append("")
      lines.append("\(host.name) (\(host.address)): " + paint(host.status.rawValue, host.status))
      if host.findings.isEmpty || host.outsideOnly, let error = host.error {
        lines += SafeText.lines(error).map { "  " + $0 }
      }
      if host.outsideOnly {
        let wrong = host.findings.contains { [.drift, .error, .waived].contains($0.status) }
        let passed = host.findings.filter { $0.status == .pass }.count
        lines.append("  seen from the outside (the RDP probe):" + (wrong ? "" : " \(passed) controls pass"))
      }
      for finding in host.findings where [.drift, .error, .waived].contains(finding.status) {
        lines.append("  [\(finding.severity.rawValue)] \(finding.controlID): \(finding.title)")
        if finding.status == .drift || finding.status == .waived {
          lines.append("      " + Self.driftLine(finding))
          if let waiver = finding.waiver { lines.append("      " + SafeText.line(waiver.note)) }
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
        + (summary.interrupted > 0 ? ", \(summary.interrupted) not audited (interrupted)" : "")
        + "; controls: "
        + FindingStatus.allCases.filter { $0 != .waived || summary.waived > 0 }.map {
          "\(summary.controls[$0] ?? 0) \($0.rawValue)"
        }.joined(separator: ", "))
    return lines.joined(separator: "\n") + "\n"
  }

  /// A host the report details: not compliant, or compliant only because a waiver accepts its drift.
  static func needsAttention(_ host: HostAudit) -> Bool {
    host.status != .compliant || host.findings.contains { $0.waiver != nil }
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
      case .interrupted: "35"
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

extension String {
  /// The text right-aligned in `width` columns.
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
