import SSHClient
import Testing

@Suite struct BoundedConcurrencyTests {
  @Test(arguments: [1, 3, 50])
  func keepsOrderAndNeverExceedsTheLimit(limit: Int) async {
    let counter = Counter()
    let results = await BoundedConcurrency.map(Array(0..<20), limit: limit) { item in
      await counter.enter()
      try? await Task.sleep(for: .milliseconds(5))
      await counter.leave()
      return item * 2
    }
    #expect(results == (0..<20).map { $0 * 2 })
    #expect(await counter.peak <= limit)
    #expect(await counter.peak >= 1)
  }
}

actor Counter {
  private var running = 0
  private(set) var peak = 0

  func enter() {
    running += 1
    peak = max(peak, running)
  }

  func leave() {
    running -= 1
  }
}
