/// How bad drift on a control is, for sorting reports and for people deciding what to fix first.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
  case low
  case medium
  case high
  case critical

  private var rank: Int {
    switch self {
    case .low: 0
    case .medium: 1
    case .high: 2
    case .critical: 3
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool {
    lhs.rank < rhs.rank
  }
}
