/// The firewall checks: whether Allow rules open the port on every active profile, and whether a Block rule closes
/// it. Both follow Windows Defender Firewall's order: a profile whose firewall is off lets everything in; an enabled
/// Block rule wins over every Allow rule; a profile that ignores local rules (AllowLocalFirewallRules False, set by
/// Group Policy) counts only Group Policy rules; a default inbound action of Allow needs no rule. "Block all incoming
/// connections" (AllowInboundRules False) is a control of its own, on the firewallProfiles fact.
extension ExpectationCheck {
  /// What one requirement resolves to on this host: the port, the active profiles and their settings.
  private struct FirewallScope {
    var port: Int?
    /// Active profiles (Domain, Private, Public); empty when the requirement names no networkProfiles fact.
    var profiles: [String]
    /// Settings by profile name; empty when the requirement names no firewallProfiles fact.
    var settings: [String: FirewallProfileState]

    func state(_ profile: String) -> FirewallProfileState? { settings[profile.lowercased()] }

    /// Whether a rule is in force on `profile`: a local rule is not where the profile ignores local rules.
    func counts(_ rule: FactValue, on profile: String?) -> Bool {
      guard let profile, let state = state(profile), !state.allowLocalFirewallRules else { return true }
      return rule["source"]?.string == "GroupPolicy"
    }
  }

  private func scope(_ requirement: FirewallRequirement) throws(Evaluation.FactUnavailable) -> FirewallScope {
    var port = requirement.port
    if let path = requirement.portFact {
      let portView = try evaluation.view(path)
      guard let number = portView.value.number, number.isFinite, number >= 1, number <= 65535 else {
        throw Evaluation.FactUnavailable(message: "\(path) is \(portView.value.display), not a port number")
      }
      port = Int(number)
    }
    var profiles: [String] = []
    if let id = requirement.profilesFact {
      let categories = try evaluation.view(FactPath(fact: id, field: "categories")).value.list.compactMap(\.string)
      profiles = categories.map { $0.lowercased() == "domainauthenticated" ? "Domain" : $0 }
      profiles = profiles.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }
    var settings: [String: FirewallProfileState] = [:]
    if let id = requirement.settingsFact {
      for record in try evaluation.view(FactPath(fact: id, field: "profiles")).value.list {
        let state = FirewallProfileState(record)
        settings[state.name.lowercased()] = state
      }
      if let missing = profiles.first(where: { settings[$0.lowercased()] == nil }) {
        throw Evaluation.FactUnavailable(message: "\(id) has no settings for the active profile \(missing)")
      }
    }
    return FirewallScope(port: port, profiles: profiles, settings: settings)
  }

  /// Whether an enabled inbound rule with this action covers the protocol, port, profile, program and service.
  private static func covers(
    _ rule: FactValue, action: String, _ requirement: FirewallRequirement, port: Int?, profile: String?
  ) -> Bool {
    guard rule["enabled"]?.bool == true else { return false }
    if let direction = rule["direction"]?.string, direction.lowercased() != "inbound" { return false }
    guard (rule["action"]?.string ?? "Allow").lowercased() == action.lowercased() else { return false }
    let proto = rule["protocol"]?.string ?? "Any"
    guard proto.lowercased() == "any" || proto.lowercased() == requirement.protocol.lowercased() else { return false }
    if let port {
      let ports = (rule["localPort"] ?? .null).list.compactMap(\.string)
        .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
      let covered = ports.contains {
        if $0.lowercased() == "any" || $0 == String(port) { return true }
        let bounds = $0.split(separator: "-").compactMap { Int($0) }
        return bounds.count == 2 && bounds[0] <= port && port <= bounds[1]
      }
      guard covered else { return false }
    }
    // A rule for another program or service does not apply. Programs are compared by file name: the rule may write
    // %SystemRoot%\system32\svchost.exe or C:\Windows\System32\svchost.exe.
    func leaf(_ path: String) -> String {
      String(path.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last ?? Substring(path)).lowercased()
    }
    if let wanted = requirement.program, let program = rule["program"]?.string, program.lowercased() != "any",
      leaf(program) != leaf(wanted)
    {
      return false
    }
    if let wanted = requirement.service, let service = rule["service"]?.string, service.lowercased() != "any",
      service.lowercased() != wanted.lowercased()
    {
      return false
    }
    guard let profile else { return true }
    let ruleProfiles = (rule["profile"]?.string ?? "Any").split(separator: ",")
      .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    return ruleProfiles.contains("any") || ruleProfiles.contains(profile.lowercased())
  }

  /// The addresses a rule admits or blocks, when not every address.
  private static func remoteScope(_ rule: FactValue) -> String? {
    let addresses = (rule["remoteAddress"] ?? .null).list.compactMap(\.string)
    guard !addresses.isEmpty, !addresses.contains(where: { $0.lowercased() == "any" }) else { return nil }
    return addresses.joined(separator: ", ")
  }

  func firewallAllows(_ requirement: FirewallRequirement, expected: String) throws(Evaluation.FactUnavailable)
    -> Outcome
  {
    let wanted = Set(requirement.rules.map { $0.lowercased() })
    let rules = value.list.filter { wanted.isEmpty || wanted.contains(($0["name"]?.string ?? "").lowercased()) }
    let scope = try scope(requirement)
    let actual = rules.isEmpty ? "no rules" : rules.map(Self.describeRule).joined(separator: "; ")
    let portText = scope.port.map { " \($0)" } ?? ""
    let scoped = rules.compactMap { rule in Self.remoteScope(rule).map { "\(rule["name"]?.string ?? "?") from \($0)" } }
    let scopeNote = scoped.isEmpty ? nil : "only from some addresses: " + scoped.joined(separator: "; ")
    if requirement.profilesFact == nil {
      let passed = rules.contains { Self.covers($0, action: "Allow", requirement, port: scope.port, profile: nil) }
      return Outcome(
        passed: passed, expected: expected, actual: scopeNote.map { "\(actual) (\($0))" } ?? actual,
        message: passed ? nil : "no enabled inbound rule allows \(requirement.protocol)\(portText)")
    }
    if scope.profiles.isEmpty {
      return Outcome(passed: true, expected: expected, actual: actual, message: "no active network profile to check")
    }
    var open: [String] = []
    let uncovered = scope.profiles.filter { profile in
      if let state = scope.state(profile), !state.enabled || state.defaultInboundAllows {
        open.append("\(profile) (\(state.enabled ? "inbound allowed by default" : "firewall off"))")
        return false
      }
      return !rules.contains {
        scope.counts($0, on: profile)
          && Self.covers($0, action: "Allow", requirement, port: scope.port, profile: profile)
      }
    }
    let ignoring = uncovered.filter { scope.state($0)?.allowLocalFirewallRules == false }
    // A pass keeps no message, so what it rests on besides the rules goes with the actual value.
    let notes = [open.isEmpty ? nil : "open without a rule on " + open.joined(separator: ", "), scopeNote]
      .compactMap { $0 }
    return Outcome(
      passed: uncovered.isEmpty, expected: expected,
      actual: notes.isEmpty ? actual : "\(actual) (\(notes.joined(separator: "; ")))",
      message: uncovered.isEmpty
        ? nil
        : "\(requirement.protocol)\(portText) is not allowed on the active profile"
          + "\(uncovered.count == 1 ? "" : "s") \(uncovered.joined(separator: ", "))"
          + (ignoring.isEmpty
            ? "" : " (Group Policy makes \(ignoring.joined(separator: ", ")) ignore local rules: a GPO rule is needed)")
    )
  }

  func firewallNotBlocked(_ requirement: FirewallRequirement, expected: String) throws(Evaluation.FactUnavailable)
    -> Outcome
  {
    let scope = try scope(requirement)
    let profiles: [String?] = requirement.profilesFact == nil ? [nil] : scope.profiles
    var blocking: [String] = []
    var partial: [String] = []
    for rule in value.list {
      let on = profiles.filter { profile in
        if let profile, let state = scope.state(profile), !state.enabled { return false }
        return scope.counts(rule, on: profile)
          && Self.covers(rule, action: "Block", requirement, port: scope.port, profile: profile)
      }
      guard !on.isEmpty else { continue }
      let name = rule["name"]?.string ?? "?"
      let display = rule["displayName"]?.string.map { " (\($0))" } ?? ""
      let placement = on.compactMap { $0 }.isEmpty ? "" : " on " + on.compactMap { $0 }.joined(separator: ", ")
      if let addresses = Self.remoteScope(rule) {
        partial.append("\(name)\(display) blocks \(addresses)\(placement)")
      } else {
        blocking.append("\(name)\(display)\(placement)")
      }
    }
    let actual =
      blocking.isEmpty && partial.isEmpty
      ? "none" : (blocking + partial.map { "only from some addresses: \($0)" }).joined(separator: "; ")
    let portText = scope.port.map { " \($0)" } ?? ""
    return Outcome(
      passed: blocking.isEmpty, expected: expected, actual: actual,
      message: blocking.isEmpty
        ? nil
        : "\(requirement.protocol)\(portText) is blocked by \(blocking.joined(separator: "; ")); "
          + "a Block rule wins over every Allow rule")
  }

  static func describeRule(_ rule: FactValue) -> String {
    let name = rule["name"]?.string ?? "?"
    let state = rule["enabled"]?.bool == true ? "enabled" : "disabled"
    let ports = (rule["localPort"] ?? .null).list.map(\.display).joined(separator: ",")
    let proto = rule["protocol"]?.string ?? "?"
    let profile = rule["profile"]?.string ?? "?"
    let source = rule["source"]?.string == "GroupPolicy" ? " (Group Policy)" : ""
    let remote = remoteScope(rule).map { " from \($0)" } ?? ""
    return "\(name) \(state) \(proto) \(ports.isEmpty ? "-" : ports) \(profile)\(source)\(remote)"
  }
}
