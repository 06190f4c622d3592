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
    switch self {
    case .text: TextReport(color: color, showAll: showAll).render(report)
    case .json: jsonSchema == 1 ? JSONReportSchema1.render(report) : JSONReport.render(report)
    case .junit: JUnitReport.render(report)
    case .html: HTMLReport.render(report)
    case .csv: CSVReport.render(report)
    }
  }
}
