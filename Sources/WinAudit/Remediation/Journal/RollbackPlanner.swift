/// Turns a run's journal into the steps that undo it, per host, newest change first.
///
/// Every step the journal says was sent is undone: applied ones, failed ones (they may have changed part of their
/// target) and ones with no result (the connection dropped: "maybe applied"). Undo steps write the recorded
/// before-value, so undoing a change that never happened changes nothing.
public enum RollbackPlanner {
  /// One host's rollback.
  public struct HostRollback: Sendable, Hashable {
    public var host: InventoryHost
    /// Undo steps in the order they must run (the reverse of the original order).
    public var steps: [FixStep]
    /// Ids of original steps with no recorded result.
    public var maybeApplied: [String]
  }

  /// The rolled-back run's id and its hosts' undo plans, in the order hosts first appear in the journal.
  public static func plan(_ entries: [JournalEntry]) throws(JournalError) -> (run: String, hosts: [HostRollback]) {
    guard let first = entries.first, first.kind == .run else {
      throw JournalError("the journal does not start with a run line: it is not a winaudit journal")
    }
    var order: [String] = []
    var hosts: [String: InventoryHost] = [:]
    var intents: [String: [FixStep]] = [:]
    var results: [String: [String: JournalEntry]] = [:]
    for entry in entries {
      guard let name = entry.host else { continue }
      switch entry.kind {
      case .host:
        if let connection = entry.connection, hosts[name] == nil {
          hosts[name] = connection
          order.append(name)
        }
      case .intent:
        if let step = entry.step { intents[name, default: []].append(step) }
      case .result:
        if let id = entry.stepID { results[name, default: [:]][id] = entry }
      case .run, .end:
        break
      }
    }
    let plans = order.compactMap { name -> HostRollback? in
      guard let host = hosts[name], let steps = intents[name], !steps.isEmpty else { return nil }
      let outcomes = results[name] ?? [:]
      let undo = steps.reversed().map { step in
        step.inverse(observedAfter: outcomes[step.id].flatMap { $0.status == "ok" ? $0.after : nil })
      }
      let unknown = steps.filter { outcomes[$0.id] == nil }.map(\.id)
      return HostRollback(host: host, steps: undo, maybeApplied: unknown)
    }
    return (first.run, plans)
  }
}
