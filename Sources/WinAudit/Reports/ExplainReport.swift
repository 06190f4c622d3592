/// The formats `winaudit explain --format` accepts.
public enum ExplainFormat: String, Sendable, Hashable, CaseIterable {
  case text
  case json

  public func render(_ explanation: Explanation) -> String {
    switch self {
    case .text: ExplainReport.text(explanation)
    case .json: ExplainReport.json(explanation)
    }
  }
}

/// Renders an `Explanation`: the documented meanings, the ranked candidate causes with their fixes, and per checked
/// host which causes are confirmed, ruled out or unknown. What a host said (actual values, messages, errors) goes
/// through `SafeText`.
///
/// JSON, schema 1, keys always present (null when empty) and in this order:
///
///     {"schema": 1, "query": "0x904 / ext 0x7",
///      "meanings": [{"role", "code", "decimal", "name", "documented", "meaning", "worthChecking", "source"}],
///      "notes": [..], "playbook",
///      "candidates": [{"rank", "control", "title", "severity", "match", "matched", "fixes": [{"id", "summary",
///                      "disruptive", "optIn"}]}],
///      "hosts": null | [{"name", "address", "error", "verdicts": [{"control", "verdict", "status", "expected",
///                        "actual", "reason", "fixCommand"}]}],
///      "summary": null | {"hosts", "confirmed", "clear", "failed"}}
///
/// role is disconnect-reason | extended | named; match code+extended | extended | code | named; verdict confirmed |
/// ruled-out | unknown. summary.confirmed counts hosts with a confirmed cause, failed the hosts not fully audited.
enum ExplainReport {
  static let schemaVersion = 1

  /// The ranking rule in words, for the text report (the rule itself: `ExplainCandidate.ranked`).
  static let rankingRule =
    "most specific match first (code+extended, extended, code), then severity, then playbook order"

  // MARK: Text

  static func text(_ explanation: Explanation) -> String {
    var lines: [String] = []
    for meaning in explanation.meanings {
      lines.append(headline(meaning))
      if let worthChecking = meaning.worthChecking { lines.append("  Worth checking: \(worthChecking).") }
      lines.append("  Source: \(meaning.source).")
    }
    lines += explanation.notes.map { "Note: \($0)." }
    lines.append("")
    if explanation.candidates.isEmpty {
      lines.append(
        "No control of \(explanation.playbook) explains \(explanation.query): no drift it checks causes this error"
          + (explanation.hosts == nil ? "." : ", so no host was contacted."))
      return lines.joined(separator: "\n") + "\n"
    }
    lines.append("Candidate causes in \(explanation.playbook), \(rankingRule):")
    let width = String(explanation.candidates.count).count
    for candidate in explanation.candidates {
      let number = String(candidate.rank).leftPadded(width)
      lines.append(
        "  \(number). [\(candidate.severity.rawValue)] \(candidate.controlID) (\(candidate.matched)): \(candidate.title)"
      )
      let indent = "  " + String(repeating: " ", count: width) + "    "
      if candidate.fixes.isEmpty {
        lines.append(indent + (candidate.seenFromOutside ? Self.outsideNote : "no automatic fix"))
      }
      for fix in candidate.fixes {
        var line = indent + (fix.optIn ? "last-resort fix (--include \(fix.id))" : "fix \(fix.id)") + ": \(fix.summary)"
        if let disruptive = fix.disruptive { line += " (disruptive: \(disruptive))" }
        lines.append(line)
      }
    }
    guard let hosts = explanation.hosts else {
      lines.append("")
      lines.append(
        "Check them on your hosts: winaudit explain \(commandArguments(explanation.query)) --inventory FILE")
      return lines.joined(separator: "\n") + "\n"
    }
    for host in hosts {
      lines.append("")
      lines += hostLines(host, candidates: explanation.candidates)
    }
    let summary = Summary(hosts)
    lines.append("")
    lines.append(
      "Summary: \(summary.hosts) \(summary.hosts == 1 ? "host" : "hosts"): \(summary.confirmed) with a confirmed "
        + "cause, \(summary.clear) without, \(summary.failed) not fully audited")
    return lines.joined(separator: "\n") + "\n"
  }

  /// `Error code 0x904 (2308): the socket was closed ...`, or that the code has no documented meaning.
  static func headline(_ meaning: ErrorCodeMeaning) -> String {
    let label: String
    switch meaning.role {
    case .disconnectReason: label = "Error code \(meaning.code.map { "\($0) (\($0.decimal))" } ?? "")"
    case .extended: label = "Extended error code \(meaning.code.map { "\($0) (\($0.decimal))" } ?? "")"
    case .named: label = "Named error \(meaning.name ?? "")"
    }
    if let text = meaning.meaning { return "\(label): \(text)." }
    if meaning.listedUndocumented {
      return "\(label): no documented meaning (the sources list the code without one; winaudit does not guess)."
    }
    return "\(label): no documented meaning known to winaudit (not in its table of documented codes)."
  }

  /// What to do about a cause seen on the wire: it has no fix of its own.
  static let outsideNote = "seen from outside: fix the inside causes listed with it, or the network between"

  private static func hostLines(_ host: HostExplanation, candidates: [ExplainCandidate]) -> [String] {
    let title = "\(SafeText.line(host.name)) (\(SafeText.line(host.address)))"
    if let error = host.error {
      return ["\(title): could not be audited, every candidate unknown"] + SafeText.lines(error).map { "  " + $0 }
    }
    let confirmed = host.confirmed.count
    var lines = [
      "\(title): "
        + (confirmed == 0
          ? "no candidate cause confirmed" : "\(confirmed) \(confirmed == 1 ? "cause" : "causes") confirmed")
    ]
    for verdict in host.verdicts where verdict.verdict == .confirmed {
      var detail = "expected \(verdict.expected ?? "?"), actual \(verdict.actual ?? "?")"
      if let reason = verdict.reason { detail += ": \(reason)" }
      lines.append("  confirmed  \(verdict.controlID): \(SafeText.line(detail))")
      let outside = candidates.first { $0.controlID == verdict.controlID }?.seenFromOutside == true
      lines.append(
        "             " + (verdict.fixCommand.map { "fix: \($0)" } ?? (outside ? Self.outsideNote : "no automatic fix"))
      )
    }
    for verdict in host.verdicts where verdict.verdict == .unknown {
      let status = verdict.status.map { "\($0.rawValue): " } ?? ""
      lines.append("  unknown    \(verdict.controlID): \(status)\(SafeText.line(verdict.reason ?? "not judged"))")
    }
    let ruledOut = host.verdicts.filter { $0.verdict == .ruledOut }.map(\.controlID)
    if !ruledOut.isEmpty {
      lines.append("  ruled out  \(ruledOut.joined(separator: ", "))")
    }
    return lines
  }

  /// The query as `winaudit explain` arguments.
  static func commandArguments(_ query: ExplainQuery) -> String {
    switch query {
    case .named(let name): name.rawValue
    case .codes(let code, let extended):
      [code.map { "\($0)" }, extended.map { "--extended \($0)" }].compactMap { $0 }.joined(separator: " ")
    }
  }

  struct Summary {
    var hosts: Int
    var confirmed: Int
    var clear: Int
    var failed: Int

    init(_ hosts: [HostExplanation]) {
      self.hosts = hosts.count
      confirmed = hosts.filter { !$0.confirmed.isEmpty }.count
      clear = hosts.filter { $0.confirmed.isEmpty && !$0.incomplete }.count
      failed = hosts.filter(\.incomplete).count
    }
  }

  // MARK: JSON

  static func json(_ explanation: Explanation) -> String {
    let root = JSONNode.object([
      ("schema", .int(schemaVersion)),
      ("query", .string(explanation.query.description)),
      ("meanings", .array(explanation.meanings.map(meaning))),
      ("notes", .array(explanation.notes.map(JSONNode.string))),
      ("playbook", .string(explanation.playbook)),
      ("candidates", .array(explanation.candidates.map(candidate))),
      ("hosts", explanation.hosts.map { .array($0.map(host)) } ?? .null),
      (
        "summary",
        explanation.hosts.map {
          let summary = Summary($0)
          return .object([
            ("hosts", .int(summary.hosts)), ("confirmed", .int(summary.confirmed)), ("clear", .int(summary.clear)),
            ("failed", .int(summary.failed)),
          ])
        } ?? .null
      ),
    ])
    return root.rendered() + "\n"
  }

  private static func meaning(_ meaning: ErrorCodeMeaning) -> JSONNode {
    .object([
      ("role", .string(meaning.role.rawValue)),
      ("code", .optional(meaning.code?.description)),
      ("decimal", meaning.code.map { .int(Int($0.value)) } ?? .null),
      ("name", .optional(meaning.name)),
      ("documented", .bool(meaning.documented)),
      ("meaning", .optional(meaning.meaning)),
      ("worthChecking", .optional(meaning.worthChecking)),
      ("source", .string(meaning.source)),
    ])
  }

  private static func candidate(_ candidate: ExplainCandidate) -> JSONNode {
    .object([
      ("rank", .int(candidate.rank)),
      ("control", .string(candidate.controlID)),
      ("title", .string(candidate.title)),
      ("severity", .string(candidate.severity.rawValue)),
      ("match", .string(candidate.specificity.label)),
      ("matched", .string(candidate.matched)),
      (
        "fixes",
        .array(
          candidate.fixes.map {
            .object([
              ("id", .string($0.id)), ("summary", .string($0.summary)), ("disruptive", .optional($0.disruptive)),
              ("optIn", .bool($0.optIn)),
            ])
          })
      ),
    ])
  }

  private static func host(_ host: HostExplanation) -> JSONNode {
    .object([
      ("name", .string(host.name)),
      ("address", .string(host.address)),
      ("error", .optional(host.error)),
      (
        "verdicts",
        .array(
          host.verdicts.map {
            .object([
              ("control", .string($0.controlID)),
              ("verdict", .string($0.verdict.rawValue)),
              ("status", .optional($0.status?.rawValue)),
              ("expected", .optional($0.expected)),
              ("actual", .optional($0.actual)),
              ("reason", .optional($0.reason)),
              ("fixCommand", .optional($0.fixCommand)),
            ])
          })
      ),
    ])
  }
}

extension String {
  /// The text right-aligned in `width` columns.
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
