/// JUnit XML for CI systems: one `<testsuite>` per host, one `<testcase>` per control; drift is a `<failure>`, a
/// control that could not be checked an `<error>`, a control that does not apply `<skipped>`. An unreachable host is
/// a suite with a single errored test case, so CI shows it instead of silently passing.
enum JUnitReport {
  static func render(_ report: AuditReport) -> String {
    let summary = report.summary
    var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
    let total = report.hosts.map { $0.outsideOnly ? $0.findings.count + 1 : max($0.findings.count, 1) }.reduce(0, +)
    let failures = summary.controls[.drift] ?? 0
    let errors =
      (summary.controls[.error] ?? 0)
      + report.hosts.filter { ($0.findings.isEmpty || $0.outsideOnly) && $0.error != nil }.count
    lines.append(
      "<testsuites name=\(attr("winaudit " + report.playbook)) tests=\"\(total)\" failures=\"\(failures)\" "
        + "errors=\"\(errors)\" skipped=\"\(summary.controls[.skipped] ?? 0)\">")
    for host in report.hosts {
      lines += suite(host)
    }
    lines.append("</testsuites>")
    return lines.joined(separator: "\n") + "\n"
  }

  private static func suite(_ host: HostAudit) -> [String] {
    let classname = attr(host.name)
    if host.findings.isEmpty {
      let message = host.error ?? host.status.rawValue
      return [
        "  <testsuite name=\(classname) tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">",
        "    <testcase classname=\(classname) name=\"audit\">",
        "      <error message=\(attr(message)) type=\(attr(host.status.rawValue))>\(text(message))</error>",
        "    </testcase>",
        "  </testsuite>",
      ]
    }
    let count: (FindingStatus) -> Int = { status in host.findings.filter { $0.status == status }.count }
    let extra = host.outsideOnly ? 1 : 0
    var lines = [
      "  <testsuite name=\(classname) tests=\"\(host.findings.count + extra)\" failures=\"\(count(.drift))\" "
        + "errors=\"\(count(.error) + extra)\" skipped=\"\(count(.skipped))\">"
    ]
    if host.outsideOnly, let error = host.error {
      lines += [
        "    <testcase classname=\(classname) name=\"audit\">",
        "      <error message=\(attr(error)) type=\(attr(host.status.rawValue))>\(text(error))</error>",
        "    </testcase>",
      ]
    }
    for finding in host.findings {
      let name = attr("\(finding.controlID): \(finding.title)")
      let open = "    <testcase classname=\(classname) name=\(name)"
      switch finding.status {
      case .pass:
        lines.append(open + "/>")
      case .drift:
        let detail = TextReport.driftLine(finding)
        lines.append(open + ">")
        lines.append(
          "      <failure message=\(attr(detail)) type=\(attr(finding.severity.rawValue))>\(text(detail))</failure>")
        lines.append("    </testcase>")
      case .error:
        let message = finding.message ?? "error"
        lines.append(open + ">")
        lines.append("      <error message=\(attr(message)) type=\"error\">\(text(message))</error>")
        lines.append("    </testcase>")
      case .skipped:
        lines.append(open + ">")
        lines.append("      <skipped message=\(attr(finding.message ?? "not applicable"))/>")
        lines.append("    </testcase>")
      }
    }
    lines.append("  </testsuite>")
    return lines
  }

  /// A double-quoted XML attribute value.
  static func attr(_ value: String) -> String {
    "\"" + escape(value, attribute: true) + "\""
  }

  static func text(_ value: String) -> String {
    escape(value, attribute: false)
  }

  private static func escape(_ value: String, attribute: Bool) -> String {
    var result = ""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"" where attribute: result += "&quot;"
      case "\n" where attribute: result += "&#10;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      // XML 1.0 allows no other C0 control, not even as a character reference, nor U+FFFE / U+FFFF.
      case let s where s.value < 0x20 || s.value == 0xFFFE || s.value == 0xFFFF:
        result += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
