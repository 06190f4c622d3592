/// One concrete change on one host, as planned, journaled, sent and undone: the target, its typed state before, the
/// state the change sets, and the PowerShell that gets from one to the other.
///
/// Each fix action defines the change type of its steps in its own file under `Remediation/Actions/`; `Changes.all`
/// lists them once so the journal can read them back. A state is shaped like the JSON its read function prints, so
/// the target read back after a step decodes into the same type.
protocol Change: Codable, Hashable, Sendable {
  associatedtype State: Codable, Hashable, Sendable
  /// What identifies the target: two steps on the same target chain their states.
  associatedtype Target: Hashable

  /// The change type's name in the journal (`registryValue`).
  static var kind: String { get }
  var before: State { get set }
  var after: State { get set }
  var targetID: Target { get }
  /// What the change touches, in the words people search for.
  var target: String { get }
  /// The read that reports the target's state: the same read function the planner and the audit use.
  var readBack: HostRead { get }
  /// The PowerShell that makes the change (`apply`) or takes it back (`undo`, whose `after` is the original
  /// before-value), idempotent: run twice, or after a dropped connection left it half done, it converges.
  func script(_ direction: StepDirection, step: String) -> String
  /// A state for people: `1 (DWord)`, `absent`, `Running`, `enabled (Domain, Private)`.
  static func describe(_ state: State) -> String
  /// Whether the change does something even when before and after are equal (a restart).
  var actsWhenUnchanged: Bool { get }
  /// Whether rollback reads the target before undoing the change and skips the undo when the value is no longer the
  /// one this run wrote: true for plain values (registry, firewall, services); false where the undo script guards
  /// itself (ACL restores, certificate imports, renames) or where the state read back is not the state written.
  var checkedBeforeUndo: Bool { get }
}

extension Change {
  var actsWhenUnchanged: Bool { false }
  var checkedBeforeUndo: Bool { false }

  /// Whether sending the change would do anything.
  var changesSomething: Bool { actsWhenUnchanged || before != after }

  /// The state a read returned, when it fits this change's state.
  static func state(from read: FactValue) -> State? {
    read.decode(as: State.self)
  }
}

/// The change types a journal may hold, by their `kind`.
enum Changes {
  static let all: [any Change.Type] = [
    RegistryValueChange.self, FirewallRuleChange.self, FirewallPortChange.self, ServiceStartTypeChange.self,
    ServiceRunningChange.self, AclResetChange.self, AclRepairChange.self, CertificateRemovalChange.self,
    RenameChange.self,
  ]
}

/// What rollback found on a target before undoing a change to it.
enum UndoCheck: Sendable, Hashable {
  /// The target still holds the value the run wrote: the undo restores the recorded before-value.
  case asWritten
  /// The target already holds the before-value (the change never ran, or someone restored it): nothing to send.
  case alreadyRestored
  /// Someone or something changed the target since the run: `now`, where the run wrote `wrote`.
  case changed(now: String, wrote: String)
}

/// A change of any type, with the journal's encoding: `{"kind": "registryValue", "change": {...}}`.
struct AnyChange: Sendable, Hashable, Codable {
  var base: any Change

  init(_ base: any Change) {
    self.base = base
  }

  var kind: String { type(of: base).kind }
  var target: String { base.target }
  var readBack: HostRead { base.readBack }
  var changesSomething: Bool { base.changesSomething }
  var actsWhenUnchanged: Bool { base.actsWhenUnchanged }
  var beforeText: String { Self.describeBefore(base) }
  var afterText: String { Self.describeAfter(base) }

  var checkedBeforeUndo: Bool { base.checkedBeforeUndo && !base.actsWhenUnchanged }

  func script(_ direction: StepDirection, step: String) -> String {
    base.script(direction, step: step)
  }

  /// For an undo step (whose `before` is the value the run wrote): how the target's `current` state compares.
  func undoCheck(current: FactValue) -> UndoCheck {
    Self.undoCheck(base, current: current)
  }

  private static func undoCheck<C: Change>(_ change: C, current: FactValue) -> UndoCheck {
    guard let now = C.state(from: current) else {
      return .changed(now: current.display, wrote: C.describe(change.before))
    }
    if now == change.before { return .asWritten }
    if now == change.after { return .alreadyRestored }
    return .changed(now: C.describe(now), wrote: C.describe(change.before))
  }

  /// Whether `other` changes the same target (so its state follows this one's).
  func sameTarget(as other: AnyChange) -> Bool {
    Self.sameTarget(base, other.base)
  }

  /// This change starting from `previous`'s after-state (the same target, changed earlier in the plan).
  func following(_ previous: AnyChange) -> AnyChange {
    AnyChange(Self.following(base, previous.base))
  }

  /// The change that takes this one back: from what the host reported after it (or the intended after-value when no
  /// result arrived) to the recorded before-value.
  func inverted(observedAfter: FactValue?) -> AnyChange {
    AnyChange(Self.inverted(base, observedAfter: observedAfter))
  }

  private static func describeBefore<C: Change>(_ change: C) -> String { C.describe(change.before) }
  private static func describeAfter<C: Change>(_ change: C) -> String { C.describe(change.after) }

  private static func sameTarget<C: Change>(_ change: C, _ other: any Change) -> Bool {
    guard let other = other as? C else { return false }
    return change.targetID == other.targetID
  }

  private static func following<C: Change>(_ change: C, _ previous: any Change) -> C {
    guard let previous = previous as? C, previous.targetID == change.targetID else { return change }
    var chained = change
    chained.before = previous.after
    return chained
  }

  private static func inverted<C: Change>(_ change: C, observedAfter: FactValue?) -> C {
    var inverse = change
    inverse.before = observedAfter.flatMap(C.state(from:)) ?? change.after
    inverse.after = change.before
    return inverse
  }

  static func == (lhs: AnyChange, rhs: AnyChange) -> Bool {
    AnyHashable(lhs.base) == AnyHashable(rhs.base)
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(AnyHashable(base))
  }

  private enum Keys: String, CodingKey {
    case kind
    case change
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Keys.self)
    let kind = try container.decode(String.self, forKey: .kind)
    guard let type = Changes.all.first(where: { $0.kind == kind }) else {
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: container, debugDescription: "unknown change kind '\(kind)'")
    }
    base = try Self.decode(type, from: container)
  }

  private static func decode<C: Change>(_ type: C.Type, from container: KeyedDecodingContainer<Keys>) throws -> C {
    try container.decode(C.self, forKey: .change)
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode(kind, forKey: .kind)
    try container.encode(base, forKey: .change)
  }
}
