import Foundation

/// The name of one `fix --apply` or `rollback` run: its journal file is `<RunID>.jsonl`, and `rollback` takes it.
///
/// Time first so a directory listing sorts runs by age; a random suffix so two runs in the same second differ.
public struct RunID: Sendable, Hashable, CustomStringConvertible {
  public var text: String

  /// A new id for a run starting at `date`: `20250601-120000-4f2a9c`.
  public init(date: Date = Date()) {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let suffix = String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
    text = formatter.string(from: date) + "-" + String(repeating: "0", count: 6 - suffix.count) + suffix
  }

  /// An id the user typed; only letters, digits, `-`, `_` and `.` so it cannot name a file outside the journal folder.
  public init(parsing text: String) throws(UsageError) {
    let allowed = text.unicodeScalars.allSatisfy {
      ($0.isASCII && (CharacterSet.alphanumerics.contains($0))) || "-_.".unicodeScalars.contains($0)
    }
    guard !text.isEmpty, allowed, !text.hasPrefix("."), !text.hasSuffix(".jsonl") else {
      throw UsageError(
        "'\(text)' is not a run id: use the id `winaudit fix --apply` printed, such as 20250601-120000-4f2a9c")
    }
    self.text = text
  }

  public var description: String { text }
}
