/// Runs one piece of async work per host with at most `concurrency` in flight, and returns the results in input
/// order: the one fleet loop that audit, fix planning, fix applying and rollback share.
///
/// A fleet wants one connection per host, but not hundreds of handshakes at the same moment; the blocking SSH work runs
/// on the transport's own threads, so the tasks here only await.
struct FleetRunner: Sendable {
  /// The most items whose work runs at the same time (at least 1).
  var concurrency: Int

  init(concurrency: Int) {
    self.concurrency = max(1, concurrency)
  }

  /// Calls `body` once per item, starting the next item as soon as one finishes.
  ///
  /// `onResult` runs on the caller's task, one result at a time in the order they finish, so it can keep a tally
  /// without a lock (the audit's progress line).
  func run<Item: Sendable, Result: Sendable>(
    _ items: [Item], onResult: (Result) -> Void = { _ in }, _ body: @escaping @Sendable (Item) async -> Result
  ) async -> [Result] {
    var results = [Result?](repeating: nil, count: items.count)
    await withTaskGroup(of: (Int, Result).self) { group in
      var next = 0
      while next < items.count && next < concurrency {
        let index = next
        group.addTask { (index, await body(items[index])) }
        next += 1
      }
      while let (index, result) = await group.next() {
        results[index] = result
        onResult(result)
        if next < items.count {
          let index = next
          group.addTask { (index, await body(items[index])) }
          next += 1
        }
      }
    }
    return results.map { $0! }
  }
}
