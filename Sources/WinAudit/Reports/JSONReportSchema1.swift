/// The machine-readable report as it was before schema 2, for consumers still moving (`--json-schema 1`). Keys appear in this fixed order and every key is always present (null when
/// empty), so consumers can rely on the shape:
///
///     {"schema": 1,
///      "hosts": [{"name", "address", "status", "error",
///                 "controls": [{"id", "title", "severity", "status", "expected", "actual", "source", "message"}]}],
///      "summary": {"hosts", "compliant", "drift", "error",
///                  "controls": {"pass", "drift", "error", "skipped"}}}
///
/// Host status is compliant | drift | error | unreachable; control status pass | drift | error | skipped; source
/// local | group-policy | default | null. `summary.error` counts error and unreachable hosts. A waived control
/// (`--waivers`) has status `waived`, and `summary.controls.waived` appears only when some control is waived.
enum JSONReportSchema1 {
  static let schemaVersion = 1

  static func render(_ report: AuditReport) -> String {
    let summary = report.summary
    let root = JSONNode.object([
      ("schema", .int(schemaVersion)),
      ("hosts", .array(report.hosts.map(host))),
      (
        "summary",
        .object([
          ("hosts", .int(summary.hosts)),
          ("compliant", .int(summary.compliant)),
          ("drift", .int(summary.drift)),
          ("error", .int(summary.error)),
          (
            "controls",
            .object(
              FindingStatus.allCases.filter { $0 != .waived || summary.waived > 0 }.map {
                ($0.rawValue, .int(summary.controls[$0] ?? 0))
              })
          ),
        ])
      ),
    ])
    return root.rendered() + "\n"
  }

  private static func host(_ audit: HostAudit) -> JSONNode {
    .object([
      ("name", .string(audit.name)),
      ("address", .string(audit.address)),
      ("status", .string(audit.status.rawValue)),
      ("error", .optional(audit.error)),
      ("controls", .array(audit.findings.map(control))),
    ])
  }

  private static func control(_ finding: Finding) -> JSONNode {
    .object([
      ("id", .string(finding.controlID)),
      ("title", .string(finding.title)),
      ("severity", .string(finding.severity.rawValue)),
      ("status", .string(finding.status.rawValue)),
      ("expected", .optional(finding.expected)),
      ("actual", .optional(finding.actual)),
      ("source", .optional(finding.source?.rawValue)),
      ("message", .optional(finding.message)),
    ])
  }
}
