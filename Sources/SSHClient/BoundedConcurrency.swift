/// Runs async work over many items with at most `limit` running at once, keeping results in input order.
///
/// For fleets: one connection per host, but not hundreds of handshakes at the same moment.
public enum BoundedConcurrency {
  public static func map<Item: Sendable, Output: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Output
  ) async -> [Output] {
    let width = max(1, limit)
    var results = [Output?](repeating: nil, count: items.count)
    await withTaskGroup(of: (Int, Output).self) { group in
      var next = 0
      while next < items.count && next < width {
        let index = next
        group.addTask { (index, await body(items[index])) }
        next += 1
      }
      while let (index, output) = await group.next() {
        results[index] = output
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
