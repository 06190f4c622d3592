import Testing

@testable import WinAudit

@Suite struct FleetRunnerTests {
  @Test(arguments: [1, 3, 50])
  func keepsInputOrderAndNeverRunsMoreThanTheLimit(limit: Int) async {
    let inFlight = InFlight()
    var finished: [Int] = []
    let results = await FleetRunner(concurrency: limit).run(Array(0..<20), onResult: { finished.append($0) }) { item in
      await inFlight.enter()
      // Later items finish first, so the order of the results is the runner's doing.
      for _ in 0..<(20 - item) { await Task.yield() }
      await inFlight.leave()
      return item * 2
    }
    #expect(results == (0..<20).map { $0 * 2 })
    #expect(finished.sorted() == results)
    #expect(await inFlight.peak <= limit)
    #expect(await inFlight.peak >= 1)
  }

  /// With as many items as the limit, every item is in flight at once: each waits (yielding, not sleeping) until all
  /// of them have started, which only happens if the runner starts them together.
  @Test(arguments: [1, 2, 8])
  func runsUpToTheLimitAtOnce(limit: Int) async {
    let inFlight = InFlight()
    _ = await FleetRunner(concurrency: limit).run(Array(0..<limit)) { _ in
      await inFlight.enter()
      var spins = 0
      while await inFlight.current < limit, spins < 10_000 {
        spins += 1
        await Task.yield()
      }
      await inFlight.leave()
    }
    #expect(await inFlight.peak == limit)
  }

  @Test func noItemsNoWork() async {
    let results = await FleetRunner(concurrency: 0).run([Int]()) { $0 }
    #expect(results.isEmpty)
    #expect(FleetRunner(concurrency: 0).concurrency == 1)
  }
}

/// Counts the items whose work is running, and the most at once.
actor InFlight {
  private(set) var current = 0
  private(set) var peak = 0

  func enter() {
    current += 1
    peak = max(peak, current)
  }

  func leave() {
    current -= 1
  }
}
