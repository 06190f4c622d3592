import Yams

/// Reads one entry of a playbook's `facts:` section: `<id>: {<kind>: <parameters>}`, with a scalar shorthand for
/// kinds that take one parameter (`termService: {service: TermService}`).
struct FactDeclarationParser {
  let reader: YAMLReader
  let id: String

  /// The parsed query, plus the fact it reads its port from (a tcpListener on `{fact: portNumber}`).
  struct Parsed {
    var query: FactQuery
    var dependency: (id: String, node: Node)?
  }

  private var what: String { "fact '\(id)'" }

  func parse(_ node: Node) -> Parsed? {
    let kinds = FactKind.allCases.map(\.rawValue)
    let known = reader.diagnostics.count
    guard let map = reader.mapping(node, what, allowed: kinds) else { return nil }
    guard map.entries.count == 1, let entry = map.entries.first else {
      // An unknown kind was already reported; "found 0" would only repeat it.
      if map.entries.isEmpty && reader.diagnostics.count > known { return nil }
      reader.report(
        "\(what) must have exactly one kind (\(kinds.joined(separator: ", "))), found \(map.entries.count)", at: node)
      return nil
    }
    let body = entry.value
    let label = "\(what) \(entry.key)"
    switch FactKind(rawValue: entry.key) {
    case .registry: return parseRegistry(body, label).map { Parsed(query: .registry($0)) }
    case .firewallRules: return parseFirewall(body, label).map { Parsed(query: .firewallRules($0)) }
    case .networkProfiles: return parameterless(body, label) ? Parsed(query: .networkProfiles) : nil
    case .os: return parameterless(body, label) ? Parsed(query: .operatingSystem) : nil
    case .machineGuid: return parameterless(body, label) ? Parsed(query: .machineGuid) : nil
    case .tcpListener: return parseListener(body, label)
    case .service: return single(body, label, key: "name").map { Parsed(query: .service(name: $0)) }
    case .certificates: return single(body, label, key: "store").map { Parsed(query: .certificates(store: $0)) }
    case .terminalSettings:
      if isEmpty(body) { return Parsed(query: .terminalSettings(terminal: "RDP-Tcp")) }
      return single(body, label, key: "terminal").map { Parsed(query: .terminalSettings(terminal: $0)) }
    case .path: return single(body, label, key: "path").map { Parsed(query: .path($0)) }
    case nil: return nil
    }
  }

  private func isEmpty(_ node: Node) -> Bool {
    if case .scalar(let scalar) = node, scalar.tagName == .null { return true }
    if case .mapping(let map) = node, map.isEmpty { return true }
    return false
  }

  private func parameterless(_ node: Node, _ label: String) -> Bool {
    if isEmpty(node) { return true }
    if case .scalar(let scalar) = node, scalar.tagName == .bool, node.bool == true { return true }
    reader.report("\(label) takes no parameters: write '{}'", at: node)
    return false
  }

  /// `kind: value` or `kind: {key: value}`.
  private func single(_ node: Node, _ label: String, key: String) -> String? {
    if case .mapping = node {
      guard let map = reader.mapping(node, label, allowed: [key], required: [key]), let value = map[key] else {
        return nil
      }
      return nonEmpty(value, "\(label).\(key)")
    }
    return nonEmpty(node, label)
  }

  private func nonEmpty(_ node: Node, _ label: String) -> String? {
    guard let text = reader.string(node, label) else { return nil }
    if text.isEmpty {
      reader.report("\(label) cannot be empty", at: node)
      return nil
    }
    return text
  }

  private func parseRegistry(_ node: Node, _ label: String) -> RegistryQuery? {
    guard
      let map = reader.mapping(
        node, label, allowed: ["path", "name", "policy", "policyPath", "default"], required: ["path", "name"]),
      let pathNode = map["path"], let path = nonEmpty(pathNode, "\(label).path"),
      let nameNode = map["name"], let name = nonEmpty(nameNode, "\(label).name")
    else { return nil }
    if !path.contains(":\\") {
      reader.report(
        "\(label).path must be a PowerShell registry path such as 'HKLM:\\SYSTEM\\...', found '\(path)'", at: pathNode)
      return nil
    }
    var query = RegistryQuery(path: path, name: name)
    if let node = map["policy"] { query.policyName = nonEmpty(node, "\(label).policy") }
    if let node = map["policyPath"] {
      query.policyPath = nonEmpty(node, "\(label).policyPath")
      if query.policyName == nil {
        reader.report("\(label).policyPath needs policy (the value's name under the policy key)", at: node)
      }
    }
    if let node = map["default"] {
      switch node {
      case .scalar(let scalar):
        switch scalar.tagName {
        case .int: query.defaultValue = node.int.map { .int(Int64($0)) }
        case .float: query.defaultValue = node.float.map(FactValue.double)
        case .bool: query.defaultValue = node.bool.map(FactValue.bool)
        case .null: reader.report("\(label).default is empty: remove it or give a value", at: node)
        default: query.defaultValue = .string(scalar.string)
        }
      default:
        reader.report("\(label).default must be a single value, found \(reader.describe(node))", at: node)
      }
    }
    return query
  }

  private func parseFirewall(_ node: Node, _ label: String) -> FirewallSelector? {
    let known = reader.diagnostics.count
    guard let map = reader.mapping(node, label, allowed: ["names", "group"]) else { return nil }
    if map.entries.isEmpty && reader.diagnostics.count > known { return nil }
    switch (map["names"], map["group"]) {
    case (let names?, nil):
      guard let list = reader.stringList(names, "\(label).names") else { return nil }
      if list.isEmpty || list.contains(where: \.isEmpty) {
        reader.report("\(label).names needs at least one non-empty rule Name", at: names)
        return nil
      }
      return .names(list)
    case (nil, let group?):
      return nonEmpty(group, "\(label).group").map(FirewallSelector.group)
    default:
      reader.report(
        "\(label) needs exactly one of names (rule Names) or group (a group id such as '@FirewallAPI.dll,-28752'); "
          + "display names are localized and not supported", at: node)
      return nil
    }
  }

  private func parseListener(_ node: Node, _ label: String) -> Parsed? {
    guard let map = reader.mapping(node, label, allowed: ["port"], required: ["port"]), let portNode = map["port"]
    else { return nil }
    if case .mapping = portNode {
      guard let portMap = reader.mapping(portNode, "\(label).port", allowed: ["fact", "default"], required: ["fact"]),
        let factNode = portMap["fact"], let factID = nonEmpty(factNode, "\(label).port.fact")
      else { return nil }
      let defaultPort = portMap["default"].flatMap { reader.int($0, "\(label).port.default", range: 1...65535) } ?? 3389
      return Parsed(query: .tcpListener(port: .fact(factID, defaultPort: defaultPort)), dependency: (factID, factNode))
    }
    guard let port = reader.int(portNode, "\(label).port", range: 1...65535) else { return nil }
    return Parsed(query: .tcpListener(port: .number(port)))
  }
}
