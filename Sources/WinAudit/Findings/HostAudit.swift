/// Everything the audit learned about one host: its verdict, why it could not be audited (if so), its findings.
public struct HostAudit: Sendable, Hashable {
  public var name: String
  public var address: String
  public var status: HostStatus
  /// Why the host could not be audited (unreachable, script failure), for people; nil otherwise.
  public var error: String?
  /// One finding per control, in playbook order; empty when the host could not be audited.
  public var findings: [Finding]
  /// What the host reported about itself, when it ran the collector.
  public var hostFacts: HostFacts?
  /// The host could not be audited from inside (`error` says why) and its findings are only those the wire probe
  /// decides.
  public var outsideOnly = false
  /// Seconds from connecting to the verdict, by the auditor's clock; nil when not measured.
  public var duration: Double?
  /// The inventory's tags for the host (the HTML report filters by them).
  public var tags: [String] = []
  /// The host's place (from 1) among the hosts `--limit` selected, before `--shard` took its slice: `report merge`
  /// puts the shards' hosts back in inventory order by it. Nil when not recorded.
  public var position: Int?

  public init(
    name: String, address: String, status: HostStatus, error: String? = nil, findings: [Finding] = [],
    hostFacts: HostFacts? = nil
  ) {
    self.name = name
    self.address = address
    self.status = status
    self.error = error
    self.findings = findings
    self.hostFacts = hostFacts
  }

  /// Where the verdict comes from: "inside" (the collector ran), "outside" (only the RDP probe could judge it), or
  /// nil when nothing was judged.
  public var judgedFrom: String? {
    if outsideOnly { return "outside" }
    return findings.isEmpty ? nil : "inside"
  }

  /// The audit of a host whose findings are known: drift if any control drifted, error if any could not be judged.
  public init(host: InventoryHost, findings: [Finding], hostFacts: HostFacts?) {
    let status: HostStatus
    if findings.contains(where: { $0.status == .error }) {
      status = .error
    } else if findings.contains(where: { $0.status == .drift }) {
      status = .drift
    } else {
      status = .compliant
    }
    let errors = findings.filter { $0.status == .error }.count
    self.init(
      name: host.name, address: host.address, status: status,
      error: errors > 0 ? "\(errors) control\(errors == 1 ? "" : "s") could not be checked" : nil,
      findings: findings, hostFacts: hostFacts)
    tags = host.tags
  }

  /// A host that could not be audited at all.
  public static func failed(_ host: InventoryHost, status: HostStatus, error: String) -> HostAudit {
    var audit = HostAudit(name: host.name, address: host.address, status: status, error: error)
    audit.tags = host.tags
    return audit
  }
}
