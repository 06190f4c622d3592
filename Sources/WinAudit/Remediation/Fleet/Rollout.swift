import Foundation

/// How `fix --apply` and `rollback` roll changes out over a fleet: batch by batch in inventory order (`--batch`, like
/// Ansible's `serial`), stopping once too many hosts failed (`--max-fail`).
///
/// Each batch ends before the next starts (a barrier), so a disruptive fix is never in flight on two batches at once;
/// without `--batch` the whole fleet is one batch.
public struct Rollout: Sendable, Hashable {
  /// Hosts per batch; nil: one batch.
  public var batch: HostShare?
  /// Failed hosts (apply failed, dropped, locked, unreachable) after which no new host or batch starts; nil: no limit.
  public var maxFail: HostShare?

  public init(batch: HostShare? = nil, maxFail: HostShare? = nil) {
    self.batch = batch
    self.maxFail = maxFail
  }

  /// The index ranges of the batches of `count` hosts, in order.
  public func batches(of count: Int) -> [Range<Int>] {
    guard count > 0 else { return [] }
    let size = batch?.hosts(of: count) ?? count
    return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
  }

  /// How many failed hosts stop the rollout of `count` hosts; nil without `--max-fail`.
  public func failureLimit(of count: Int) -> Int? {
    maxFail?.hosts(of: count)
  }

  /// Why hosts were not started once the limit was reached, for the report and the journal.
  func stopReason(failed: Int) -> String {
    "\(failed) host\(failed == 1 ? "" : "s") failed (--max-fail \(maxFail?.description ?? "?"))"
  }
}

/// The failed hosts of a rollout so far, shared by its host tasks: once the limit is reached no host starts.
final class FailureTally: @unchecked Sendable {
  private let lock = NSLock()
  private var failed = 0
  let limit: Int?

  init(limit: Int?) {
    self.limit = limit
  }

  var count: Int { lock.withLock { failed } }

  /// Whether the limit is reached: no new host may start.
  var isExhausted: Bool {
    lock.withLock {
      guard let limit else { return false }
      return failed >= limit
    }
  }

  func record(failure: Bool) {
    guard failure else { return }
    lock.withLock { failed += 1 }
  }
}
