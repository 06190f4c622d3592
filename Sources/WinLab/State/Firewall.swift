/// A Windows Defender Firewall rule as Get-NetFirewallRule and Get-NetFirewallPortFilter show it.
///
/// Rules from Group Policy (`policyStore: "GPO"`) are part of the ActiveStore but not of the local PersistentStore,
/// and cannot be changed locally.
public struct FirewallRule: Sendable, Equatable, Codable {
  public var name: String
  public var displayName: String
  /// Group id such as `@FirewallAPI.dll,-28752`; the localized name is `displayGroup`.
  public var group: String?
  public var displayGroup: String?
  public var enabled: Bool
  public var profile: FirewallProfiles
  public var direction: Direction
  public var action: Action
  /// `TCP`, `UDP` or `Any`.
  public var `protocol`: String
  /// `3389`, `Any`, `RPC`... as the port filter shows it.
  public var localPort: String
  /// The program the rule is for (`%SystemRoot%\system32\RdpSa.exe`), if any.
  public var program: String?
  /// The service the rule is for (`termservice`), if any.
  public var service: String?
  public var policyStore: PolicyStore?
  /// The address filter's RemoteAddress (`LocalSubnet`, `10.0.0.0/8, 192.0.2.7`); absent: `Any`.
  public var remoteAddress: String?

  public enum Direction: String, Sendable, Codable { case inbound = "Inbound", outbound = "Outbound" }
  public enum Action: String, Sendable, Codable { case allow = "Allow", block = "Block" }
  /// Where a rule comes from: the local persistent store or a Group Policy object.
  public enum PolicyStore: String, Sendable, Codable { case local = "Local", gpo = "GPO" }

  public init(
    name: String, displayName: String, group: String? = nil, displayGroup: String? = nil, enabled: Bool,
    profile: FirewallProfiles = .any, direction: Direction = .inbound, action: Action = .allow,
    protocol: String = "TCP", localPort: String, program: String? = nil, service: String? = nil,
    policyStore: PolicyStore? = nil, remoteAddress: String? = nil
  ) {
    self.name = name
    self.displayName = displayName
    self.group = group
    self.displayGroup = displayGroup
    self.enabled = enabled
    self.profile = profile
    self.direction = direction
    self.action = action
    self.protocol = `protocol`
    self.localPort = localPort
    self.program = program
    self.service = service
    self.policyStore = policyStore
    self.remoteAddress = remoteAddress
  }

  /// Whether the rule comes from Group Policy (read-only locally).
  public var isFromGroupPolicy: Bool { policyStore == .gpo }

  /// Whether the rule lets inbound traffic on `port`/`protocol` reach `program` (and `service`) on `profile`.
  /// A rule bound to another program or service does not apply, as in Windows Defender Firewall.
  public func allowsInbound(
    port: Int, protocol proto: String, on profile: FirewallProfiles, program: String? = nil, service: String? = nil
  ) -> Bool {
    action == .allow && appliesInbound(port: port, protocol: proto, on: profile, program: program, service: service)
  }

  /// Whether the rule is an enabled Block rule for inbound traffic on `port`/`protocol` to `program`/`service` on
  /// `profile` from any address (a Block rule wins over every Allow rule).
  public func blocksInbound(
    port: Int, protocol proto: String, on profile: FirewallProfiles, program: String? = nil, service: String? = nil
  ) -> Bool {
    action == .block && (remoteAddress ?? "Any") == "Any"
      && appliesInbound(port: port, protocol: proto, on: profile, program: program, service: service)
  }

  private func appliesInbound(
    port: Int, protocol proto: String, on profile: FirewallProfiles, program: String?, service: String?
  ) -> Bool {
    func matches(_ ruleValue: String?, _ value: String?) -> Bool {
      guard let ruleValue, ruleValue != "Any" else { return true }
      return value.map { ruleValue.caseInsensitiveCompare($0) == .orderedSame } ?? false
    }
    let ports = localPort.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    return enabled && direction == .inbound
      && (self.protocol.caseInsensitiveCompare(proto) == .orderedSame || self.protocol == "Any")
      && (localPort == "Any" || ports.contains(String(port)))
      && (self.profile.isAny || !self.profile.intersection(profile).isEmpty)
      && matches(self.program, program) && matches(self.service, service)
  }
}

/// Firewall profiles as the NetSecurity `Profile` flags enum: Any 0, Domain 1, Private 2, Public 4.
///
/// In host files it is written as PowerShell shows it: `"Any"` or `"Domain, Private"`.
public struct FirewallProfiles: OptionSet, Sendable, Hashable, Codable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let domain = FirewallProfiles(rawValue: 1)
  public static let `private` = FirewallProfiles(rawValue: 2)
  public static let `public` = FirewallProfiles(rawValue: 4)
  /// Any is the empty set (0), as in the NetSecurity enum; it applies to every profile.
  public static let any = FirewallProfiles([])

  public var isAny: Bool { rawValue == 0 }

  static let names: [(String, FirewallProfiles)] = [("Domain", .domain), ("Private", .private), ("Public", .public)]

  /// `Any`, `Domain`, `Domain, Private`...
  public var name: String {
    if rawValue == 0 { return "Any" }
    return Self.names.filter { contains($0.1) }.map(\.0).joined(separator: ", ")
  }

  /// Parses `Any`, `Domain, Private`, `Domain,Public`, a number.
  public init?(name: String) {
    if let number = Int(name) {
      self.init(rawValue: number)
      return
    }
    var set = FirewallProfiles()
    for part in name.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
      if part == "any" { continue }
      guard let match = Self.names.first(where: { $0.0.lowercased() == part }) else { return nil }
      set.insert(match.1)
    }
    self = set
  }

  public init(from decoder: Decoder) throws {
    let text = try String(from: decoder)
    guard let value = FirewallProfiles(name: text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad profile \(text)"))
    }
    self = value
  }

  public func encode(to encoder: Encoder) throws { try name.encode(to: encoder) }
}

/// One firewall profile's settings as `Get-NetFirewallProfile -PolicyStore ActiveStore` shows them (what is in force,
/// Group Policy included). A host file without them has Windows' defaults: every profile on, inbound blocked unless a
/// rule allows it, rules and local rules honoured.
public struct FirewallProfileSettings: Sendable, Equatable, Codable {
  /// `Domain`, `Private` or `Public`.
  public var name: String
  public var enabled: Bool
  /// `Block` (the default) or `Allow`.
  public var defaultInboundAction: FirewallRule.Action
  /// False is "Block all incoming connections, including those in the list of allowed apps" (netsh's
  /// `blockinboundalways`): no Allow rule counts.
  public var allowInboundRules: Bool
  /// False (set by Group Policy) makes the profile ignore locally defined rules: only Group Policy rules count.
  public var allowLocalFirewallRules: Bool

  public init(
    name: String, enabled: Bool = true, defaultInboundAction: FirewallRule.Action = .block,
    allowInboundRules: Bool = true, allowLocalFirewallRules: Bool = true
  ) {
    self.name = name
    self.enabled = enabled
    self.defaultInboundAction = defaultInboundAction
    self.allowInboundRules = allowInboundRules
    self.allowLocalFirewallRules = allowLocalFirewallRules
  }

  /// The `FirewallProfiles` flag of this profile.
  public var profile: FirewallProfiles { FirewallProfiles(name: name) ?? .any }

  /// Windows' defaults for the three profiles.
  public static let defaults = ["Domain", "Private", "Public"].map { FirewallProfileSettings(name: $0) }
}

/// A network connection profile (Get-NetConnectionProfile): which firewall profile an interface is in.
public struct NetworkConnectionProfile: Sendable, Equatable, Codable {
  public var interfaceAlias: String
  public var interfaceIndex: Int
  public var name: String
  public var networkCategory: NetworkCategory
  /// `Internet`, `LocalNetwork`, `NoTraffic`...
  public var ipv4Connectivity: String

  /// The NetworkCategory enum: Public 0, Private 1, DomainAuthenticated 2.
  public enum NetworkCategory: String, Sendable, Codable, CaseIterable {
    case `public` = "Public", `private` = "Private", domainAuthenticated = "DomainAuthenticated"

    public var number: Int {
      switch self {
      case .public: 0
      case .private: 1
      case .domainAuthenticated: 2
      }
    }

    /// The firewall profile that applies to a network in this category.
    public var firewallProfile: FirewallProfiles {
      switch self {
      case .public: .public
      case .private: .private
      case .domainAuthenticated: .domain
      }
    }
  }

  public init(
    interfaceAlias: String, interfaceIndex: Int, name: String, networkCategory: NetworkCategory,
    ipv4Connectivity: String = "Internet"
  ) {
    self.interfaceAlias = interfaceAlias
    self.interfaceIndex = interfaceIndex
    self.name = name
    self.networkCategory = networkCategory
    self.ipv4Connectivity = ipv4Connectivity
  }
}
