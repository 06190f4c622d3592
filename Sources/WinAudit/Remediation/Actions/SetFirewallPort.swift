/// `setFirewallPort`: points a firewall rule's LocalPort at a fixed port, or at the port a registry fact holds (the
/// RDP listener's PortNumber), read on the host.
///
///     - setFirewallPort: {rule: RemoteDesktop-UserMode-In-TCP, port: {fact: portNumber}}   # or port: 3389
struct SetFirewallPortAction: FixAction {
  static let name = "setFirewallPort"

  /// Where the port comes from.
  enum Port: Sendable, Hashable {
    case fixed(Int)
    /// The effective value of a registry fact, else its default, else 3389.
    case fact(RegistryFact)
  }

  var rule: String
  var port: Port

  static func parse(_ parameters: ActionParameters) -> SetFirewallPortAction? {
    let label = parameters.label
    let reader = parameters.reader
    guard let fields = parameters.mapping(allowed: ["rule", "port"], required: ["rule", "port"]),
      let rule = fields["rule"].flatMap({ reader.string($0, "rule of \(label)") }), let portNode = fields["port"]
    else { return nil }
    if case .mapping = portNode {
      guard let map = reader.mapping(portNode, "port of \(label)", allowed: ["fact"], required: ["fact"]),
        let factNode = map["fact"],
        let fact = parameters.fact(at: factNode, "port.fact of \(label)", kind: RegistryFact.self)
      else { return nil }
      return SetFirewallPortAction(rule: rule, port: .fact(fact))
    }
    guard
      let number = reader.int(
        portNode, "port of \(label) (a number, or {fact: portNumber} for the RDP PortNumber)", range: 1...65535)
    else { return nil }
    return SetFirewallPortAction(rule: rule, port: .fixed(number))
  }

  var reads: [HostRead] {
    var reads = [HostRead.firewallRule(rule)]
    if case .fact(let fact) = port { reads.append(.registryValue(fact.local)) }
    return reads
  }

  func plan(_ context: PlanContext) -> ActionPlan {
    let read = context.reads[.firewallRule(rule)] ?? .null
    guard read["exists"]?.bool == true, let before = read.decode(as: FirewallPortState.self) else {
      return .skipped(.precondition(FirewallRuleChange.missing(rule, read)))
    }
    let number: Int64
    switch port {
    case .fixed(let fixed): number = Int64(fixed)
    case .fact(let fact):
      let local = context.reads[.registryValue(fact.local)]
      let value = local?["exists"]?.bool == true ? local?["value"] : fact.defaultValue
      number = value?.asInt ?? 3389
    }
    let after = FirewallPortState(localPort: [String(number)])
    return .steps([Draft(.change, FirewallPortChange(rule: rule, before: before, after: after))])
  }
}

/// A rule's LocalPort list (`3389`, `3389-3390`, `Any`), as a rule record has it.
struct FirewallPortState: Sendable, Hashable, Codable {
  var localPort: [String]
}

/// Setting one rule's LocalPort.
struct FirewallPortChange: Change {
  static let kind = "firewallPort"
  var checkedBeforeUndo: Bool { true }

  var rule: String
  var before: FirewallPortState
  var after: FirewallPortState

  var targetID: String { rule.lowercased() }
  var target: String { "firewall rule \(rule) LocalPort" }
  var readBack: HostRead { .firewallRule(rule) }

  func script(_ direction: StepDirection, step: String) -> String {
    PowerShellCode.command("Set-NetFirewallRule", ["Name": .literal(rule), "LocalPort": .array(after.localPort)])
  }

  static func describe(_ state: FirewallPortState) -> String {
    state.localPort.isEmpty ? "?" : state.localPort.joined(separator: ",")
  }
}
