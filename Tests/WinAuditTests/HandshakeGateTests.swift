import Testing
import WinAudit

/// Connection set-up is paced: never more handshakes at once than the gate's width, and a cancelled waiter leaves.
@Suite("handshake gate")
struct HandshakeGateTests {
  actor Meter {
    var now = 0
    var peak = 0
    func enter() {
      now += 1
      peak = max(peak, now)
    }
    func leave() { now -= 1 }
  }

  @Test func neverMoreThanItsWidthAtOnce() async throws {
    let gate = HandshakeGate(width: 2)
    let meter = Meter()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<12 {
        group.addTask {
          try await gate.run {
            await meter.enter()
            for _ in 0..<20 { await Task.yield() }
            await meter.leave()
          }
        }
      }
      try await group.waitForAll()
    }
    #expect(await meter.peak <= 2)
    #expect(await meter.now == 0)
  }

  @Test func aCancelledWaiterLeavesTheQueue() async throws {
    let gate = HandshakeGate(width: 1)
    let (held, release) = AsyncStream<Void>.makeStream()
    let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
    let holder = Task {
      try await gate.run {
        enteredSignal.yield()
        for await _ in held { break }
      }
    }
    for await _ in entered { break }
    let waiter = Task { try await gate.run { 1 } }
    waiter.cancel()
    await #expect(throws: CancellationError.self) { try await waiter.value }
    release.yield()
    try await holder.value
    // The slot is free again.
    #expect(try await gate.run { 2 } == 2)
  }
}
