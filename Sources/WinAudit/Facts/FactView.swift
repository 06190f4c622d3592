/// The checkable view of one collected fact: its main value (what `fact: id` means) or one named field (what
/// `fact: id.field` means), derived from the raw collector JSON by the fact's kind (`FactKind.view`).
///
/// Registry facts resolve to the effective value (Group Policy over local over the playbook's default) together
/// with its source; list-shaped kinds also offer flattened fields (`rdpListener.services`) so simple expectations
/// such as `contains` work on them.
struct FactView: Sendable, Hashable {
  var value: FactValue
  var source: ValueSource?
  /// What a drift on this view should quote besides expected and actual (the wire probe's answers).
  var note: String?
  /// Why this view cannot be judged although its fact was read (the wire answers do not tell): an error finding, not
  /// a guess.
  var unavailable: String?

  init(value: FactValue, source: ValueSource? = nil, note: String? = nil) {
    self.value = value
    self.source = source
    self.note = note
  }

  /// The view of `path` on a fact whose raw collected value is `raw`.
  static func resolve(_ path: FactPath, of fact: Fact, raw: FactValue) -> FactView {
    fact.kind.view(path.field, of: raw)
  }

  /// Every distinct `member` of the objects in the list `list` of `raw`, flattened: the rule names of a firewall
  /// fact, the services of a listener fact.
  static func collect(_ raw: FactValue, _ list: String, _ member: String) -> FactValue {
    var seen: [FactValue] = []
    for item in (raw[list] ?? .null).list {
      for value in (item[member] ?? .null).list where !seen.contains(where: { $0.matches(value) }) {
        seen.append(value)
      }
    }
    return .array(seen)
  }
}
