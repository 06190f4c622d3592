import PowerShellInterpreter

/// The NetSecurity cmdlets: Get-NetFirewallRule, Get-NetFirewallPortFilter, Enable-/Disable-/Set-NetFirewallRule.
enum FirewallCmdlets {
  static let ruleType = "Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule"
  static let filterType =
    "Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetProtocolPortFilter"

  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [getRule(lab), portFilter(lab), toggle(lab, enable: true), toggle(lab, enable: false), setRule(lab)]
  }

  static func cimObject(_ typeName: String, className: String) -> PSObject {
    PSObject(typeNames: [
      typeName, "Microsoft.Management.Infrastructure.CimInstance#\(className)",
      "Microsoft.Management.Infrastructure.CimInstance", "System.Object",
    ])
  }

  static func ruleObject(_ rule: FirewallRule) -> PSValue {
    let object = cimObject(ruleType, className: "MSFT_NetFirewallRule")
    object.addProperty("Name", .string(rule.name))
    object.addProperty("ID", .string(rule.name))
    object.addProperty("DisplayName", .string(rule.displayName))
    object.addProperty("Group", rule.group.map(PSValue.string) ?? .null)
    object.addProperty("DisplayGroup", rule.displayGroup.map(PSValue.string) ?? .null)
    object.addProperty("Enabled", .enumeration(HostEnums.firewallEnabled, rule.enabled ? 1 : 2))
    object.addProperty("Profile", .enumeration(HostEnums.firewallProfile, Int64(rule.profile.rawValue)))
    object.addProperty("Direction", .enumeration(HostEnums.firewallDirection, rule.direction == .inbound ? 1 : 2))
    object.addProperty("Action", .enumeration(HostEnums.firewallAction, rule.action == .allow ? 2 : 4))
    object.addProperty("Description", .string(""))
    object.addProperty("EdgeTraversalPolicy", .string("Block"))
    object.addProperty("PrimaryStatus", .string("OK"))
    object.addProperty("Status", .string("The rule was parsed successfully from the store. (65536)"))
    object.addProperty("EnforcementStatus", .string("NotApplicable"))
    object.addProperty(
      "PolicyStoreSource", .string(rule.isFromGroupPolicy ? "corp.example.com\\RDP Baseline" : "PersistentStore"))
    object.addProperty(
      "PolicyStoreSourceType", .enumeration(HostEnums.policyStoreSourceType, rule.isFromGroupPolicy ? 2 : 1))
    object.addProperty("InstanceID", .string(rule.name))
    object.addProperty("ElementName", .string(rule.displayName))
    object.addProperty("CreationClassName", .string("MSFT|FW|FirewallRule|\(rule.name)"))
    return .object(object)
  }

  static func filterObject(_ rule: FirewallRule) -> PSValue {
    let object = cimObject(filterType, className: "MSFT_NetProtocolPortFilter")
    object.addProperty("Protocol", .string(rule.protocol))
    let ports = rule.localPort.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    object.addProperty("LocalPort", ports.count == 1 ? .string(ports[0]) : .strings(ports))
    object.addProperty("RemotePort", .string("Any"))
    object.addProperty("IcmpType", .string("Any"))
    object.addProperty("DynamicTarget", .string("Any"))
    object.addProperty("InstanceID", .string(rule.name))
    object.addProperty("CreationClassName", .string("MSFT|FW|FirewallRule|\(rule.name)"))
    return .object(object)
  }

  static func store(_ context: PSCommandContext) -> FirewallPolicyStore {
    context.parameters.string("PolicyStore")?.caseInsensitiveCompare("ActiveStore") == .orderedSame
      ? .activeStore : .persistentStore
  }

  static let filterParameters = [
    PSParameterInfo("Name", type: .stringArray, aliases: ["ID"], position: 0),
    PSParameterInfo("DisplayName", type: .stringArray), PSParameterInfo("Group", type: .stringArray),
    PSParameterInfo("DisplayGroup", type: .stringArray), PSParameterInfo("PolicyStore", type: .string),
    PSParameterInfo("All", type: .switchParameter),
  ]

  /// Whether any filter parameter was given; without one, the Enable/Disable cmdlets act on EVERY rule.
  static func hasFilter(_ context: PSCommandContext) -> Bool {
    ["Name", "DisplayName", "Group", "DisplayGroup"].contains { context.parameters.has($0) }
  }

  /// Rules matching the filter parameters (or piped rule objects); unmatched literal values are reported as
  /// ObjectNotFound, as the CDXML cmdlets do.
  static func selected(_ context: PSCommandContext, _ state: HostState) throws -> [FirewallRule] {
    let rules = state.firewallRules(in: store(context))
    if let objects = context.parameters.list("InputObject") {
      let names = objects.compactMap { $0.asObject?["InstanceID"].map(PSConvert.toString) }
      return state.firewallRules.filter { rule in
        names.contains { $0.caseInsensitiveCompare(rule.name) == .orderedSame }
      }
    }
    let filters: [(parameter: String, property: String, value: (FirewallRule) -> String?)] = [
      ("Name", "InstanceID", { $0.name }), ("DisplayName", "DisplayName", { $0.displayName }),
      ("Group", "RuleGroup", { $0.group }), ("DisplayGroup", "DisplayGroup", { $0.displayGroup }),
    ]
    var result = rules
    for filter in filters {
      guard let patterns = context.parameters.strings(filter.parameter) else { continue }
      var matched: [FirewallRule] = []
      for pattern in patterns {
        let hits = result.filter { rule in filter.value(rule).map { PSWildcard.matches($0, pattern: pattern) } ?? false
        }
        if hits.isEmpty && !PSWildcard.hasWildcards(pattern) {
          try context.writeError(
            HostErrors.cimNotFound(className: "MSFT_NetFirewallRule", property: filter.property, value: pattern))
        }
        matched += hits.filter { hit in !matched.contains { $0.name == hit.name } }
      }
      result = matched
    }
    return result
  }

  static func getRule(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-NetFirewallRule", type: "Get-NetFirewallRule",
      filterParameters + [
        PSParameterInfo("Enabled", type: .string), PSParameterInfo("Direction", type: .string),
        PSParameterInfo("Action", type: .string),
      ]
    ) { context in
      lab.simulateSlowness("Get-NetFirewallRule")
      try FirewallProfileCmdlets.requireFirewallService(context, lab)
      var rules = try selected(context, lab.state)
      if let enabled = context.parameters.string("Enabled") {
        rules = rules.filter { $0.enabled == (enabled.lowercased() == "true" || enabled == "1") }
      }
      if let direction = context.parameters.string("Direction") {
        rules = rules.filter { $0.direction.rawValue.caseInsensitiveCompare(direction) == .orderedSame }
      }
      if let action = context.parameters.string("Action") {
        rules = rules.filter { $0.action.rawValue.caseInsensitiveCompare(action) == .orderedSame }
      }
      for rule in rules { try context.writeObject(ruleObject(rule)) }
    }
  }

  static func portFilter(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-NetFirewallPortFilter", type: "Get-NetFirewallPortFilter",
      [
        PSParameterInfo("AssociatedNetFirewallRule", type: .typed(ruleType), fromPipeline: true),
        PSParameterInfo("PolicyStore", type: .string), PSParameterInfo("All", type: .switchParameter),
        PSParameterInfo("Protocol", type: .stringArray),
      ]
    ) { context in
      lab.simulateSlowness("Get-NetFirewallPortFilter")
      try FirewallProfileCmdlets.requireFirewallService(context, lab)
      let state = lab.state
      if let rule = context.parameters["AssociatedNetFirewallRule"]?.asObject {
        let name = rule["InstanceID"].map(PSConvert.toString) ?? ""
        if let found = state.firewallRules.first(where: { $0.name == name }) {
          try context.writeObject(filterObject(found))
        }
        return
      }
      if context.expectingInput { return }
      var rules = state.firewallRules(in: store(context))
      if let protocols = context.parameters.strings("Protocol") {
        rules = rules.filter { rule in protocols.contains { $0.caseInsensitiveCompare(rule.protocol) == .orderedSame } }
      }
      if state.portFiltersOutOfOrder == true { rules.reverse() }
      for rule in rules { try context.writeObject(filterObject(rule)) }
    }
  }

  /// Applies `change` to each rule, refusing Group Policy rules as Windows does.
  static func change(
    _ rules: [FirewallRule], _ context: PSCommandContext, _ lab: LabContext, _ change: (inout FirewallRule) -> Void
  ) throws {
    for rule in rules {
      if rule.isFromGroupPolicy {
        try context.writeError(HostErrors.accessDenied(rule.name))
        continue
      }
      guard context.shouldProcess(target: rule.name, action: context.commandName) else { continue }
      lab.box.mutate { state in
        if let index = state.firewallRules.firstIndex(where: { $0.name == rule.name }) {
          change(&state.firewallRules[index])
        }
      }
      if context.parameters.isSet("PassThru"),
        let updated = lab.state.firewallRules.first(where: { $0.name == rule.name })
      {
        try context.writeObject(ruleObject(updated))
      }
    }
  }

  static func toggle(_ lab: LabContext, enable: Bool) -> PSCommandDefinition {
    let name = enable ? "Enable-NetFirewallRule" : "Disable-NetFirewallRule"
    return .host(
      name, type: name,
      filterParameters + [
        PSParameterInfo("InputObject", type: .typedArray(ruleType), fromPipeline: true), CommonParameters.passThru,
      ], shouldProcess: true
    ) { context in
      if context.expectingInput && context.parameters["InputObject"] == nil { return }
      // Like the real cmdlet: with no -Name/-Group/... and no input, every rule in the store is changed.
      let rules = try selected(context, lab.state)
      try change(rules, context, lab) { $0.enabled = enable }
    }
  }

  static func setRule(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Set-NetFirewallRule", type: "Set-NetFirewallRule",
      filterParameters + [
        PSParameterInfo("InputObject", type: .typedArray(ruleType), fromPipeline: true), CommonParameters.passThru,
        PSParameterInfo("Enabled", type: .string, validateSet: ["True", "False"]),
        PSParameterInfo("Profile", type: .stringArray), PSParameterInfo("LocalPort", type: .stringArray),
        PSParameterInfo("Protocol", type: .string), PSParameterInfo("NewDisplayName", type: .string),
        PSParameterInfo("Action", type: .string, validateSet: ["Allow", "Block", "NotConfigured"]),
      ], shouldProcess: true
    ) { context in
      if context.expectingInput && context.parameters["InputObject"] == nil { return }
      // A flags enum on Windows: `-Profile Domain, Public` (an array) and `-Profile 'Domain, Public'` both bind.
      let profile = try context.parameters.strings("Profile").map { $0.joined(separator: ",") }.map { text in
        guard let parsed = FirewallProfiles(name: text) else {
          throw HostErrors.invalidArgument(
            "Cannot convert value \"\(text)\" to type \"Profile\".", target: .string(text))
        }
        return parsed
      }
      let rules = try selected(context, lab.state)
      let enabled = context.parameters.string("Enabled").map { $0.lowercased() == "true" }
      let ports = context.parameters.strings("LocalPort")?.joined(separator: ",")
      let proto = context.parameters.string("Protocol")
      let display = context.parameters.string("NewDisplayName")
      let action = context.parameters.string("Action").flatMap { FirewallRule.Action(rawValue: $0.capitalized) }
      try change(rules, context, lab) { rule in
        if let enabled { rule.enabled = enabled }
        if let profile { rule.profile = profile }
        if let ports { rule.localPort = ports }
        if let proto { rule.protocol = proto.uppercased() == "ANY" ? "Any" : proto.uppercased() }
        if let display { rule.displayName = display }
        if let action { rule.action = action }
      }
    }
  }
}
