/// A remediation for one or more controls, read from a remediation playbook: the actions that bring the host back to
/// the baseline, and what the planner must know to order and guard them.
///
/// A fix does not say "before/after" itself: the planner reads the host first, so a rerun plans only what still
/// drifts and the journal holds the real before-values.
public struct Fix: Sendable, Hashable {
  /// The fix's name (the playbook key), used by `--only` and `--include`.
  public var id: String
  /// The baseline control it remediates; defaults to `id`.
  public var control: String
  /// Every control it repairs: its own, and those naming it with `fix:` in the playbook (resolved once, at load).
  public var repairs: Set<String>
  /// One line for people: what the fix does.
  public var summary: String
  /// The changes, in order.
  var actions: [any FixAction]
  /// Services that must be stopped while the actions run (stopped first, started again after every change).
  public var stopServices: [String]
  /// Services restarted after the plan's changes when this fix changed something (a setting read at service start).
  public var restartServices: [String]
  /// Fixes that must come before this one when both are planned.
  public var after: [String]
  /// Why applying it interrupts people (drops RDP sessions, changes the port clients use); nil when it does not.
  public var disruptive: String?
  /// Windows reads what the fix changes only at start-up (SCHANNEL protocols): after applying it the value is in
  /// place, but the host behaves the old way until it restarts.
  public var needsReboot = false
  /// Planned only when named with `--include` (last-resort fixes such as renaming the whole MachineKeys folder).
  public var optIn: Bool
  /// Fixes this one replaces when it is included.
  public var supersedes: [String]
  /// Where the fix is defined, for messages.
  public var location: Diagnostic

  init(
    id: String, control: String? = nil, summary: String, actions: [any FixAction], stopServices: [String] = [],
    restartServices: [String] = [], after: [String] = [], disruptive: String? = nil, optIn: Bool = false,
    supersedes: [String] = [], location: Diagnostic? = nil
  ) {
    self.id = id
    self.control = control ?? id
    self.repairs = [control ?? id]
    self.summary = summary
    self.actions = actions
    self.stopServices = stopServices
    self.restartServices = restartServices
    self.after = after
    self.disruptive = disruptive
    self.optIn = optIn
    self.supersedes = supersedes
    self.location = location ?? Diagnostic(file: "<code>", line: 0, column: 0, message: id)
  }

  public static func == (lhs: Fix, rhs: Fix) -> Bool {
    lhs.id == rhs.id && lhs.control == rhs.control && lhs.repairs == rhs.repairs && lhs.summary == rhs.summary
      && lhs.actions.map { AnyHashable($0) } == rhs.actions.map { AnyHashable($0) }
      && lhs.stopServices == rhs.stopServices
      && lhs.restartServices == rhs.restartServices && lhs.after == rhs.after && lhs.disruptive == rhs.disruptive
      && lhs.optIn == rhs.optIn && lhs.supersedes == rhs.supersedes && lhs.location == rhs.location
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(id)
    hasher.combine(location)
  }
}
