/// The read-only PowerShell script `winaudit capture` sends: a generated header listing what the playbook's facts read
/// (registry values with their policy twins, firewall selectors, services, certificate stores, paths, the kinds in
/// use), then the shared conversions of the collector and `PowerShell/Scripts/CaptureMain.ps1`, which saves the raw
/// answers of the same cmdlets the collector calls, before any conversion into facts.
///
/// The lists come from the playbook's facts, so a capture holds what an audit with that playbook reads. A fact kind
/// this file does not know is listed in `uncaptured` (and in the capture's README) rather than guessed at: each kind's
/// raw query is written here once, by hand, next to the collector function it mirrors.
public struct CaptureScript: Sendable, Hashable {
  /// The capture format's version, `capture` in capture.json.
  public static let schemaVersion = 1

  /// Registry values every capture reads besides the playbook's: the MachineGuid (it names the RDP key file), the
  /// OpenSSH DefaultShell (the lab needs it to answer like the host) and the console code page.
  static let identityValues = [
    RegistryValueRef(path: #"HKLM:\SOFTWARE\Microsoft\Cryptography"#, name: "MachineGuid"),
    RegistryValueRef(path: #"HKLM:\SOFTWARE\OpenSSH"#, name: "DefaultShell"),
    RegistryValueRef(path: #"HKLM:\SYSTEM\CurrentControlSet\Control\Nls\CodePage"#, name: "OEMCP"),
  ]

  /// The script text.
  public let text: String
  /// The kinds of the playbook's facts that the capture does not know how to read raw.
  public let uncaptured: [String]

  public init(playbook: Playbook) {
    self.init(facts: playbook.requiredFacts)
  }

  init(facts: [Fact]) {
    var kinds: [String] = []
    var registry: [RegistryValueRef] = []
    var names: [String] = []
    var groups: [String] = []
    var blocking = false
    var services: [String] = []
    var stores: [String] = []
    var paths: [String] = []
    var localGroups: [String] = []
    var uncaptured: [String] = []
    func add<T: Equatable>(_ value: T, to list: inout [T]) {
      if !list.contains(value) { list.append(value) }
    }
    for fact in facts {
      add(fact.kindName, to: &kinds)
      switch fact.kind {
      case let registryFact as RegistryFact:
        add(registryFact.local, to: &registry)
        if let policy = registryFact.policy { add(policy, to: &registry) }
      case let firewall as FirewallRulesFact:
        switch firewall.query {
        case .rules(.names(let list)): list.forEach { add($0, to: &names) }
        case .rules(.group(let group)): add(group, to: &groups)
        case .inboundBlocks: blocking = true
        }
      case let service as ServiceFact: add(service.parameter, to: &services)
      case let certificates as CertificatesFact: add(certificates.store, to: &stores)
      case let path as PathFact: add(path.path, to: &paths)
      case let group as LocalGroupFact: add(group.sid, to: &localGroups)
      case is FirewallProfilesFact, is NetworkProfilesFact, is TcpListenerFact, is TerminalSettingsFact,
        is OperatingSystemFact, is MachineGuidFact, is UserRightsFact, is DomainMembershipFact:
        break
      default:
        add(fact.kindName, to: &uncaptured)
      }
    }
    Self.identityValues.forEach { add($0, to: &registry) }
    // The firewall and listener derivations need the services that decide them, even when no control names them.
    if kinds.contains(FirewallRulesFact.name) || kinds.contains(FirewallProfilesFact.name) {
      ["MpsSvc", "BFE"].forEach { add($0, to: &services) }
    }
    if kinds.contains(TcpListenerFact.name) { add("TermService", to: &services) }

    let header = [
      "$ProgressPreference = 'SilentlyContinue'",
      "$ErrorActionPreference = 'Stop'",
      "# winaudit capture, capture schema \(Self.schemaVersion): read-only, sent by `winaudit capture`.",
      "# What the playbook's facts read, every value a single-quoted literal.",
      "$WinAuditCaptureKinds = " + PowerShellValue.array(kinds).code,
      "$WinAuditCaptureRegistry = @(",
    ]
    let registryLines = registry.map {
      "  " + PowerShellCode.orderedTable([("path", .literal($0.path)), ("name", .literal($0.name))])
    }
    let rest = [
      ")",
      "$WinAuditCaptureFirewall = "
        + PowerShellCode.orderedTable([
          ("names", .array(names)), ("groups", .array(groups)), ("blocking", .boolean(blocking)),
        ]),
      "$WinAuditCaptureServices = " + PowerShellValue.array(services).code,
      "$WinAuditCaptureStores = " + PowerShellValue.array(stores).code,
      "$WinAuditCapturePaths = " + PowerShellValue.array(paths).code,
      "$WinAuditCaptureGroups = " + PowerShellValue.array(localGroups).code,
      "",
    ]
    // The capture runs the collector's own queries where they exist (firewall rules and filters, certificate keys,
    // the user rights export, domain membership, group members), so what it saves is what the audit reads.
    text = [
      (header + registryLines + rest).joined(separator: "\n"), EmbeddedScripts.collectorCommon,
      FirewallRulesFact.collector.text, CertificatesFact.collector.text, UserRightsFact.collector.text,
      DomainMembershipFact.collector.text, LocalGroupFact.collector.text,
      EmbeddedScripts.captureMain,
    ].joined(separator: "\n")
    self.uncaptured = uncaptured
  }

}
