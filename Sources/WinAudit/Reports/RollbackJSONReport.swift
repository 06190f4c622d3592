import Foundation

/// `winaudit rollback --format json`: the same content as the text as typed values, one JSON document on stdout.
///
/// Schema `winaudit-rollback/1` (keys sorted; absent optional values are left out):
///
///     {
///       "schema": "winaudit-rollback/1", "command": "rollback",
///       "rollbackOf": "RUN-ID rolled back", "run": "this rollback's RUN-ID" | absent, "journal": "..." | absent,
///       "interrupted": false, "exitCode": 0,
///       "alreadyRolledBack": [{"host": "web-01", "by": "RUN-ID of the earlier rollback"}],
///       "hosts": [{
///         "name": "web-01", "address": "10.0.0.7",
///         "result": "rolled-back" | "partly-rolled-back" | "failed" | "declined" | "not-started",
///         "message": "why it failed or was not started",
///         "steps": [{"id": "1", "fix": "nla-required", "control": "nla-required", "target": "HKLM:\\...",
///                    "restores": "1 (DWord) -> 0 (DWord)",
///                    "result": "restored" | "changed-since" | "forced" | "already-restored" | "failed"
///                              | "no-result" | "not-sent",
///                    "now": "what the host held (changed-since, forced)", "wrote": "what the run wrote"}],
///         "reaudit": [{"control": "nla-required", "status": "pass" | "drift" | "error" | "skipped",
///                      "actual": "..."}]
///       }],
///       "summary": {"hosts": 1, "rolledBack": 1, "partlyRolledBack": 0, "failed": 0, "declined": 0,
///                   "notStarted": 0, "changedSince": 0}
///     }
public struct RollbackJSONReport: Sendable, Hashable, Codable {
  public var schema = "winaudit-rollback/1"
  public var command = "rollback"
  public var rollbackOf: String
  public var run: String?
  public var journal: String?
  public var interrupted: Bool
  public var exitCode: Int32
  public var alreadyRolledBack: [Already]
  public var hosts: [Host]
  public var summary: Summary

  /// One host's result.
  public enum Result: String, Sendable, Hashable, Codable, CaseIterable {
    case rolledBack = "rolled-back"
    /// Some undo steps were skipped: their values changed since the run.
    case partlyRolledBack = "partly-rolled-back"
    case failed
    case declined
    case notStarted = "not-started"

    public var words: String {
      switch self {
      case .rolledBack: return "rolled back"
      case .partlyRolledBack: return "partly rolled back"
      case .notStarted: return "not started"
      default: return rawValue
      }
    }
  }

  public struct Already: Sendable, Hashable, Codable {
    public var host: String
    public var by: String
  }

  public struct Host: Sendable, Hashable, Codable {
    public var name: String
    public var address: String
    public var result: Result
    public var message: String?
    public var steps: [Step]
    public var reaudit: [Reaudit]?
  }

  public struct Step: Sendable, Hashable, Codable {
    public var id: String
    public var fix: String
    public var control: String?
    public var target: String
    public var restores: String
    public var result: String
    public var now: String?
    public var wrote: String?
  }

  public struct Reaudit: Sendable, Hashable, Codable {
    public var control: String
    public var status: String
    public var actual: String?
  }

  public struct Summary: Sendable, Hashable, Codable {
    public var hosts: Int
    public var rolledBack: Int
    public var partlyRolledBack: Int
    public var failed: Int
    public var declined: Int
    public var notStarted: Int
    public var changedSince: Int
  }

  public init(_ report: RollbackRunReport) {
    rollbackOf = report.original
    run = report.run?.text
    journal = report.journal
    interrupted = report.interrupted
    exitCode = ExitStatus.of(report)
    alreadyRolledBack = report.alreadyRolledBack.map { Already(host: $0.host, by: $0.by) }
    hosts = report.hosts.map(Self.host)
    let results = report.hosts.map(Self.result)
    summary = Summary(
      hosts: results.count, rolledBack: results.filter { $0 == .rolledBack }.count,
      partlyRolledBack: results.filter { $0 == .partlyRolledBack }.count,
      failed: results.filter { $0 == .failed }.count, declined: results.filter { $0 == .declined }.count,
      notStarted: results.filter { $0 == .notStarted }.count,
      changedSince: report.hosts.flatMap { $0.changedSince.filter { !$0.forced } }.count)
  }

  /// One host's result, as the summary counts it.
  static func result(_ host: RollbackRunReport.HostResult) -> Result {
    switch host.outcome {
    case .declined: return .declined
    case .unreachable: return .failed
    case .interrupted, .notStarted: return .notStarted
    case .executed(let outcome):
      guard case .applied = outcome.status else { return .failed }
      return host.isRolledBack ? .rolledBack : .partlyRolledBack
    }
  }

  static func host(_ host: RollbackRunReport.HostResult) -> Host {
    var message: String?
    var executed: HostOutcome?
    switch host.outcome {
    case .unreachable(let text): message = SafeText.line(text)
    case .notStarted(let reason): message = reason
    case .interrupted: message = "interrupted before its changes were sent"
    case .executed(let outcome):
      executed = outcome
      message = outcome.status.detail.map(SafeText.line)
    case .declined: break
    }
    let steps = host.plan.steps.map { step -> Step in
      var result = "not-sent"
      var now: String?
      var wrote: String?
      if let changed = host.changedSince.first(where: { $0.step.id == step.id }) {
        result = changed.forced ? "forced" : "changed-since"
        now = changed.now
        wrote = changed.wrote
      }
      if host.alreadyRestored.contains(step.id) { result = "already-restored" }
      if let executed, result == "not-sent" || result == "forced" {
        if let report = executed.results[step.id] {
          result = report.status == "ok" ? (result == "forced" ? "forced" : "restored") : "failed"
        } else if case .dropped = executed.status, executed.steps.contains(where: { $0.id == step.id }) {
          result = "no-result"
        }
      }
      return Step(
        id: step.id, fix: step.fix, control: step.control, target: step.target, restores: step.summary,
        result: result, now: now, wrote: wrote)
    }
    let touched = Set(host.touchedControls)
    let reaudit = host.reaudit.map { audit in
      audit.findings.filter { touched.contains($0.controlID) }.map {
        Reaudit(control: $0.controlID, status: $0.status.rawValue, actual: $0.actual)
      }
    }
    return Host(
      name: host.plan.host.name, address: host.plan.host.address, result: result(host), message: message,
      steps: steps, reaudit: reaudit)
  }

  /// The document, pretty-printed with sorted keys, ending with a newline.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
