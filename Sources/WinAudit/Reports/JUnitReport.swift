/// JUnit XML for CI systems: one `<testsuite>` per host, one `<testcase>` per control; drift is a `<failure>`, a
/// control that could not be checked an `<error>`, a control that does not apply `<skipped>`. An unreachable host is
/// a suite with a single errored test case, so CI shows it instead of silently passing. A waived control is
/// `<skipped>` with the waiver's words; drift under an expired waiver is a `<failure>` that says it expired.
///
/// It validates against the Jenkins/Ant `junit-10.xsd` (Tests/WinAuditTests/References/junit-10.xsd): each suite
/// carries `timestamp` (the run's start), `time` (the host's seconds) and `hostname` (the host's address), and its
/// `properties` name the run, the playbook and what the host reported about itself.
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
      "<testsuites name=\(attr("winaudit " + report.playbook)) time=\"\(time(report.run.duration))\" "
        + "tests=\"\(total)\" failures=\"\(failures)\" errors=\"\(errors)\">")
    for host in report.hosts {
      lines += suite(host, run: report.run)
    }
    lines.append("</testsuites>")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Seconds as JUnit writes them (the XSD's SUREFIRE_TIME: digits, a dot, digits).
  static func time(_ seconds: Double?) -> String {
    String(format: "%.3f", max(0, seconds ?? 0))
  }

  /// The attributes every suite opens with after its counts, and its properties.
  private static func suiteHead(_ host: HostAudit, run: AuditRun) -> (attributes: String, properties: [String]) {
    let attributes =
      " timestamp=\(attr(JSONReport.timestamp(run.start))) time=\"\(time(host.duration))\" hostname=\(attr(host.address))"
    var properties: [(String, String?)] = [
      ("winaudit.run", run.id), ("winaudit.version", run.winauditVersion), ("playbook", run.playbookName),
      ("playbook.sha256", run.playbookDigest), ("judgedFrom", host.judgedFrom),
      ("os.caption", host.hostFacts?.caption), ("os.version", host.hostFacts?.version),
      ("os.build", host.hostFacts?.build.map(String.init)),
      ("powershellVersion", host.hostFacts?.powershellVersion),
    ]
    if !host.tags.isEmpty { properties.append(("tags", host.tags.joined(separator: ","))) }
    let lines =
      ["    <properties>"]
      + properties.compactMap { name, value in
        value.map { "      <property name=\(attr(name)) value=\(attr($0))/>" }
      } + ["    </properties>"]
    return (attributes, lines)
  }

  private static func suite(_ host: HostAudit, run: AuditRun) -> [String] {
    let classname = attr(host.name)
    let head = suiteHead(host, run: run)
    if host.findings.isEmpty {
      let message = host.error ?? host.status.rawValue
      return [
        "  <testsuite name=\(classname) tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\"\(head.attributes)>"
      ] + head.properties + [
        "    <testcase classname=\(classname) name=\"audit\">",
        "      <error message=\(attr(message)) type=\(attr(host.status.rawValue))>\(text(message))</error>",
        "    </testcase>",
        "  </testsuite>",
      ]
    }
    let count: (FindingStatus) -> Int = { status in host.findings.filter { $0.status == status }.count }
    let extra = host.outsideOnly ? 1 : 0
    var lines =
      [
        "  <testsuite name=\(classname) tests=\"\(host.findings.count + extra)\" failures=\"\(count(.drift))\" "
          + "errors=\"\(count(.error) + extra)\" skipped=\"\(count(.skipped) + count(.waived))\"\(head.attributes)>"
      ] + head.properties
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
        var detail = TextReport.driftLine(finding)
        if let waiver = finding.waiver { detail += "; " + SafeText.line(waiver.note) }
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
      case .waived:
        let note = SafeText.line(finding.waiver?.note ?? "waived") + "; " + TextReport.driftLine(finding)
        lines.append(open + ">")
        lines.append("      <skipped type=\"waived\" message=\(attr(note))/>")
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
