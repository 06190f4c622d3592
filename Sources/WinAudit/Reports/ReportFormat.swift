/// The report formats `--format` accepts.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
  /// For people: a summary table and the drift, coloured on a terminal.
  case text
  /// For programs: the stable schema-1 JSON document (`JSONReport`).
  case json
  /// For CI systems: a JUnit XML test suite per host, a test case per control.
  case junit

  /// Renders `report`; `color` and `showAll` (list compliant hosts too) only affect text.
  public func render(_ report: AuditReport, color: Bool = false, showAll: Bool = false) -> String {
    switch self {
    case .text: TextReport(color: color, showAll: showAll).render(report)
    case .json: JSONReport.render(report)
    case .junit: JUnitReport.render(report)
    }
  }
}
