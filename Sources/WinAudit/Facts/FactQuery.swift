/// What the collector reads on the host for one fact. Each case is one fact kind of the facts JSON schema.
public enum FactQuery: Sendable, Hashable {
  /// A registry value, with its Group Policy twin when it has one.
  case registry(RegistryQuery)
  /// Firewall rules from the ActiveStore (local and Group Policy rules), by rule Name or by group id, never by the
  /// localized display names.
  case firewallRules(FirewallSelector)
  /// The NetworkCategory of every connected network (which firewall profile is active).
  case networkProfiles
  /// TCP listeners on a port, with the services owning them.
  case tcpListener(port: ListenerPort)
  /// A service's status and start type.
  case service(name: String)
  /// The certificates in a store such as `Cert:\LocalMachine\Remote Desktop`, with private key readability.
  case certificates(store: String)
  /// Win32_TSGeneralSetting for a listener: its certificate thumbprint and type, and where settings come from.
  case terminalSettings(terminal: String)
  /// A file or folder and its ACL as SDDL; `{MachineGuid}` in the path is replaced on the host.
  case path(String)
  /// Caption, version, build and PowerShell version.
  case operatingSystem
  /// `HKLM:\SOFTWARE\Microsoft\Cryptography` MachineGuid, which names the RDP key file.
  case machineGuid

  /// The `kind` string in the playbook and the facts JSON.
  public var kind: FactKind {
    switch self {
    case .registry: .registry
    case .firewallRules: .firewallRules
    case .networkProfiles: .networkProfiles
    case .tcpListener: .tcpListener
    case .service: .service
    case .certificates: .certificates
    case .terminalSettings: .terminalSettings
    case .path: .path
    case .operatingSystem: .os
    case .machineGuid: .machineGuid
    }
  }

  /// Facts this one needs first (a listener on the port a registry value names).
  public var dependencies: [String] {
    if case .tcpListener(.fact(let id, defaultPort: _)) = self { return [id] }
    return []
  }
}

/// The registry location of a value and of its Group Policy twin.
public struct RegistryQuery: Sendable, Hashable {
  /// The policy key Windows reads Remote Desktop policies from.
  public static let terminalServicesPolicyPath = #"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"#

  /// A PowerShell registry path such as `HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server`.
  public var path: String
  public var name: String
  /// The value's policy twin, if it has one: a configured policy wins over the local value.
  public var policyPath: String?
  public var policyName: String?
  /// What Windows uses when neither the value nor its policy is set (reported with source "default").
  public var defaultValue: FactValue?

  public init(
    path: String, name: String, policyPath: String? = nil, policyName: String? = nil, defaultValue: FactValue? = nil
  ) {
    self.path = path
    self.name = name
    self.policyPath = policyPath
    self.policyName = policyName
    self.defaultValue = defaultValue
  }
}

/// Which firewall rules a firewall fact reads.
public enum FirewallSelector: Sendable, Hashable {
  /// Rules by their (not localized) Name, such as `RemoteDesktop-UserMode-In-TCP`.
  case names([String])
  /// Rules by group id, such as `@FirewallAPI.dll,-28752`.
  case group(String)
}

/// Where a listener fact gets its port: a fixed number, or the value of a registry fact (PortNumber) read in the
/// same script, with the default used when that value is absent.
public enum ListenerPort: Sendable, Hashable {
  case number(Int)
  case fact(String, defaultPort: Int)
}
