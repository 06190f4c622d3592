/// The firewall profiles in force (`Get-NetFirewallProfile -PolicyStore ActiveStore`), each marked active when a
/// connected network is in it. A rule alone does not open a port: the profile's firewall may be off (everything is
/// open), block every inbound connection whatever the rules say, or ignore local rules.
///
///     firewallProfiles:
///       firewallProfiles: {}
struct FirewallProfilesFact: FactKind {
  static let name = "firewallProfiles"
  static let collector = CollectorFunction(
    name: "Get-WinAuditFirewallProfiles", embedded: PackageResources.FirewallProfiles_ps1)
  static let fields = ["profiles", "active", "activeOff", "activeBlockingAllInbound", "activeIgnoringLocalRules"]

  static func parse(_ parameters: FactParameters) -> FirewallProfilesFact? {
    parameters.parameterless() ? FirewallProfilesFact() : nil
  }

  var request: [(key: String, value: PowerShellValue)] { [] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    let profiles = (raw["profiles"] ?? .null).list
    let active = profiles.filter { $0["active"]?.bool == true }
    let on = active.filter { FirewallProfileState($0).enabled }
    func names(_ records: [FactValue]) -> FactValue { .array(records.map { $0["name"] ?? .null }) }
    switch field {
    case nil, "profiles": return FactView(value: .array(profiles))
    case "active": return FactView(value: .array(active))
    case "activeOff": return FactView(value: names(active.filter { !FirewallProfileState($0).enabled }))
    case "activeBlockingAllInbound":
      return FactView(value: names(on.filter { !FirewallProfileState($0).allowInboundRules }))
    case "activeIgnoringLocalRules":
      return FactView(value: names(on.filter { !FirewallProfileState($0).allowLocalFirewallRules }))
    default: return FactView(value: raw[field!] ?? .null)
    }
  }
}

/// One profile's settings with Windows' defaults for NotConfigured (on, inbound blocked unless a rule allows it, rules
/// and local rules honoured).
struct FirewallProfileState {
  var name: String
  var enabled: Bool
  var defaultInboundAllows: Bool
  var allowInboundRules: Bool
  var allowLocalFirewallRules: Bool

  init(_ record: FactValue) {
    func flag(_ key: String) -> Bool { record[key]?.string?.lowercased() != "false" }
    name = record["name"]?.string ?? "?"
    enabled = flag("enabled")
    defaultInboundAllows = record["defaultInboundAction"]?.string?.lowercased() == "allow"
    allowInboundRules = flag("allowInboundRules")
    allowLocalFirewallRules = flag("allowLocalFirewallRules")
  }
}
