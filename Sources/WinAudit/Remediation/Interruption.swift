import Foundation

/// Ctrl-C (SIGINT) or SIGTERM during `fix --apply` or `rollback`: set once by the command line's signal handler, read
/// by the session before each host starts and by the confirmation prompt.
///
/// An interrupted run starts nothing new: hosts not yet applied are released (their locks removed) and journaled as
/// interrupted, while a host whose apply script is already running finishes, or times out, so the journal says what it
/// did. The exit status is then `ExitStatus.interrupted`.
public final class Interruption: @unchecked Sendable {
  private let lock = NSLock()
  private var received: Int32?

  public init() {}

  /// Records the first signal; later ones change nothing here (the command line decides what a second one means).
  public func trigger(signal: Int32) {
    lock.withLock {
      if received == nil { received = signal }
    }
  }

  /// The signal that interrupted the run, if any.
  public var signal: Int32? { lock.withLock { received } }

  public var isInterrupted: Bool { signal != nil }
}
