import Foundation

/// The machine-readable report, schema 2. Keys appear in this fixed order and every key is always present (null when
/// empty), so consumers can rely on the shape (README "JSON report" lists every field):
///
///     {"schema": 2,
///      "run": {"id", "start", "durationSeconds", "winauditVersion", "playbook": {"name", "sha256"}, "inventory",
///              "shard": {"index", "count"} | null},
///      "controls": [{"id", "title", "severity", "references", "fixAvailable"}],
///      "hosts": [{"name", "position", "address", "tags", "status", "judgedFrom", "error", "durationSeconds",
///                 "os": {"caption", "version", "build"}, "powershellVersion",
///                 "controls": [{"id", "title", "severity", "status", "expected", "expectedText", "actual",
///                               "actualText", "source", "message", "waiver"}]}],
///      "summary": {"hosts", "compliant", "drift", "error", "unreachable", "interrupted",
///                  "controls": {"pass", "drift", "error", "skipped", "waived"}}}
///
/// `expected` and `actual` are JSON numbers or booleans where the value is one (an equality to a number, a DWORD),
/// else the same words as `expectedText` / `actualText`.
///
/// The document carries everything the other formats show (`controls` lists the playbook's controls with their
/// references and whether `winaudit fix` repairs them; `position` is the host's place in the inventory), so
/// `winaudit report merge` can render any format from shard reports (`JSONReportReader`).
enum JSONReport {
  static let schemaVersion = 2

  /// Writes the document through `emit` one host at a time, so a fleet's report is never held whole in memory: the
  /// head (schema, run, controls) first, then each host, then the summary. The bytes are those of one rendering of
  /// the whole document.
  static func write<E: Error>(_ report: AuditReport, to emit: (String) throws(E) -> Void) throws(E) {
    let summary = report.summary
    let run = report.run
    let head: [(String, JSONNode)] = [
      ("schema", .int(schemaVersion)),
      (
        "run",
        .object([
          ("id", .string(run.id)),
          ("start", .string(timestamp(run.start))),
          ("durationSeconds", seconds(run.duration)),
          ("winauditVersion", .string(run.winauditVersion)),
          ("playbook", .object([("name", .string(run.playbookName)), ("sha256", .optional(run.playbookDigest))])),
          ("inventory", .optional(run.inventory)),
          ("shard", run.shard.map { .object([("index", .int($0.index)), ("count", .int($0.count))]) } ?? .null),
        ])
      ),
      ("controls", .array(report.controls.map { control(control: $0, fixable: report.fixableControls) })),
    ]
    let tail = JSONNode.object([
      ("hosts", .int(summary.hosts)),
      ("compliant", .int(summary.compliant)),
      ("drift", .int(summary.drift)),
      ("error", .int(summary.error)),
      ("unreachable", .int(summary.unreachable)), ("interrupted", .int(summary.interrupted)),
      ("controls", .object(FindingStatus.allCases.map { ($0.rawValue, .int(summary.controls[$0] ?? 0)) })),
    ])
    var bytes = Array("{\n".utf8)
    for (key, value) in head {
      bytes.append(contentsOf: "  ".utf8)
      JSONNode.quote(key, into: &bytes)
      bytes.append(contentsOf: ": ".utf8)
      value.write(into: &bytes, indent: 2)
      bytes.append(contentsOf: ",\n".utf8)
    }
    bytes.append(contentsOf: "  \"hosts\": ".utf8)
    if report.hosts.isEmpty {
      bytes.append(contentsOf: "[]".utf8)
    } else {
      bytes.append(contentsOf: "[\n".utf8)
      try emit(String(decoding: bytes, as: UTF8.self))
      for (index, audit) in report.hosts.enumerated() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: "    ".utf8)
        host(audit).write(into: &bytes, indent: 4)
        bytes.append(contentsOf: (index == report.hosts.count - 1 ? "\n" : ",\n").utf8)
        try emit(String(decoding: bytes, as: UTF8.self))
      }
      bytes.removeAll(keepingCapacity: true)
      bytes.append(contentsOf: "  ]".utf8)
    }
    bytes.append(contentsOf: ",\n  \"summary\": ".utf8)
    tail.write(into: &bytes, indent: 2)
    bytes.append(contentsOf: "\n}\n".utf8)
    try emit(String(decoding: bytes, as: UTF8.self))
  }

  /// ISO-8601 in UTC with milliseconds: `2026-06-01T00:00:00.000Z`. The milliseconds are counted as a whole number
  /// (rounded), never left to the formatter's floating point, so a time read back from a report
  /// (`JSONReportReader`) is written exactly as it was.
  static func timestamp(_ date: Date) -> String {
    let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
    let seconds = (milliseconds / 1000).rounded(.down)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    let whole = formatter.string(from: Date(timeIntervalSince1970: seconds))
    return whole.dropLast() + String(format: ".%03dZ", Int(milliseconds - seconds * 1000))
  }

  /// Seconds to the millisecond.
  static func seconds(_ value: Double) -> JSONNode {
    .number((value * 1000).rounded() / 1000)
  }

  private static func host(_ audit: HostAudit) -> JSONNode {
    let facts = audit.hostFacts
    let os: JSONNode =
      facts.map {
        .object([
          ("caption", .optional($0.caption)), ("version", .optional($0.version)),
          ("build", $0.build.map(JSONNode.int) ?? .null),
        ])
      } ?? .null
    return .object([
      ("name", .string(audit.name)),
      ("position", audit.position.map(JSONNode.int) ?? .null),
      ("address", .string(audit.address)),
      ("tags", .array(audit.tags.map(JSONNode.string))),
      ("status", .string(audit.status.rawValue)),
      ("judgedFrom", .optional(audit.judgedFrom)),
      ("error", .optional(audit.error)),
      ("durationSeconds", audit.duration.map(seconds) ?? .null),
      ("os", os),
      ("powershellVersion", .optional(facts?.powershellVersion)),
      ("controls", .array(audit.findings.map(control))),
    ])
  }

  private static func control(control: ReportControl, fixable: Set<String>) -> JSONNode {
    .object([
      ("id", .string(control.id)),
      ("title", .string(control.title)),
      ("severity", .string(control.severity.rawValue)),
      ("references", .array(control.references.map(JSONNode.string))),
      ("fixAvailable", .bool(fixable.contains(control.id))),
    ])
  }

  private static func control(_ finding: Finding) -> JSONNode {
    .object([
      ("id", .string(finding.controlID)),
      ("title", .string(finding.title)),
      ("severity", .string(finding.severity.rawValue)),
      ("status", .string(finding.status.rawValue)),
      ("expected", typed(finding.expectedValue, finding.expected)),
      ("expectedText", .optional(finding.expected)),
      ("actual", typed(finding.actualValue, finding.actual)),
      ("actualText", .optional(finding.actual)),
      ("source", .optional(finding.source?.rawValue)),
      ("message", .optional(finding.message)),
      ("waiver", finding.waiver.map(waiver) ?? .null),
    ])
  }

  private static func waiver(_ waiver: AppliedWaiver) -> JSONNode {
    .object([
      ("justification", .string(waiver.justification)),
      ("approver", .string(waiver.approver)),
      ("expires", .string(waiver.expires)),
      ("expired", .bool(waiver.expired)),
      ("source", .string(waiver.source)),
    ])
  }

  /// The value with its JSON type where it is a number or a boolean, else the words.
  private static func typed(_ value: FactValue?, _ text: String?) -> JSONNode {
    switch value {
    case .bool(let flag)?: .bool(flag)
    case .int(let number)?: .int(Int(number))
    case .double(let number)?: .number(number)
    default: .optional(text)
    }
  }
}
