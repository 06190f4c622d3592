/// A problem with how winaudit was invoked (a flag value, a `--limit` that selects nothing): exit code 2, and the
/// message says what to change.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
