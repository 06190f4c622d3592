import Foundation

/// The one mutable home of a host's state while a script runs: every cmdlet reads and changes the state through it.
///
/// A class so the cmdlets registered with an interpreter and the shell that saves the result share one state; locked
/// so it is safe to hand across threads (the interpreter may run off the caller's thread).
public final class HostStateBox: @unchecked Sendable {
  private let lock = NSLock()
  private var value: HostState

  public init(_ state: HostState) { value = state }

  /// A snapshot of the current state.
  public var state: HostState {
    lock.lock()
    defer { lock.unlock() }
    return value
  }

  /// Reads the state under the lock.
  public func read<T>(_ body: (HostState) throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body(value)
  }

  /// Changes the state under the lock; the change is all-or-nothing when `body` throws.
  public func mutate<T>(_ body: (inout HostState) throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    var copy = value
    let result = try body(&copy)
    value = copy
    return result
  }
}
