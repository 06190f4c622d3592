import Foundation

/// One read a fix sends to the host before planning (and after each step, to journal what the step left): a call of
/// one of the read functions the audit itself uses, so a fix sees a target exactly as the audit does.
///
/// Reads are values: the planner collects every fix's reads, sends each distinct one once, and hands each action the
/// JSON results of its own reads, which the action decodes into its typed state.
struct HostRead: Sendable, Hashable {
  /// The PowerShell expression that returns one object describing the target.
  var expression: String
  /// The functions the expression calls besides the shared ones of `CollectorCommon.ps1`.
  var functions: [CollectorFunction]

  /// One registry value: `{path, name, exists, type, value}`.
  static func registryValue(_ value: RegistryValueRef) -> HostRead {
    HostRead(
      expression: PowerShellCode.command(
        "Read-WinAuditRegistryValue", ["Path": .literal(value.path), "Name": .literal(value.name)]),
      functions: [])
  }

  /// A service: `{name, exists, status, startType}`.
  static func service(_ name: String) -> HostRead {
    collector(ServiceFact.collector, ServiceFact(parameter: name).request)
  }

  /// A file or folder: `{path, exists, sddl}`, with `{MachineGuid}` replaced as in the audit.
  static func path(_ path: String) -> HostRead {
    collector(PathFact.collector, PathFact(parameter: path).request)
  }

  /// A certificate store: `{store, exists, certificates: [...]}`.
  static func certificates(_ store: String) -> HostRead {
    collector(CertificatesFact.collector, CertificatesFact(parameter: store).request)
  }

  /// One certificate: `{thumbprint, present, subject, issuer, notAfter, hasPrivateKey}`.
  static func certificate(store: String, thumbprint: String) -> HostRead {
    HostRead(
      expression: PowerShellCode.command(
        "Read-WinAuditCertificate", ["Store": .literal(store), "Thumbprint": .literal(thumbprint)]),
      functions: [EmbeddedScripts.fixReads])
  }

  /// One local firewall rule: `{name, exists, enabled, profile, localPort, ...}`.
  static func firewallRule(_ name: String) -> HostRead {
    HostRead(
      expression: PowerShellCode.command("Read-WinAuditFirewallRule", ["Name": .literal(name)]),
      functions: [FirewallRulesFact.collector, EmbeddedScripts.fixReads])
  }

  /// The local rules of a firewall group: `{group, rules: [...]}`.
  static func firewallGroup(_ group: String) -> HostRead {
    HostRead(
      expression: PowerShellCode.command("Read-WinAuditFirewallGroup", ["Group": .literal(group)]),
      functions: [FirewallRulesFact.collector, EmbeddedScripts.fixReads])
  }

  /// The categories of the connected networks: `{profiles: [{interfaceAlias, networkCategory}]}`.
  static let connectedProfiles = collector(NetworkProfilesFact.collector, [])

  /// The host's %ProgramData%: `{programData}`.
  static let programData = HostRead(expression: "Read-WinAuditProgramData", functions: [])

  /// The host's clock: `{now}`.
  static let clock = HostRead(expression: "Read-WinAuditClock", functions: [])

  /// A call of a collector function with a request built like the audit's.
  private static func collector(
    _ function: CollectorFunction, _ request: [(key: String, value: PowerShellValue)]
  ) -> HostRead {
    HostRead(
      expression: "\(function.name) -Request (\(PowerShellCode.orderedTable(request)))", functions: [function])
  }
}

/// What the reads returned, by read: an action takes its typed state from here.
struct HostReads: Sendable {
  var results: [HostRead: FactValue]

  init(_ results: [HostRead: FactValue] = [:]) {
    self.results = results
  }

  /// The raw result of `read`, or nil when it was not read.
  subscript(read: HostRead) -> FactValue? { results[read] }

  /// The result of `read` decoded as `type`, or nil when it was not read or does not fit.
  func decode<T: Decodable>(_ read: HostRead, as type: T.Type) -> T? {
    results[read].flatMap { $0.decode(as: type) }
  }
}
