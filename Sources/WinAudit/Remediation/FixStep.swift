/// One concrete change on one host, as planned, journaled and sent: the change with its typed before- and
/// after-state, the fix and control it serves, and whether it interrupts people.
///
/// Steps are what the journal records and what rollback replays backwards, so they carry every value needed to undo
/// them without the playbook that produced them.
public struct FixStep: Sendable, Hashable, Codable {
  /// Position in the host's plan ("1", "2", ...): the apply script reports results by this id.
  public var id: String
  /// The fix that produced the step (for a service stop/start the planner added, the fix that needed it).
  public var fix: String
  /// The control the step remediates; nil for supporting steps such as stopping a service.
  public var control: String?
  var change: AnyChange
  /// Why the step interrupts people; nil when it does not.
  public var disruptive: String?
  /// The change takes effect only after the host restarts (the fix says `reboot: true`); absent in older journals.
  public var needsReboot: Bool?
  /// Whether the step makes the change (`apply`) or takes it back (`undo`, a rollback step whose after-state is the
  /// original step's before-state).
  public var direction: StepDirection

  init(
    id: String, fix: String, control: String?, change: AnyChange, disruptive: String? = nil,
    direction: StepDirection = .apply, needsReboot: Bool? = nil
  ) {
    self.needsReboot = needsReboot
    self.id = id
    self.fix = fix
    self.control = control
    self.change = change
    self.disruptive = disruptive
    self.direction = direction
  }

  /// What the step touches, in the words people search for.
  public var target: String { change.target }

  /// `target: before -> after`, the dry run's line for the step.
  public var summary: String {
    "\(change.target): \(change.beforeText) -> \(change.afterText)"
  }

  /// The PowerShell that makes the step's change (or takes it back, for an undo step).
  var script: String { change.script(direction, step: id) }

  /// The step that takes this one back, starting from what the host reported after it.
  func inverse(observedAfter: FactValue?) -> FixStep {
    FixStep(
      id: id, fix: fix, control: control, change: change.inverted(observedAfter: observedAfter),
      disruptive: disruptive, direction: direction == .apply ? .undo : .apply, needsReboot: needsReboot)
  }
}

/// Whether a step applies a change or undoes one.
public enum StepDirection: String, Sendable, Hashable, Codable {
  case apply
  case undo
}
