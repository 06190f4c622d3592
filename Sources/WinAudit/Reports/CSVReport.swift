/// The report for spreadsheets: a header row, then one row per host and control finding (a host that could not be
/// audited at all gets one row without a control), in report order.
///
/// Quoting follows RFC 4180 (records end with CRLF; a field with a comma, a quote, a line break or a leading or trailing
/// space is quoted, its quotes doubled). A host controls most of these values, so a field that a spreadsheet would
/// take for a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return and is not a plain number) gets a
/// leading `'`, as OWASP's CSV injection advice says, and other control characters, U+2028/U+2029 and bidirectional
/// overrides are written as `\u{XXXX}`, as on a terminal; line breaks stay (quoted).
enum CSVReport {
  static let header = [
    "host", "address", "host_status", "control", "title", "severity", "status", "expected", "actual", "source",
    "message", "waiver", "error",
  ]

  /// Writes the header, then each host's rows, through `emit`: a fleet's CSV is never held whole.
  static func write<E: Error>(_ report: AuditReport, to emit: (String) throws(E) -> Void) throws(E) {
    func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }
    try emit(line(header))
    for host in report.hosts {
      if host.findings.isEmpty {
        try emit(
          line([host.name, host.address, host.status.rawValue, "", "", "", "", "", "", "", "", "", host.error ?? ""]))
        continue
      }
      var rows = ""
      for finding in host.findings {
        let error = finding.status == .error ? finding.message : host.outsideOnly ? host.error : nil
        rows += line([
          host.name, host.address, host.status.rawValue, finding.controlID, finding.title, finding.severity.rawValue,
          finding.status.rawValue, finding.expected ?? "", finding.actual ?? "", finding.source?.rawValue ?? "",
          finding.status == .error ? "" : finding.message ?? "", finding.waiver?.note ?? "", error ?? "",
        ])
      }
      try emit(rows)
    }
  }

  /// One field, neutralised and quoted as needed.
  static func field(_ value: String) -> String {
    var text = ""
    for scalar in value.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
      if scalar != "\n", SafeText.isUnsafe(scalar) {
        text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        text.unicodeScalars.append(scalar)
      }
    }
    if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isPlainNumber(value) {
      text = "'" + text
    }
    let needsQuotes =
      text.contains { $0 == "," || $0 == "\"" || $0 == "\n" } || text.hasPrefix(" ") || text.hasSuffix(" ")
    return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
  }

  /// `-1`, `+3389`, `-0.5`: a signed number a spreadsheet shows as itself, never a formula.
  private static func isPlainNumber(_ value: String) -> Bool {
    guard value.hasPrefix("-") || value.hasPrefix("+") else { return false }
    let digits = value.dropFirst()
    return !digits.isEmpty && digits.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
      && digits.filter { $0 == "." }.count <= 1 && digits.first != "." && digits.last != "."
  }
}
