/// The firewall stores Get-NetFirewallRule -PolicyStore reads.
public enum FirewallPolicyStore: String, Sendable {
  /// The default: local rules only.
  case persistentStore = "PersistentStore"
  /// What is in force: local rules and rules from Group Policy.
  case activeStore = "ActiveStore"
}

extension HostState {
  /// The firewall profiles in force: the union of every connected interface's category.
  public var activeFirewallProfiles: FirewallProfiles {
    networkProfiles.reduce(into: FirewallProfiles()) { $0.formUnion($1.networkCategory.firewallProfile) }
  }

  /// The rules a store shows: the persistent store leaves out Group Policy rules.
  public func firewallRules(in store: FirewallPolicyStore) -> [FirewallRule] {
    store == .activeStore ? firewallRules : firewallRules.filter { !$0.isFromGroupPolicy }
  }

  /// The settings of each firewall profile in force: the host's, else Windows' defaults.
  public var firewallProfileSettings: [FirewallProfileSettings] {
    firewallProfiles ?? FirewallProfileSettings.defaults
  }

  /// Whether the Windows Defender Firewall service runs; the lab's firewall cmdlets cannot read the ActiveStore
  /// without it.
  public var firewallServiceRunning: Bool {
    service("MpsSvc")?.isRunning == true && service("BFE")?.isRunning == true
  }

  /// Whether inbound traffic to `port` reaches `program`/`service` on every active profile (what a client needs to
  /// connect): per profile, an off firewall lets everything in; "block all incoming connections" lets nothing in; an
  /// enabled Block rule wins over every Allow rule; otherwise an Allow rule (a local one only where the profile honours
  /// local rules) or a default inbound action of Allow lets it in. The defaults describe the RDP listener: TermService in
  /// svchost.exe.
  public func firewallAllowsInbound(
    port: Int, protocol proto: String = "TCP", program: String? = "%SystemRoot%\\system32\\svchost.exe",
    service: String? = "termservice"
  ) -> Bool {
    let active = activeFirewallProfiles
    let profiles = FirewallProfiles.names.map(\.1).filter { active.contains($0) }
    guard !profiles.isEmpty else { return false }
    return profiles.allSatisfy { profile in
      guard let settings = firewallProfileSettings.first(where: { $0.profile == profile }) else { return false }
      if !settings.enabled { return true }
      if !settings.allowInboundRules { return false }
      let counted = firewallRules.filter { settings.allowLocalFirewallRules || $0.isFromGroupPolicy }
      if counted.contains(where: {
        $0.blocksInbound(port: port, protocol: proto, on: profile, program: program, service: service)
      }) {
        return false
      }
      return settings.defaultInboundAction == .allow
        || counted.contains {
          $0.allowsInbound(port: port, protocol: proto, on: profile, program: program, service: service)
        }
    }
  }

  /// Whether a client could open an RDP session: listener up with a certificate, firewall open on its port.
  /// A summary for tests and the benchmark; the audit itself works from the facts the cmdlets show.
  public var acceptsRemoteDesktop: Bool {
    guard let listener = rdpListener, listener.certificate != nil else { return false }
    return firewallAllowsInbound(port: listener.port)
  }
}
