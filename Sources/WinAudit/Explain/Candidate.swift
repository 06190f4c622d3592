/// How much of what was asked a control's `explains:` entry pins down, most specific last (so `>` ranks first).
public enum MatchSpecificity: Int, Sendable, Hashable, Comparable, CaseIterable {
  /// The entry names the error code only (`0x904`).
  case code = 1
  /// The entry names the extended code (`ext 0x7`, or `0x904/0x7` when only the extended code was asked about).
  case extended = 2
  /// The entry names both numbers asked about (`0x904/0x7`).
  case codeAndExtended = 3
  /// The entry names the named error asked about (`credssp`).
  case named = 4

  /// For JSON and text: `code`, `extended`, `code+extended`, `named`.
  public var label: String {
    switch self {
    case .code: "code"
    case .extended: "extended"
    case .codeAndExtended: "code+extended"
    case .named: "named"
    }
  }

  public static func < (lhs: MatchSpecificity, rhs: MatchSpecificity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A fix from the remediation catalogue that repairs a candidate control.
public struct CandidateFix: Sendable, Hashable {
  public var id: String
  public var summary: String
  /// Why applying it interrupts people; nil when it does not.
  public var disruptive: String?
  /// Planned only with `--include ID` (a last resort).
  public var optIn: Bool
}

/// A control whose drift can explain the error asked about, with how it matched and the fixes that exist for it.
public struct ExplainCandidate: Sendable, Hashable {
  /// 1 for the most likely cause; see `ExplainCandidate.ranked`.
  public var rank: Int
  public var controlID: String
  public var title: String
  public var severity: Severity
  public var specificity: MatchSpecificity
  /// The `explains:` entry that matched best, as the playbook writes it.
  public var matched: String
  /// Why its drift matters, from the playbook.
  public var rationale: String?
  /// The fixes that repair it (catalogue order); empty: no automatic fix.
  public var fixes: [CandidateFix]
  /// Position in the playbook, the last tie-breaker.
  var playbookIndex: Int
  /// The control judges what the listener answers from outside (the RDP probe): it has no fix of its own, the inside
  /// causes (or the network between) are what to fix.
  public var seenFromOutside = false

  /// The one ranking rule of `winaudit explain`: the more specific match first (code and extended code, then the
  /// extended code alone, then the error code alone), then the more severe control (critical, high, medium, low),
  /// then playbook order. The extended code ranks above the error code because it is the reason the server gave,
  /// while the error code only says how the connection ended.
  static func ranked(_ candidates: [ExplainCandidate]) -> [ExplainCandidate] {
    let sorted = candidates.sorted {
      if $0.specificity != $1.specificity { return $0.specificity > $1.specificity }
      if $0.severity != $1.severity { return $0.severity > $1.severity }
      return $0.playbookIndex < $1.playbookIndex
    }
    return sorted.enumerated().map { index, candidate in
      var candidate = candidate
      candidate.rank = index + 1
      return candidate
    }
  }
}
