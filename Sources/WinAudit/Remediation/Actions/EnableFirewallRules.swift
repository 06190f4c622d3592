/// `enableFirewallRules`: enables firewall rules by Name or by group id (never a bare Enable-NetFirewallRule, which
/// enables every rule) for the profiles the host needs: a fixed list, or those of its connected networks.
///
///     - enableFirewallRules:
///         names: [RemoteDesktop-UserMode-In-TCP, RemoteDesktop-UserMode-In-UDP]   # or group: '@FirewallAPI.dll,-28752'
///         profiles: connected                                                     # or [Domain, Private]
struct EnableFirewallRulesAction: FixAction {
  static let name = "enableFirewallRules"
  /// Windows' firewall profiles, in the order `Set-NetFirewallRule -Profile` lists them.
  static let profileNames = ["Domain", "Private", "Public"]

  /// The profiles a rule must cover.
  enum Profiles: Sendable, Hashable {
    /// Those of the host's connected networks (Get-NetConnectionProfile).
    case connected
    case fixed([String])
  }

  var selector: FirewallRuleSelector
  var profiles: Profiles

  static func parse(_ parameters: ActionParameters) -> EnableFirewallRulesAction? {
    let label = parameters.label
    let reader = parameters.reader
    guard let fields = parameters.mapping(allowed: ["names", "group", "profiles"], required: ["profiles"]) else {
      return nil
    }
    let selector: FirewallRuleSelector
    switch (fields["names"], fields["group"]) {
    case (let namesNode?, nil):
      guard let names = reader.stringList(namesNode, "names of \(label)") else { return nil }
      guard !names.isEmpty else {
        parameters.report("names of \(label) is empty: enabling without a name would enable every rule", at: namesNode)
        return nil
      }
      selector = .names(names)
    case (nil, let groupNode?):
      guard let group = reader.string(groupNode, "group of \(label) (a group id such as '@FirewallAPI.dll,-28752')")
      else { return nil }
      if !group.hasPrefix("@") {
        parameters.report(
          "group of \(label) must be the group id ('@FirewallAPI.dll,-28752'), not the localized display group",
          at: groupNode)
      }
      selector = .group(group)
    default:
      parameters.report(
        "\(label) needs exactly one of names or group: Enable-NetFirewallRule without them enables every rule",
        at: parameters.node)
      return nil
    }
    guard let profilesNode = fields["profiles"] else { return nil }
    if case .scalar(let scalar) = profilesNode, scalar.string == "connected" {
      return EnableFirewallRulesAction(selector: selector, profiles: .connected)
    }
    guard let profiles = reader.stringList(profilesNode, "profiles of \(label) (connected, or a list)") else {
      return nil
    }
    for profile in profiles where !profileNames.contains(profile) && profile != "Any" {
      parameters.report(
        "unknown firewall profile '\(profile)' in \(label): use Domain, Private, Public, Any or connected",
        at: profilesNode)
    }
    return EnableFirewallRulesAction(selector: selector, profiles: .fixed(profiles))
  }

  private var ruleReads: [HostRead] {
    switch selector {
    case .names(let names): names.map(HostRead.firewallRule)
    case .group(let group): [.firewallGroup(group)]
    }
  }

  var reads: [HostRead] { ruleReads + (profiles == .connected ? [.connectedProfiles] : []) }

  func plan(_ context: PlanContext) -> ActionPlan {
    let needed: [String]
    switch profiles {
    case .fixed(let list): needed = list
    case .connected:
      var categories: [String] = []
      for profile in (context.reads[.connectedProfiles]?["profiles"] ?? .null).list {
        guard var category = profile["networkCategory"]?.asText else { continue }
        if category == "DomainAuthenticated" { category = "Domain" }
        if !categories.contains(category) { categories.append(category) }
      }
      needed = categories
    }
    var rules: [FactValue] = []
    for read in ruleReads {
      let result = context.reads[read] ?? .null
      rules += result["rules"].map(\.list) ?? (result.isNull ? [] : [result])
    }
    if rules.isEmpty { return .skipped(.precondition("no firewall rule matches the fix's names or group")) }
    var drafts: [Draft] = []
    for rule in rules {
      guard let name = rule["name"]?.asText else { continue }
      guard let before = rule.decode(as: FirewallRuleState.self), before.exists else {
        return .skipped(.precondition(FirewallRuleChange.missing(name, rule)))
      }
      let after = FirewallRuleState(
        exists: true, enabled: true, profile: Self.covering(before.profile ?? "", needed: needed))
      drafts.append(Draft(.change, FirewallRuleChange(rule: name, before: before, after: after)))
    }
    return .steps(drafts)
  }

  /// The profile list a rule needs: its own when it already covers `needed`, else the union in Windows' order.
  static func covering(_ current: String, needed: [String]) -> String {
    let have = Set(current.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    if have.contains("any") || needed.isEmpty { return current.isEmpty ? "Any" : current }
    let want = Set(needed.map { $0.lowercased() })
    if want.isSubset(of: have) { return current }
    let union = have.union(want)
    if union.contains("any") { return "Any" }
    return profileNames.filter { union.contains($0.lowercased()) }.joined(separator: ", ")
  }
}

/// A firewall rule's state as a fix sees it (a record of `Read-WinAuditFirewallRule` or `Read-WinAuditFirewallGroup`):
/// whether it exists, is enabled, and for which profiles (`Domain, Private`, `Any`).
struct FirewallRuleState: Sendable, Hashable, Codable {
  var exists: Bool
  var enabled: Bool?
  var profile: String?
}

/// Enabling (or disabling) one rule for a list of profiles.
struct FirewallRuleChange: Change {
  static let kind = "firewallRule"
  var checkedBeforeUndo: Bool { true }

  var rule: String
  var before: FirewallRuleState
  var after: FirewallRuleState

  var targetID: String { rule.lowercased() }
  var target: String { "firewall rule \(rule)" }
  var readBack: HostRead { .firewallRule(rule) }

  func script(_ direction: StepDirection, step: String) -> String {
    let name: KeyValuePairs<String, PowerShellValue> = ["Name": .literal(rule)]
    var lines = [
      PowerShellCode.command(after.enabled == true ? "Enable-NetFirewallRule" : "Disable-NetFirewallRule", name)
    ]
    if let profile = after.profile, !profile.isEmpty {
      let profiles = profile.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      lines.append(
        PowerShellCode.command("Set-NetFirewallRule", ["Name": .literal(rule), "Profile": .array(profiles)]))
    }
    return lines.joined(separator: "\n")
  }

  /// Why a rule a fix names cannot be changed: it is not there, or only Group Policy brings it.
  static func missing(_ rule: String, _ read: FactValue) -> String {
    read["fromGroupPolicy"]?.bool == true
      ? "firewall rule \(rule) comes from Group Policy: a local change is not possible, change it in the GPO"
      : "firewall rule \(rule) does not exist on the host"
  }

  static func describe(_ state: FirewallRuleState) -> String {
    guard state.exists else { return "missing" }
    let enabled = state.enabled == true ? "enabled" : "disabled"
    guard let profile = state.profile, !profile.isEmpty else { return enabled }
    return "\(enabled) (\(profile))"
  }
}
