/// The honest end of a `winaudit fix` run: per host, in inventory order, one result (converged, pending reboot, drift,
/// failed, declined, not started; for a dry run planned or compliant) and every control still drifting with why.
///
/// Computed from a `FixRunReport` only; the text table (`FixReport.summary`) and the JSON (`FixJSONReport`) both show it.
public struct FixSummary: Sendable, Hashable {
  /// One host's result.
  public enum Result: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nothing drifted, nothing was changed.
    case compliant
    /// A dry run: changes would be made.
    case planned
    /// Every change applied and every control passes on re-audit.
    case converged
    /// Applied; some changes take effect only when the host restarts (never "converged" before that).
    case pendingReboot = "pending-reboot"
    /// Controls still drift (see `Host.drift` for which and why).
    case drift
    /// Could not be planned or changed: unreachable, audit or pre-read failed, apply failed or dropped, locked.
    case failed
    /// The user answered no (or quit).
    case declined
    /// Not started: `--max-fail` was reached or the run was interrupted.
    case notStarted = "not-started"

    /// The words of the text table.
    public var words: String {
      switch self {
      case .pendingReboot: return "pending reboot"
      case .notStarted: return "not started"
      default: return rawValue
      }
    }
  }

  /// Why a control still drifts after the run.
  public enum Reason: String, Sendable, Hashable, Codable {
    /// Group Policy sets the value: a local fix would be undone, so none was applied.
    case groupPolicy = "group-policy"
    /// The fix is applied; Windows uses it after the next restart.
    case pendingReboot = "pending-reboot"
    /// The fix was applied and failed, dropped, or the control still drifts after it.
    case fixFailed = "fix-failed"
    /// No fix exists for the control.
    case noFix = "no-fix"
    /// `--only` left the control out.
    case outsideOnly = "outside-only"
    /// The fix is disruptive and `--allow-disruptive` was not given.
    case disruptive
    /// The host lacks what the fix needs (the detail says what).
    case precondition
    /// A dry run: a fix is planned.
    case planned
    /// The host was declined at the prompt.
    case declined
    /// The host was not started (--max-fail, interrupted).
    case notStarted = "not-started"
    /// The control could not be checked.
    case error
    /// Not planned (an opt-in fix that was not included).
    case notPlanned = "not-planned"

    /// The words of the text table.
    public var words: String {
      switch self {
      case .groupPolicy: return "Group Policy owns the value"
      case .pendingReboot: return "reboot pending"
      case .fixFailed: return "the fix failed"
      case .noFix: return "no fix exists"
      case .outsideOnly: return "outside --only"
      case .disruptive: return "disruptive, needs --allow-disruptive"
      case .precondition: return "the fix cannot apply"
      case .planned: return "fix planned"
      case .declined: return "declined"
      case .notStarted: return "not started"
      case .error: return "could not be checked"
      case .notPlanned: return "no fix planned (opt-in: --include)"
      }
    }
  }

  /// A control still drifting (or pending a reboot) on a host.
  public struct Drift: Sendable, Hashable, Codable {
    public var control: String
    public var reason: Reason
    /// More for people: the policy to change, the actual value, the error.
    public var detail: String?
  }

  /// One host's line of the summary.
  public struct Host: Sendable, Hashable {
    public var name: String
    public var address: String
    public var result: Result
    /// Every control not passing after the run, and those passing but waiting for a restart, with why.
    public var drift: [Drift]
    /// Why the host failed or was not started.
    public var message: String?
    /// A change Windows reads at start-up was made: the host needs a restart.
    public var needsReboot: Bool

    /// The controls `--only` left out that drift.
    public var outsideOnly: [String] { drift.filter { $0.reason == .outsideOnly }.map(\.control) }
  }

  public var hosts: [Host]

  /// The hosts that need a restart, in inventory order.
  public var needReboot: [String] { hosts.filter(\.needsReboot).map(\.name) }

  /// How many hosts have each result.
  public func count(_ result: Result) -> Int { hosts.filter { $0.result == result }.count }

  public init(_ report: FixRunReport) {
    hosts = report.hosts.map(Self.host)
  }

  static func host(_ fix: FixRunReport.HostFix) -> Host {
    let prepared = fix.prepared
    let outcome = fix.outcome
    let audit = fix.audit
    var host = Host(
      name: prepared.host.name, address: prepared.host.address, result: .compliant, drift: [], message: nil,
      needsReboot: outcome?.needsReboot ?? false)
    let planned = Set(prepared.plan.steps.compactMap(\.control))
    let rebootControls = Set(prepared.plan.steps.filter { $0.needsReboot == true }.compactMap(\.control))
    let applied = outcome.map { if case .applied = $0.status { true } else { false } } ?? false
    for finding in audit.findings {
      let control = finding.controlID
      switch finding.status {
      case .pass where applied && rebootControls.contains(control):
        host.drift.append(Drift(control: control, reason: .pendingReboot, detail: nil))
      case .pass, .skipped, .waived:
        continue
      case .drift, .error:
        host.drift.append(reason(for: finding, fix: fix, planned: planned))
      }
    }
    if host.drift.contains(where: { $0.reason == .pendingReboot }) { host.needsReboot = true }
    // The host's result: a failure or a choice first, then what its controls say.
    if prepared.failedToPlan {
      host.result = .failed
      host.message = prepared.error.map(SafeText.line)
      return host
    }
    if audit.findings.isEmpty, let error = audit.error {
      host.result = .failed
      host.message = SafeText.line(error)
      return host
    }
    switch outcome?.status {
    case .failed, .dropped, .locked:
      host.result = .failed
      host.message = outcome?.status.detail.map(SafeText.line)
      return host
    case .declined:
      host.result = .declined
      return host
    case .interrupted:
      host.result = .notStarted
      host.message = "interrupted before its changes were sent"
      return host
    case .notStarted(let reason):
      host.result = .notStarted
      host.message = reason
      return host
    case .applied, .nothingToDo, nil:
      break
    }
    let drifting = host.drift.contains { $0.reason != .pendingReboot }
    if case .applied? = outcome?.status {
      host.result = drifting ? .drift : host.drift.isEmpty ? .converged : .pendingReboot
    } else if outcome == nil && !prepared.plan.steps.isEmpty {
      // Only a dry run leaves a host with changes without an outcome.
      host.result = .planned
    } else {
      host.result = drifting ? .drift : .compliant
    }
    return host
  }

  /// Why `finding` still drifts on the host of `fix`.
  static func reason(for finding: Finding, fix: FixRunReport.HostFix, planned: Set<String>) -> Drift {
    let control = finding.controlID
    let actual = finding.actual.map { "actual " + SafeText.line($0) }
    if finding.status == .error {
      return Drift(control: control, reason: .error, detail: finding.message.map(SafeText.line))
    }
    if fix.prepared.plan.outsideOnly.contains(control) {
      return Drift(control: control, reason: .outsideOnly, detail: actual)
    }
    if let skipped = fix.prepared.plan.skipped.first(where: { $0.control == control }) {
      let reason: Reason
      switch skipped.reason {
      case .groupPolicy: reason = .groupPolicy
      case .noFix: reason = .noFix
      case .disruptive: reason = .disruptive
      case .precondition, .nothingToChange: reason = .precondition
      }
      return Drift(control: control, reason: reason, detail: SafeText.line(skipped.explanation))
    }
    guard planned.contains(control) else { return Drift(control: control, reason: .notPlanned, detail: actual) }
    switch fix.outcome?.status {
    case nil, .nothingToDo: return Drift(control: control, reason: .planned, detail: actual)
    case .declined: return Drift(control: control, reason: .declined, detail: actual)
    case .interrupted, .notStarted: return Drift(control: control, reason: .notStarted, detail: actual)
    case .failed, .dropped, .locked:
      return Drift(control: control, reason: .fixFailed, detail: fix.outcome?.status.detail.map(SafeText.line))
    case .applied:
      return Drift(
        control: control, reason: .fixFailed, detail: "still drifts after its fix" + (actual.map { ": " + $0 } ?? ""))
    }
  }
}
