import Foundation

/// The result of auditing a fleet: every host's audit in inventory order, and the counts the summary comes from
/// (`ExitStatus` maps it to the exit code).
public struct AuditReport: Sendable, Hashable {
  public var playbook: String
  public var hosts: [HostAudit]
  /// When, how long, with which winaudit, playbook and inventory (JSON schema 2, JUnit, HTML).
  public var run: AuditRun
  /// The controls a built-in or given remediation playbook can fix (the HTML drill-down says "fix available").
  public var fixableControls: Set<String> = []
  /// The playbook's controls in its order (the HTML matrix's columns); those seen in findings when not given.
  public var controls: [ReportControl]

  public init(playbook: String, hosts: [HostAudit], run: AuditRun? = nil, controls: [ReportControl]? = nil) {
    self.playbook = playbook
    self.hosts = hosts
    self.run = run ?? AuditRun(id: UUID().uuidString, start: Date(), playbookName: playbook)
    self.controls = controls ?? ReportControl.seen(in: hosts)
  }

  public var summary: ReportSummary { ReportSummary(hosts) }

  /// Records each host's place in `selection` (the hosts `--limit` selected, before `--shard`), by name, so that
  /// merged shard reports list their hosts in inventory order.
  public mutating func recordPositions(in selection: [InventoryHost]) {
    let places = Dictionary(
      selection.enumerated().map { ($1.name, $0 + 1) }, uniquingKeysWith: { first, _ in first })
    for index in hosts.indices { hosts[index].position = places[hosts[index].name] }
  }
}

/// Host and control counts for the end of a report.
public struct ReportSummary: Sendable, Hashable {
  public var hosts: Int
  public var compliant: Int
  public var drift: Int
  /// Hosts that could not be fully audited (error or unreachable).
  public var error: Int
  public var unreachable: Int
  /// Hosts not audited because the run was interrupted.
  public var interrupted: Int
  /// Drift a waiver covers (not counted in `drift`, and no reason for exit 1).
  public var waived: Int
  /// Findings by status, across all hosts.
  public var controls: [FindingStatus: Int]

  public init(_ audits: [HostAudit]) {
    hosts = audits.count
    compliant = audits.filter { $0.status == .compliant }.count
    drift = audits.filter { $0.status == .drift }.count
    error = audits.filter { $0.status == .error || $0.status == .unreachable }.count
    unreachable = audits.filter { $0.status == .unreachable }.count
    interrupted = audits.filter { $0.status == .interrupted }.count
    // Counted in place: flattening every host's findings into one array copied a fleet's results at report time.
    var controls: [FindingStatus: Int] = [:]
    for status in FindingStatus.allCases { controls[status] = 0 }
    for audit in audits {
      for finding in audit.findings { controls[finding.status, default: 0] += 1 }
    }
    waived = controls[.waived] ?? 0
    self.controls = controls
  }
}
