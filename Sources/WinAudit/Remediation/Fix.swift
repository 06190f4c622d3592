/// A remediation for one control, read from a remediation playbook: the actions that bring the host back to the
/// baseline, and what the planner must know to order and guard them.
///
/// A fix does not say "before/after" itself: the planner reads the host first, so a rerun plans only what still
/// drifts and the journal holds the real before-values.
public struct Fix: Sendable, Hashable {
  /// The fix's name (the playbook key), used by `--only` and `--include`.
  public var id: String
  /// The baseline control it remediates; defaults to `id`.
  public var control: String
  /// One line for people: what the fix does.
  public var summary: String
  /// The changes, in order.
  public var actions: [FixAction]
  /// Services that must be stopped while the actions run (stopped first, started again after every change).
  public var stopServices: [String]
  /// Services restarted after the plan's changes when this fix changed something (a setting read at service start).
  public var restartServices: [String]
  /// Fixes that must come before this one when both are planned.
  public var after: [String]
  /// Why applying it interrupts people (drops RDP sessions, changes the port clients use); nil when it does not.
  public var disruptive: String?
  /// Planned only when named with `--include` (last-resort fixes such as renaming the whole MachineKeys folder).
  public var optIn: Bool
  /// Fixes this one replaces when it is included.
  public var supersedes: [String]
  /// Where the fix is defined, for messages.
  public var location: Diagnostic

  public init(
    id: String, control: String? = nil, summary: String, actions: [FixAction], stopServices: [String] = [],
    restartServices: [String] = [], after: [String] = [], disruptive: String? = nil, optIn: Bool = false,
    supersedes: [String] = [], location: Diagnostic? = nil
  ) {
    self.id = id
    self.control = control ?? id
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

  /// Whether applying the fix interrupts people, given the actions and service handling it declares.
  public var disruption: String? {
    if let disruptive { return disruptive }
    let services = stopServices + restartServices + actions.flatMap(\.restartedServices)
    if let first = services.first { return "restarts \(first)" }
    return nil
  }

  /// How the fix is undone, for the dry run and the docs: every action restores the value the journal recorded.
  public var undoSummary: String {
    actions.map(\.undoSummary).joined(separator: "; ")
  }
}

extension FixAction {
  /// How `winaudit rollback` undoes this action.
  public var undoSummary: String {
    switch self {
    case .setRegistryValue(let ref, _, _), .removeRegistryValue(let ref, _):
      return "restore \(ref) (or remove it if it was absent)"
    case .enableFirewallRules: return "restore each rule's Enabled and Profile"
    case .setFirewallRulePort(let rule, _): return "restore \(rule) LocalPort"
    case .setServiceStartType(let service, _): return "restore \(service) start type"
    case .startService(let service), .restartService(let service): return "restore \(service) running state"
    case .resetACL(let path, _): return "icacls /restore of the saved ACL of \(path)"
    case .removeBrokenCertificates: return "re-import the exported certificates"
    case .renameRDPKeyFile: return "rename the key file back"
    case .renameFolder(let path): return "rename \(path) back (the new folder is kept aside, not deleted)"
    }
  }
}
