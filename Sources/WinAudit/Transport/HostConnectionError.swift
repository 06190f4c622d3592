/// Why a host could not be reached or could not run the script: a value recorded in that host's report, never
/// something that stops the rest of the fleet.
public struct HostConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Which step failed, which decides the host's status (unreachable before a session exists, error after).
  public enum Phase: String, Sendable, Hashable {
    case connect
    case run
  }

  public var phase: Phase
  /// What failed and, when there is something useful to say, what to do about it.
  public var message: String
  /// What the script printed on stdout before the session broke (UTF-8, byte-order mark removed; may end in the middle
  /// of a line). A script that reports each step as it finishes has reported the finished ones here.
  public var partialStdout: String

  public init(_ phase: Phase, _ message: String, partialStdout: String = "") {
    self.phase = phase
    self.message = message
    self.partialStdout = partialStdout
  }

  public var description: String { message }
}
