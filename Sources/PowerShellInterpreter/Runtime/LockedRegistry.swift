import Foundation

/// A value shared by every runspace in the process (type registries), guarded by a lock because lab hosts may run
/// runspaces on several threads at once.
final class LockedRegistry<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func read<T>(_ body: (Value) -> T) -> T { lock.withLock { body(value) } }

  func update(_ body: (inout Value) -> Void) { lock.withLock { body(&value) } }
}
