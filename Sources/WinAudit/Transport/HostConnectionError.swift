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

  public init(_ phase: Phase, _ message: String) {
    self.phase = phase
    self.message = message
  }

  public var description: String { message }
}
