import Foundation

/// A number of hosts given as a count or as a share of the fleet: `--batch 2`, `--batch 25%`, `--max-fail 10%`.
///
/// A share is rounded up, so `--batch 10%` of 5 hosts is 1 host and never 0.
public enum HostShare: Sendable, Hashable, CustomStringConvertible {
  case count(Int)
  case percent(Int)

  /// Parses `N` (at least 1) or `P%` (1 to 100); `option` names the flag in the message.
  public init(parsing text: String, option: String) throws(UsageError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let isPercent = trimmed.hasSuffix("%")
    let digits = isPercent ? String(trimmed.dropLast()) : trimmed
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Int(digits)
    else {
      throw UsageError("\(option) '\(text)': give a number of hosts (such as 2) or a percentage (such as 25%)")
    }
    if isPercent {
      guard (1...100).contains(number) else {
        throw UsageError("\(option) '\(text)': a percentage must be from 1% to 100%")
      }
      self = .percent(number)
    } else {
      guard number >= 1 else { throw UsageError("\(option) '\(text)': must be at least 1 host") }
      self = .count(number)
    }
  }

  /// How many hosts this is out of `total` (at least 1).
  public func hosts(of total: Int) -> Int {
    switch self {
    case .count(let count): return max(1, count)
    case .percent(let percent): return max(1, (total * percent + 99) / 100)
    }
  }

  public var description: String {
    switch self {
    case .count(let count): return String(count)
    case .percent(let percent): return "\(percent)%"
    }
  }
}
