/// Firewall rules from the ActiveStore (local and Group Policy rules), by rule Name or by group id, never by the
/// localized display names; or every enabled inbound Block rule. With their port and address filters (and the program
/// and service filters of Block rules), and where each comes from (`source`: Local, GroupPolicy...).
///
///     rdpFirewall:
///       firewallRules:
///         group: '@FirewallAPI.dll,-28752'     # or names: [RemoteDesktop-UserMode-In-TCP]
///     inboundBlockRules:
///       firewallRules:
///         action: Block
struct FirewallRulesFact: FactKind {
  static let name = "firewallRules"
  static let collector = CollectorFunction(
    name: "Get-WinAuditFirewallFact", embedded: PackageResources.FirewallRules_ps1)
  static let fields = ["rules", "missing", "names", "localPorts", "profiles"]

  /// Which rules: some by Name or group id, or every enabled inbound Block rule (a Block rule wins over any Allow rule,
  /// whatever its name).
  enum Query: Hashable {
    case rules(FirewallRuleSelector)
    case inboundBlocks
  }

  var query: Query

  init(_ selector: FirewallRuleSelector) {
    self.query = .rules(selector)
  }

  init(_ query: Query) {
    self.query = query
  }

  static func parse(_ parameters: FactParameters) -> FirewallRulesFact? {
    let label = parameters.label
    let reader = parameters.reader
    let known = reader.diagnostics.count
    guard let map = parameters.mapping(allowed: ["names", "group", "action"]) else { return nil }
    if map.entries.isEmpty && reader.diagnostics.count > known { return nil }
    switch (map["names"], map["group"], map["action"]) {
    case (nil, nil, let action?):
      guard let text = reader.string(action, "\(label).action") else { return nil }
      guard text == "Block" else {
        parameters.report(
          "\(label).action must be Block (every enabled inbound Block rule); rules that allow are chosen by names or "
            + "group", at: action)
        return nil
      }
      return FirewallRulesFact(.inboundBlocks)
    case (let names?, nil, nil):
      guard let list = reader.stringList(names, "\(label).names") else { return nil }
      if list.isEmpty || list.contains(where: \.isEmpty) {
        parameters.report("\(label).names needs at least one non-empty rule Name", at: names)
        return nil
      }
      return FirewallRulesFact(.names(list))
    case (nil, let group?, nil):
      return parameters.nonEmpty(group, "\(label).group").map { FirewallRulesFact(.group($0)) }
    default:
      parameters.report(
        "\(label) needs exactly one of names (rule Names), group (a group id such as '@FirewallAPI.dll,-28752') or "
          + "action: Block; display names are localized and not supported", at: parameters.node)
      return nil
    }
  }

  var request: [(key: String, value: PowerShellValue)] {
    switch query {
    case .rules(.names(let names)): [("names", .array(names))]
    case .rules(.group(let group)): [("group", .literal(group))]
    case .inboundBlocks: [("blocking", .boolean(true))]
    }
  }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    switch field {
    case nil: FactView(value: raw["rules"] ?? .array([]))
    case "rules": FactView(value: .array((raw["rules"] ?? .null).list))
    case "missing": FactView(value: .array((raw["missing"] ?? .null).list))
    case "names": FactView(value: FactView.collect(raw, "rules", "name"))
    case "localPorts": FactView(value: FactView.collect(raw, "rules", "localPort"))
    case "profiles": FactView(value: FactView.collect(raw, "rules", "profile"))
    default: FactView(value: raw[field!] ?? .null)
    }
  }
}
