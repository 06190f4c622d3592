/// A control as reports describe it apart from any host: the matrix columns of the HTML report, in playbook order,
/// with the references its drill-down links to.
public struct ReportControl: Sendable, Hashable {
  public var id: String
  public var title: String
  public var severity: Severity
  public var references: [String]

  public init(id: String, title: String, severity: Severity, references: [String] = []) {
    self.id = id
    self.title = title
    self.severity = severity
    self.references = references
  }

  init(_ control: Control) {
    self.init(id: control.id, title: control.title, severity: control.severity, references: control.references)
  }

  /// The controls of `hosts`' findings in first-seen order, for a report built without its playbook.
  static func seen(in hosts: [HostAudit]) -> [ReportControl] {
    var seen = Set<String>()
    var result: [ReportControl] = []
    for finding in hosts.flatMap(\.findings) where seen.insert(finding.controlID).inserted {
      result.append(ReportControl(id: finding.controlID, title: finding.title, severity: finding.severity))
    }
    return result
  }
}
