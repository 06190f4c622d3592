/// What `winaudit fix` will do on one host: the ordered steps, and the fixes it will not apply with the reason.
public struct HostPlan: Sendable, Hashable {
  public var host: String
  public var steps: [FixStep]
  public var skipped: [SkippedFix]
  /// Drifting controls `--only` leaves out: not planned, and never reported as compliant.
  public var outsideOnly: [String]

  public init(host: String, steps: [FixStep] = [], skipped: [SkippedFix] = [], outsideOnly: [String] = []) {
    self.host = host
    self.steps = steps
    self.skipped = skipped
    self.outsideOnly = outsideOnly
  }

  /// The fixes with at least one step, in plan order.
  public var fixes: [String] {
    var seen = Set<String>()
    return steps.map(\.fix).filter { seen.insert($0).inserted }
  }
}

/// A fix the planner did not plan on a host, and why.
public struct SkippedFix: Sendable, Hashable {
  public enum Reason: Sendable, Hashable {
    /// It interrupts people and `--allow-disruptive` was not given.
    case disruptive(String)
    /// Group Policy sets the value: a local change would be undone at the next refresh; the policy must change.
    case groupPolicy(policy: RegistryValueRef, value: String)
    /// The drifting control has no fix in the remediation playbooks.
    case noFix
    /// The host lacks what the fix needs (a firewall rule that does not exist).
    case precondition(String)
    /// The host already has the fix's target state (the audit and the host's current state disagree).
    case nothingToChange
  }

  public var fix: String?
  public var control: String
  public var reason: Reason

  public init(fix: String?, control: String, reason: Reason) {
    self.fix = fix
    self.control = control
    self.reason = reason
  }

  /// One line for people.
  public var explanation: String {
    switch reason {
    case .disruptive(let why): return "disruptive (\(why)): pass --allow-disruptive to apply it"
    case .groupPolicy(let policy, let value):
      return "Group Policy sets \(policy) = \(value); a local change would be undone at the next policy refresh: "
        + "change that policy value instead"
    case .noFix: return "no automatic fix: see the control's rationale"
    case .precondition(let why): return why
    case .nothingToChange: return "the host already has the target state; nothing to change"
    }
  }
}
