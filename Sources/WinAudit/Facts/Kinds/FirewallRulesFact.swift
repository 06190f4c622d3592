/// Firewall rules from the ActiveStore (local and Group Policy rules), by rule Name or by group id, never by the
/// localized display names; with their port filters.
///
///     rdpFirewall:
///       firewallRules:
///         group: '@FirewallAPI.dll,-28752'     # or names: [RemoteDesktop-UserMode-In-TCP]
struct FirewallRulesFact: FactKind {
  static let name = "firewallRules"
  static let collector = CollectorFunction(
    name: "Get-WinAuditFirewallFact", embedded: PackageResources.FirewallRules_ps1)
  static let fields = ["rules", "missing", "names", "localPorts", "profiles"]

  var selector: FirewallRuleSelector

  init(_ selector: FirewallRuleSelector) {
    self.selector = selector
  }

  static func parse(_ parameters: FactParameters) -> FirewallRulesFact? {
    let label = parameters.label
    let reader = parameters.reader
    let known = reader.diagnostics.count
    guard let map = parameters.mapping(allowed: ["names", "group"]) else { return nil }
    if map.entries.isEmpty && reader.diagnostics.count > known { return nil }
    switch (map["names"], map["group"]) {
    case (let names?, nil):
      guard let list = reader.stringList(names, "\(label).names") else { return nil }
      if list.isEmpty || list.contains(where: \.isEmpty) {
        parameters.report("\(label).names needs at least one non-empty rule Name", at: names)
        return nil
      }
      return FirewallRulesFact(.names(list))
    case (nil, let group?):
      return parameters.nonEmpty(group, "\(label).group").map { FirewallRulesFact(.group($0)) }
    default:
      parameters.report(
        "\(label) needs exactly one of names (rule Names) or group (a group id such as '@FirewallAPI.dll,-28752'); "
          + "display names are localized and not supported", at: parameters.node)
      return nil
    }
  }

  var request: [(key: String, value: PowerShellValue)] {
    switch selector {
    case .names(let names): [("names", .array(names))]
    case .group(let group): [("group", .literal(group))]
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
