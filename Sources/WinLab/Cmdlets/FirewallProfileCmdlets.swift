import PowerShellInterpreter

/// Get-NetFirewallProfile and the filters the audit joins to rules by InstanceID: Get-NetFirewallAddressFilter,
/// Get-NetFirewallApplicationFilter, Get-NetFirewallServiceFilter.
enum FirewallProfileCmdlets {
  static let profileType =
    "Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallProfile"
  static let gpoBoolean = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.GpoBoolean",
    members: [("False", 0), ("True", 1), ("NotConfigured", 2)])

  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [
      getProfile(lab),
      filter(lab, "Get-NetFirewallAddressFilter", className: "MSFT_NetAddressFilter") { rule, object in
        let remote = (rule.remoteAddress ?? "Any").split(separator: ",").map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        object.addProperty("RemoteAddress", remote.count == 1 ? .string(remote[0]) : .strings(remote))
        object.addProperty("LocalAddress", .string("Any"))
      },
      filter(lab, "Get-NetFirewallApplicationFilter", className: "MSFT_NetApplicationFilter") { rule, object in
        object.addProperty("Program", .string(rule.program ?? "Any"))
        object.addProperty("Package", .null)
      },
      filter(lab, "Get-NetFirewallServiceFilter", className: "MSFT_NetServiceFilter") { rule, object in
        object.addProperty("Service", .string(rule.service ?? "Any"))
      },
    ]
  }

  /// The lab cannot say what the firewall cmdlets answer while MpsSvc or BFE is stopped, so an ActiveStore read then
  /// fails loudly rather than returning the configured rules.
  static func requireFirewallService(_ context: PSCommandContext, _ lab: LabContext) throws {
    guard FirewallCmdlets.store(context) == .activeStore, !lab.state.firewallServiceRunning else { return }
    throw HostErrors.notModelled(
      "reading the firewall's ActiveStore while the Windows Defender Firewall service (MpsSvc) or the Base "
        + "Filtering Engine (BFE) is stopped")
  }

  static func getProfile(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-NetFirewallProfile", type: "Get-NetFirewallProfile",
      [
        PSParameterInfo("Name", type: .stringArray, aliases: ["Profile"], position: 0),
        PSParameterInfo("PolicyStore", type: .string), PSParameterInfo("All", type: .switchParameter),
      ]
    ) { context in
      // The lab keeps one set of settings, the ones in force: it cannot say what the local PersistentStore holds.
      guard FirewallCmdlets.store(context) == .activeStore else {
        throw HostErrors.notModelled("Get-NetFirewallProfile without -PolicyStore ActiveStore")
      }
      try requireFirewallService(context, lab)
      var settings = lab.state.firewallProfileSettings
      if let names = context.parameters.strings("Name") {
        settings = settings.filter { profile in names.contains { PSWildcard.matches(profile.name, pattern: $0) } }
      }
      for profile in settings {
        let object = FirewallCmdlets.cimObject(profileType, className: "MSFT_NetFirewallProfile")
        func flag(_ value: Bool) -> PSValue { .enumeration(gpoBoolean, value ? 1 : 0) }
        object.addProperty("Name", .string(profile.name))
        object.addProperty("Profile", .string(profile.name))
        object.addProperty("Enabled", flag(profile.enabled))
        object.addProperty(
          "DefaultInboundAction",
          .enumeration(HostEnums.firewallAction, profile.defaultInboundAction == .allow ? 2 : 4))
        object.addProperty("DefaultOutboundAction", .enumeration(HostEnums.firewallAction, 2))
        object.addProperty("AllowInboundRules", flag(profile.allowInboundRules))
        object.addProperty("AllowLocalFirewallRules", flag(profile.allowLocalFirewallRules))
        object.addProperty("AllowLocalIPsecRules", flag(true))
        object.addProperty("NotifyOnListen", flag(false))
        object.addProperty("LogFileName", .string("%systemroot%\\system32\\LogFiles\\Firewall\\pfirewall.log"))
        object.addProperty("InstanceID", .string(profile.name))
        try context.writeObject(.object(object))
      }
    }
  }

  /// A filter cmdlet with `-All` and `-PolicyStore` only (what the audit calls): one filter per rule, its InstanceID
  /// the rule's Name, in the store's order (reversed where the host lists filters out of order).
  static func filter(
    _ lab: LabContext, _ name: String, className: String, _ fill: @escaping @Sendable (FirewallRule, PSObject) -> Void
  ) -> PSCommandDefinition {
    .host(
      name, type: name,
      [PSParameterInfo("PolicyStore", type: .string), PSParameterInfo("All", type: .switchParameter)]
    ) { context in
      guard context.parameters.isSet("All") else {
        throw HostErrors.notModelled("\(name) without -All")
      }
      try requireFirewallService(context, lab)
      var rules = lab.state.firewallRules(in: FirewallCmdlets.store(context))
      if lab.state.portFiltersOutOfOrder == true { rules.reverse() }
      for rule in rules {
        let object = FirewallCmdlets.cimObject(
          "Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/\(className)", className: className)
        fill(rule, object)
        object.addProperty("InstanceID", .string(rule.name))
        object.addProperty("CreationClassName", .string("MSFT|FW|FirewallRule|\(rule.name)"))
        try context.writeObject(.object(object))
      }
    }
  }
}
