/// The report formats `--format` and `--report` accept.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
  /// For people: a summary table and the drift, coloured on a terminal.
  case text
  /// For programs: the JSON document (`JSONReport`, schema 2; schema 1 with `jsonSchema: 1`).
  case json
  /// For CI systems: a JUnit XML test suite per host, a test case per control.
  case junit
  /// For people, in a browser: one self-contained page with the host x control matrix and filters.
  case html
  /// For spreadsheets: one row per host and control finding, RFC 4180, formula injection neutralised.
  case csv

  /// Renders `report`; `color` and `showAll` (list compliant hosts too) only affect text, `jsonSchema` only JSON.
  public func render(_ report: AuditReport, color: Bool = false, showAll: Bool = false, jsonSchema: Int = 2) -> String {
    var text = ""
    write(report, color: color, showAll: showAll, jsonSchema: jsonSchema) { text += $0 }
    return text
  }

  /// Renders `report` in pieces through `emit`, in order: the JSON and CSV reports one host at a time, so a fleet's
  /// report goes to its file or stdout without ever being held whole (the formats for people come in one piece).
  public func write<E: Error>(
    _ report: AuditReport, color: Bool = false, showAll: Bool = false, jsonSchema: Int = 2,
    to emit: (String) throws(E) -> Void
  ) throws(E) {
    switch self {
    case .text: try emit(TextReport(color: color, showAll: showAll).render(report))
    case .json: try jsonSchema == 1 ? emit(JSONReportSchema1.render(report)) : JSONReport.write(report, to: emit)
    case .junit: try emit(JUnitReport.render(report))
    case .html: try emit(HTMLReport.render(report))
    case .csv: try CSVReport.write(report, to: emit)
    }
  }
}
