/// The one PowerShell script a host receives in an audit: a small generated header that lists the requested facts as
/// PowerShell data and maps each kind to its collector function, then the fixed shared conversions, the collector
/// function of every kind in use, and the main block. Running it prints one facts JSON document (`FactsDocument`) and
/// exits 0.
///
/// Every value from a playbook enters the header as a `PowerShellValue` (a single-quoted literal or a number), so a
/// hostile registry path or service name stays a string and cannot become code. The text is deterministic for a
/// given list of facts, so `winaudit script` shows exactly what runs, and a reference file pins it in the tests.
public struct CollectorScript: Sendable, Hashable {
  /// The facts requested, in the order the script collects them (dependencies first).
  public let facts: [Fact]
  /// The script text.
  public let text: String

  /// Builds the script for `facts`, which must already be in dependency order (`Playbook.requiredFacts` is).
  public init(facts: [Fact]) {
    self.facts = facts
    var kinds: [any FactKind.Type] = []
    for fact in facts where !kinds.contains(where: { $0.name == fact.kindName }) {
      kinds.append(type(of: fact.kind))
    }
    var lines = [
      "$ProgressPreference = 'SilentlyContinue'",
      "$ErrorActionPreference = 'Stop'",
      "# winaudit fact collector, facts schema \(FactsDocument.schemaVersion). Generated: `winaudit script` prints it.",
      "# Requested facts: one entry each, every value a single-quoted literal.",
      "$WinAuditRequests = @(",
    ]
    lines += facts.map { "  " + Self.request(for: $0) }
    lines.append(")")
    lines.append("# The function that collects each kind of fact.")
    lines.append(
      "$WinAuditCollectors = "
        + PowerShellCode.table(kinds.map { (.literal($0.name), .literal($0.collector.name)) }))
    lines.append("")
    let functions = kinds.map { $0.collector.text }
    text =
      ([lines.joined(separator: "\n"), EmbeddedScripts.collectorCommon] + functions + [EmbeddedScripts.collectorMain])
      .joined(separator: "\n")
  }

  /// The script for a frame of a fix's one powershell.exe (`HostSession.startProcess`): the same text without the final
  /// `exit 0`, which would end that whole process. The line only pins a lone powershell.exe's exit code to 0 whatever
  /// non-terminating errors were written; a framed script that completes answers 0 anyway, so the facts are the same.
  public var framedText: String {
    let ending = "\nexit 0"
    guard let range = text.range(of: ending, options: .backwards),
      text[range.upperBound...].allSatisfy(\.isWhitespace)
    else {
      preconditionFailure("CollectorMain.ps1 no longer ends with `exit 0`: update CollectorScript.framedText")
    }
    return String(text[..<range.lowerBound]) + "\n"
  }

  /// One `[ordered]@{ ... }` entry: fixed key names, values quoted or numeric.
  static func request(for fact: Fact) -> String {
    PowerShellCode.orderedTable([("id", .literal(fact.id)), ("kind", .literal(fact.kindName))] + fact.kind.request)
  }
}
