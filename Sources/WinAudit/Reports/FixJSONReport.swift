import Foundation

/// `winaudit fix --format json`: the same content as the text (plans, outcomes, verification, the summary) as typed
/// values, one JSON document on stdout.
///
/// Schema `winaudit-fix/1` (keys sorted; absent optional values are left out):
///
///     {
///       "schema": "winaudit-fix/1", "command": "fix",
///       "mode": "dry-run" | "apply",
///       "run": "RUN-ID" | absent, "journal": "/path/RUN-ID.jsonl" | absent,
///       "nothingToChange": false, "interrupted": false, "exitCode": 0,
///       "hosts": [{
///         "name": "web-01", "address": "10.0.0.7",
///         "result": "compliant" | "planned" | "converged" | "pending-reboot" | "drift" | "failed" | "declined"
///                   | "not-started",
///         "message": "why it failed or was not started",
///         "changes": [{"id": "1", "fix": "nla-required", "control": "nla-required", "target": "HKLM:\\...",
///                      "before": "0 (DWord)", "after": "1 (DWord)", "disruptive": "restarts TermService",
///                      "needsReboot": true,
///                      "status": "planned" | "ok" | "error" | "no-result" | "not-sent"}],
///         "skipped": [{"fix": "nla-required", "control": "nla-required",
///                      "reason": "group-policy" | "no-fix" | "disruptive" | "precondition", "explanation": "..."}],
///         "outcome": {"status": "applied" | "failed" | "dropped" | "locked" | "declined" | "interrupted"
///                               | "not-started" | "nothing-to-do", "message": "..."},
///         "verify": [{"control": "nla-required",
///                     "result": "converged" | "pending-reboot" | "drift" | "error" | "no-longer-applies",
///                     "actual": "..."}],
///         "drift": [{"control": "tls12-enabled", "reason": "group-policy" | "pending-reboot" | "fix-failed"
///                    | "no-fix" | "outside-only" | "disruptive" | "precondition" | "planned" | "declined"
///                    | "not-started" | "error" | "not-planned", "detail": "..."}],
///         "driftOutsideOnly": ["credssp-not-vulnerable"],
///         "needsReboot": false,
///         "script": "the PowerShell a dry run would send (--show-script)"
///       }],
///       "summary": {"hosts": 3, "compliant": 0, "planned": 0, "converged": 1, "pendingReboot": 1, "drift": 1,
///                   "failed": 0, "declined": 0, "notStarted": 0, "needReboot": ["tls12-disabled"]}
///     }
public struct FixJSONReport: Sendable, Hashable, Codable {
  public var schema = "winaudit-fix/1"
  public var command = "fix"
  public var mode: String
  public var run: String?
  public var journal: String?
  public var nothingToChange: Bool
  public var interrupted: Bool
  public var exitCode: Int32
  public var hosts: [Host]
  public var summary: Summary

  public struct Host: Sendable, Hashable, Codable {
    public var name: String
    public var address: String
    public var result: FixSummary.Result
    public var message: String?
    public var changes: [Change]
    public var skipped: [Skipped]
    public var outcome: Outcome?
    public var verify: [Verify]?
    public var drift: [FixSummary.Drift]
    public var driftOutsideOnly: [String]
    public var needsReboot: Bool
    public var script: String?
  }

  public struct Change: Sendable, Hashable, Codable {
    public var id: String
    public var fix: String
    public var control: String?
    public var target: String
    public var before: String
    public var after: String
    public var disruptive: String?
    public var needsReboot: Bool?
    public var status: String
  }

  public struct Skipped: Sendable, Hashable, Codable {
    public var fix: String?
    public var control: String
    public var reason: String
    public var explanation: String
  }

  public struct Outcome: Sendable, Hashable, Codable {
    public var status: String
    public var message: String?
  }

  public struct Verify: Sendable, Hashable, Codable {
    public var control: String
    public var result: String
    public var actual: String?
  }

  public struct Summary: Sendable, Hashable, Codable {
    public var hosts: Int
    public var compliant: Int
    public var planned: Int
    public var converged: Int
    public var pendingReboot: Int
    public var drift: Int
    public var failed: Int
    public var declined: Int
    public var notStarted: Int
    public var needReboot: [String]
  }

  public init(_ report: FixRunReport) {
    let summary = FixSummary(report)
    mode = report.isDryRun ? "dry-run" : "apply"
    run = report.run?.text
    journal = report.journal
    nothingToChange = report.nothingToChange
    interrupted = report.interrupted
    exitCode = ExitStatus.of(report)
    hosts = zip(report.hosts, summary.hosts).map { Self.host($0, $1) }
    self.summary = Summary(
      hosts: summary.hosts.count, compliant: summary.count(.compliant), planned: summary.count(.planned),
      converged: summary.count(.converged), pendingReboot: summary.count(.pendingReboot), drift: summary.count(.drift),
      failed: summary.count(.failed), declined: summary.count(.declined), notStarted: summary.count(.notStarted),
      needReboot: summary.needReboot)
  }

  static func host(_ fix: FixRunReport.HostFix, _ line: FixSummary.Host) -> Host {
    let outcome = fix.outcome
    let changes = fix.prepared.plan.steps.map { step -> Change in
      let status: String
      if let outcome {
        if let result = outcome.results[step.id] {
          status = result.status == "ok" ? "ok" : "error"
        } else if case .dropped = outcome.status {
          status = "no-result"
        } else {
          status = "not-sent"
        }
      } else {
        status = "planned"
      }
      return Change(
        id: step.id, fix: step.fix, control: step.control, target: step.target, before: step.change.beforeText,
        after: step.change.afterText, disruptive: step.disruptive, needsReboot: step.needsReboot, status: status)
    }
    let skipped = fix.prepared.plan.skipped.map { skip -> Skipped in
      let reason: String
      switch skip.reason {
      case .groupPolicy: reason = "group-policy"
      case .noFix: reason = "no-fix"
      case .disruptive: reason = "disruptive"
      case .precondition: reason = "precondition"
      case .nothingToChange: reason = "nothing-to-change"
      }
      return Skipped(fix: skip.fix, control: skip.control, reason: reason, explanation: skip.explanation)
    }
    var verify: [Verify]?
    if let verification = outcome?.verification {
      let controls = Set(fix.prepared.plan.steps.compactMap(\.control))
      let afterReboot = Set(fix.prepared.plan.steps.filter { $0.needsReboot == true }.compactMap(\.control))
      verify = verification.findings.filter { controls.contains($0.controlID) }.map { finding in
        let result: String
        switch finding.status {
        case .pass: result = afterReboot.contains(finding.controlID) ? "pending-reboot" : "converged"
        case .skipped: result = "no-longer-applies"
        case .drift: result = "drift"
        case .waived: result = "waived"
        case .error: result = "error"
        }
        return Verify(control: finding.controlID, result: result, actual: finding.actual)
      }
    }
    return Host(
      name: line.name, address: line.address, result: line.result, message: line.message, changes: changes,
      skipped: skipped, outcome: outcome.map { Outcome(status: $0.status.word, message: $0.status.detail) },
      verify: verify, drift: line.drift, driftOutsideOnly: line.outsideOnly, needsReboot: line.needsReboot,
      script: fix.script)
  }

  /// The document, pretty-printed with sorted keys, ending with a newline.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
