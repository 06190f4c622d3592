/// What changed between two recorded audits, per host and control: the answer to "what is different since last
/// week?". Only changes are listed; a control that drifts in both runs with the same value is not.
public struct HistoryDiff: Sendable, Hashable {
  public var from: HistoryRun
  public var to: HistoryRun
  public var changes: [Change]

  public enum Change: Sendable, Hashable {
    /// A control that did not drift (passed, was skipped, or was not judged) drifts now.
    case newDrift(host: String, control: String, actual: String?)
    /// A control that drifted passes now.
    case fixed(host: String, control: String)
    /// A control drifts in both runs, with another value now.
    case changedValue(host: String, control: String, before: String?, after: String?)
    /// A control that could be judged cannot now, or the other way round.
    case statusChanged(host: String, control: String, before: String, after: String)
    /// A host that was audited could not be reached (or audited) this time.
    case newlyUnreachable(host: String, error: String?)
    /// A host that could not be audited could be this time.
    case reachableAgain(host: String)
    case hostAdded(host: String)
    case hostRemoved(host: String)

    var host: String {
      switch self {
      case .newDrift(let host, _, _), .fixed(let host, _), .changedValue(let host, _, _, _),
        .statusChanged(let host, _, _, _), .newlyUnreachable(let host, _), .reachableAgain(let host),
        .hostAdded(let host), .hostRemoved(let host):
        host
      }
    }
  }

  /// The differences from run `from` to run `to`, hosts in name order.
  public static func between(_ from: String, _ to: String, in store: HistoryStore) throws(HistoryError) -> HistoryDiff {
    guard let before = try store.run(from) else { throw HistoryError("no audit run \(from) in \(store.path)") }
    guard let after = try store.run(to) else { throw HistoryError("no audit run \(to) in \(store.path)") }
    let old = try store.snapshot(from)
    let new = try store.snapshot(to)
    return HistoryDiff(from: before, to: after, changes: changes(from: old, to: new))
  }

  /// The two newest runs of the inventory the newest run audited.
  public static func latest(in store: HistoryStore) throws(HistoryError) -> HistoryDiff {
    guard let newest = try store.runs(limit: 1).first else {
      throw HistoryError("the history \(store.path) has no audit yet: run winaudit audit first")
    }
    let same = try store.runs(limit: 1000).filter { $0.inventory == newest.inventory }
    guard same.count >= 2 else {
      throw HistoryError(
        "the history has only one audit of \(newest.inventory): audit it again, or name two runs (winaudit history)")
    }
    return try between(same[1].id, same[0].id, in: store)
  }

  static func changes(from old: HistorySnapshot, to new: HistorySnapshot) -> [Change] {
    var changes: [Change] = []
    let audited: Set<String> = ["compliant", "drift"]
    for host in Set(old.hosts.keys).union(new.hosts.keys).sorted() {
      guard let before = old.hosts[host] else {
        changes.append(.hostAdded(host: host))
        continue
      }
      guard let after = new.hosts[host] else {
        changes.append(.hostRemoved(host: host))
        continue
      }
      if audited.contains(before.status) || before.status == "error",
        after.status == "unreachable" || after.status == "interrupted"
      {
        changes.append(.newlyUnreachable(host: host, error: after.error))
      } else if before.status == "unreachable", after.status != "unreachable" {
        changes.append(.reachableAgain(host: host))
      }
      let controls = Set(old.results.keys.filter { $0.host == host }.map(\.control))
        .union(new.results.keys.filter { $0.host == host }.map(\.control))
      for control in controls.sorted() {
        let key = HistorySnapshot.Key(host: host, control: control)
        let was = old.results[key]
        guard let now = new.results[key] else { continue }
        switch (was?.status, now.status) {
        case ("drift", "drift"):
          if was?.actual != now.actual {
            changes.append(.changedValue(host: host, control: control, before: was?.actual, after: now.actual))
          }
        case (let previous, "drift"):
          _ = previous
          changes.append(.newDrift(host: host, control: control, actual: now.actual))
        case ("drift", "pass"):
          changes.append(.fixed(host: host, control: control))
        case (let previous?, let current) where previous != current && (previous == "error" || current == "error"):
          changes.append(.statusChanged(host: host, control: control, before: previous, after: current))
        default:
          break
        }
      }
    }
    return changes
  }
}

/// One run's hosts and findings, as the diff compares them.
struct HistorySnapshot: Sendable {
  struct Key: Hashable, Sendable {
    var host: String
    var control: String
  }

  struct Result: Sendable {
    var status: String
    var actual: String?
  }

  struct Host: Sendable {
    var status: String
    var error: String?
  }

  var hosts: [String: Host] = [:]
  var results: [Key: Result] = [:]
}
