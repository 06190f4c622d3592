import Foundation

/// Paces connection set-up: at most `width` SSH handshakes (TCP connect, key exchange, host key check,
/// authentication) run at once, however many hosts are in flight.
///
/// A burst of hundreds of key exchanges at the start of a large audit costs both ends CPU at the same moment, and the
/// hosts that lose the race hit the connect timeout although they are merely slow. Waiting for a slot does not count
/// against that timeout: each host's clock starts when its handshake does. A cancelled waiter leaves the queue at once,
/// so Ctrl-C is not held up by the queue.
public actor HandshakeGate {
  public let width: Int
  private var running = 0
  private var waiting: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
  private var nextID: UInt64 = 0

  /// Four handshakes per core of this machine (at least four): enough to keep the far side busy, few enough that
  /// none of them waits behind the others for the CPU.
  public static var defaultWidth: Int { max(4, 4 * ProcessInfo.processInfo.activeProcessorCount) }

  public init(width: Int = HandshakeGate.defaultWidth) {
    self.width = max(1, width)
  }

  /// Runs `body` once a slot is free; throws `CancellationError` when cancelled while waiting.
  public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
    try await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async throws {
    if running < width {
      running += 1
      return
    }
    nextID += 1
    let id = nextID
    let admitted = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        if Task.isCancelled {
          continuation.resume(returning: false)
        } else {
          waiting.append((id, continuation))
        }
      }
    } onCancel: {
      Task { await self.cancel(id) }
    }
    if !admitted { throw CancellationError() }
  }

  private func release() {
    if waiting.isEmpty {
      running -= 1
    } else {
      // The slot passes straight to the next waiter: `running` stays the same.
      waiting.removeFirst().continuation.resume(returning: true)
    }
  }

  private func cancel(_ id: UInt64) {
    guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
    waiting.remove(at: index).continuation.resume(returning: false)
  }
}
