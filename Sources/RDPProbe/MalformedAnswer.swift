/// Why the bytes a listener sent back are not a Connection Confirm: a value to report, never a crash.
public struct MalformedAnswer: Error, Sendable, Equatable, CustomStringConvertible {
  /// What was wrong, in words a person can act on (e.g. "TPKT version 0x16 (a TLS record, not RDP)").
  public var reason: String

  public init(reason: String) {
    self.reason = reason
  }

  public var description: String { reason }
}
