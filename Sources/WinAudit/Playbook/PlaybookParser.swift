import Yams

/// Turns a composed playbook YAML tree into a `Playbook`, reporting problems through the shared `YAMLReader`.
///
/// References are checked after everything is read, so a control may name a fact declared below it; each
/// reference remembers its node so a dangling one is reported where it is written.
final class PlaybookParser {
  let reader: YAMLReader

  private var references: [FactReference] = []
  private var facts: [Fact] = []

  /// The kinds a fact may have.
  let kinds: FactKinds

  init(reader: YAMLReader, kinds: FactKinds = .builtIn) {
    self.reader = reader
    self.kinds = kinds
  }

  static let topKeys = ["playbook", "name", "description", "facts", "controls"]
  static let controlKeys = [
    "id", "title", "severity", "rationale", "references", "explains", "errorCodes", "applies", "requires", "check",
    "fix",
  ]
  static let expectationKeys = [
    "equals", "notEquals", "in", "notIn", "present", "absent", "atLeast", "atMost", "contains", "validForDays",
    "equalsFact", "firewallAllows", "firewallNotBlocked", "certificateIn", "acl",
  ]

  func parse(_ root: Node, file: String) -> Playbook? {
    guard
      let top = reader.mapping(root, "the playbook", allowed: Self.topKeys, required: ["name", "facts", "controls"])
    else { return nil }
    if let node = top["playbook"], let version = reader.int(node, "playbook (the format version)"),
      version != PlaybookLoader.formatVersion
    {
      reader.report(
        "playbook format version \(version) is not supported; this winaudit reads version "
          + "\(PlaybookLoader.formatVersion)", at: node)
    }
    let name = top["name"].flatMap { reader.string($0, "name") } ?? ""
    let description = top["description"].flatMap { reader.string($0, "description") }
    if let node = top["facts"] { parseFacts(node) }
    var controls: [Control] = []
    var controlNodes: [String: Node] = [:]
    var requirements: [(control: String, id: String, node: Node)] = []
    if let node = top["controls"], let items = reader.sequence(node, "controls") {
      if items.isEmpty { reader.report("controls is empty: a playbook needs at least one control", at: node) }
      for item in items {
        guard let (control, requires) = parseControl(item) else { continue }
        if let first = controlNodes[control.id] {
          reader.report(
            "duplicate control id '\(control.id)' (first at line \(first.mark?.line ?? 0)): ids must be unique",
            at: item)
          continue
        }
        controlNodes[control.id] = item
        controls.append(control)
        requirements += requires.map { (control.id, $0.0, $0.1) }
      }
    }
    checkReferences()
    checkRequirements(requirements, controls: controls)
    return Playbook(file: file, name: name, description: description, facts: facts, controls: controls)
  }

  // MARK: Facts

  private func parseFacts(_ node: Node) {
    guard let map = reader.mapping(node, "facts") else { return }
    for entry in map.entries {
      guard checkIdentifier(entry.key, what: "fact id", at: entry.keyNode) else { continue }
      if let kind = parseFact(id: entry.key, entry.value) {
        facts.append(Fact(id: entry.key, kind: kind))
      }
    }
  }

  /// One declaration: `<id>: {<kind>: <parameters>}`, the parameters read by the kind itself.
  private func parseFact(id: String, _ node: Node) -> (any FactKind)? {
    let what = "fact '\(id)'"
    let names = kinds.names
    let known = reader.diagnostics.count
    guard let map = reader.mapping(node, what, allowed: names) else { return nil }
    guard map.entries.count == 1, let entry = map.entries.first, let kind = kinds.kind(named: entry.key) else {
      // An unknown kind was already reported; "found 0" would only repeat it.
      if map.entries.isEmpty && reader.diagnostics.count > known { return nil }
      reader.report(
        "\(what) must have exactly one kind (\(names.joined(separator: ", "))), found \(map.entries.count)", at: node)
      return nil
    }
    let parameters = FactParameters(
      reader: reader, id: id, node: entry.value, label: "\(what) \(entry.key)",
      addReference: { self.references.append($0) })
    return kind.parse(parameters)
  }

  @discardableResult
  private func checkIdentifier(_ id: String, what: String, at node: Node) -> Bool {
    let allowed = id.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
    }
    if id.isEmpty || !allowed {
      reader.report("\(what) '\(id)' may only use letters, digits, '-' and '_'", at: node)
      return false
    }
    return true
  }

  // MARK: Controls

  private func parseControl(_ node: Node) -> (Control, [(String, Node)])? {
    guard
      let map = reader.mapping(
        node, "a control", allowed: Self.controlKeys, required: ["id", "title", "severity", "check"]),
      let idNode = map["id"], let id = reader.string(idNode, "a control's id")
    else { return nil }
    var valid = checkIdentifier(id, what: "control id", at: idNode)
    let what = "control '\(id)'"
    let title = map["title"].flatMap { reader.string($0, "\(what) title") }
    var severity: Severity?
    if let node = map["severity"], let text = reader.string(node, "\(what) severity") {
      severity = Severity(rawValue: text.lowercased())
      if severity == nil {
        reader.report("\(what) severity must be low, medium, high or critical, found '\(text)'", at: node)
      }
    }
    let rationale = map["rationale"].flatMap { reader.string($0, "\(what) rationale") }
    let referenceTexts = map["references"].flatMap { reader.stringList($0, "\(what) references") } ?? []
    let explains = parseExplains(map, what)
    let applicability = map["applies"].map { parseApplicability($0, what) } ?? Applicability()
    var requires: [(String, Node)] = []
    if let node = map["requires"] {
      let items: [Node]
      if case .scalar = node { items = [node] } else { items = reader.sequence(node, "\(what) requires") ?? [] }
      for item in items {
        if let other = reader.string(item, "each entry of \(what) requires") { requires.append((other, item)) }
      }
    }
    var fixes: [NamedFix] = []
    if let node = map["fix"] {
      // One fix id or a list; whether each exists is checked against the remediation catalogue by `winaudit fix`.
      let items: [Node]
      if case .scalar = node { items = [node] } else { items = reader.sequence(node, "\(what) fix") ?? [] }
      for item in items {
        if let name = reader.string(item, "each entry of \(what) fix") {
          fixes.append(
            NamedFix(id: name, file: reader.file, line: item.mark?.line ?? 0, column: item.mark?.column ?? 0))
        }
      }
    }
    let check = map["check"].flatMap { parseCheck($0, what) }
    if title == nil || severity == nil || check == nil { valid = false }
    guard valid, let title, let severity, let check else { return nil }
    let control = Control(
      id: id, title: title, severity: severity, rationale: rationale, references: referenceTexts,
      explains: explains,
      applicability: applicability, requires: requires.map(\.0), check: check, fixes: fixes)
    return (control, requires)
  }

  /// `explains:` (or its old name `errorCodes:`): the client errors the control's drift can explain, each checked
  /// here so a mistyped code is reported at its line.
  private func parseExplains(_ map: YAMLReader.Mapping, _ what: String) -> [ErrorCodePattern] {
    if map["explains"] != nil, let old = map.keyNode("errorCodes") {
      reader.report("\(what) has both explains and errorCodes (its old name): keep explains", at: old)
    }
    guard let (key, node) = map["explains"].map({ ("explains", $0) }) ?? map["errorCodes"].map({ ("errorCodes", $0) })
    else { return [] }
    let items: [Node]
    if case .scalar = node { items = [node] } else { items = reader.sequence(node, "\(what) \(key)") ?? [] }
    var patterns: [ErrorCodePattern] = []
    for item in items {
      guard let text = reader.string(item, "each entry of \(what) \(key)") else { continue }
      do {
        patterns.append(try ErrorCodePattern(parsing: text))
      } catch {
        reader.report("\(what) \(key): \(error.message)", at: item)
      }
    }
    return patterns
  }

  private func parseApplicability(_ node: Node, _ what: String) -> Applicability {
    var applicability = Applicability()
    guard let map = reader.mapping(node, "\(what) applies", allowed: ["osBuild", "tags", "factPresent", "when"]) else {
      return applicability
    }
    if let node = map["osBuild"],
      let build = reader.mapping(node, "\(what) applies.osBuild", allowed: ["atLeast", "below"])
    {
      applicability.minimumBuild = build["atLeast"].flatMap { reader.int($0, "\(what) applies.osBuild.atLeast") }
      applicability.buildBelow = build["below"].flatMap { reader.int($0, "\(what) applies.osBuild.below") }
    }
    if let node = map["tags"] {
      applicability.tags = reader.stringList(node, "\(what) applies.tags") ?? []
    }
    if let node = map["factPresent"], let text = reader.string(node, "\(what) applies.factPresent") {
      let path = FactPath(text)
      applicability.factPresent = path
      references.append(FactReference(path: path, node: node, kinds: nil, purpose: "\(what) applies.factPresent"))
    }
    if let node = map["when"] {
      applicability.when = parseCheck(node, "\(what) applies.when")
    }
    return applicability
  }

  private func parseCheck(_ node: Node, _ what: String) -> Check? {
    guard
      let map = reader.mapping(
        node, "\(what) check", allowed: ["fact", "allowAbsent", "and"] + Self.expectationKeys, required: ["fact"]),
      let factNode = map["fact"], let factText = reader.string(factNode, "\(what) check.fact")
    else { return nil }
    let path = FactPath(factText)
    let allowAbsent = map["allowAbsent"].flatMap { reader.bool($0, "\(what) check.allowAbsent") } ?? false
    let given = map.entries.filter { Self.expectationKeys.contains($0.key) }
    guard let (key, valueNode) = given.first.map({ ($0.key, $0.value) }) else {
      reader.report(
        "\(what) check needs one expectation: \(Self.expectationKeys.joined(separator: ", "))", at: node)
      return nil
    }
    if given.count > 1 {
      reader.report(
        "\(what) check has several expectations (\(given.map(\.key).joined(separator: ", "))): "
          + "use one per control", at: given[1].keyNode)
      return nil
    }
    guard let expectation = parseExpectation(key, valueNode, "\(what) check.\(key)") else { return nil }
    let fitting: [String]?
    switch expectation {
    case .firewallAllows, .firewallNotBlocked: fitting = [FirewallRulesFact.name]
    case .acl: fitting = [PathFact.name, RegistryFact.name]
    default: fitting = nil
    }
    references.append(FactReference(path: path, node: factNode, kinds: fitting, purpose: "\(what) check.fact"))
    // `and:` one more check, or a list of them, on other facts.
    var also: [Check] = []
    if let andNode = map["and"] {
      let items: [Node]
      if case .sequence = andNode {
        items = reader.sequence(andNode, "\(what) check.and") ?? []
      } else {
        items = [andNode]
      }
      for item in items {
        guard let check = parseCheck(item, "\(what) check.and") else { return nil }
        also.append(check)
      }
    }
    return Check(fact: path, expectation: expectation, allowAbsent: allowAbsent, and: also)
  }

  private func parseExpectation(_ key: String, _ node: Node, _ what: String) -> Expectation? {
    switch key {
    case "equals": return value(node, what).map(Expectation.equals)
    case "notEquals": return value(node, what).map(Expectation.notEquals)
    case "contains": return value(node, what).map(Expectation.contains)
    case "in", "notIn":
      guard let items = reader.sequence(node, what) else { return nil }
      let values = items.compactMap { value($0, "each entry of \(what)") }
      guard values.count == items.count else { return nil }
      return key == "in" ? .oneOf(values) : .noneOf(values)
    case "present", "absent":
      guard let flag = reader.bool(node, what) else { return nil }
      if !flag {
        reader.report(
          "\(what) can only be true; to expect the opposite use '\(key == "present" ? "absent" : "present")'", at: node)
        return nil
      }
      return key == "present" ? .present : .absent
    case "atLeast": return reader.double(node, what).map(Expectation.atLeast)
    case "atMost": return reader.double(node, what).map(Expectation.atMost)
    case "validForDays": return reader.int(node, what, range: 0...36500).map(Expectation.validForDays)
    case "equalsFact":
      guard let text = reader.string(node, what) else { return nil }
      let path = FactPath(text)
      references.append(FactReference(path: path, node: node, kinds: nil, purpose: what))
      return .equalsFact(path)
    case "firewallAllows": return parseFirewallRequirement(node, what).map(Expectation.firewallAllows)
    case "firewallNotBlocked": return parseFirewallRequirement(node, what).map(Expectation.firewallNotBlocked)
    case "certificateIn": return parseCertificateIn(node, what)
    case "acl": return parseACL(node, what)
    default: return nil
    }
  }

  /// A playbook value as a fact value, keeping YAML's types (`0` is a number, `'0'` is text).
  private func value(_ node: Node, _ what: String) -> FactValue? {
    switch node {
    case .scalar(let scalar):
      switch scalar.tagName {
      case .null: return .null
      case .bool: return node.bool.map(FactValue.bool)
      case .int: return node.int.map { .int(Int64($0)) }
      case .float: return node.float.map(FactValue.double)
      default: return .string(scalar.string)
      }
    case .sequence(let items):
      let values = items.compactMap { value($0, "each entry of \(what)") }
      return values.count == items.count ? .array(values) : nil
    default:
      reader.report("\(what) must be a value or a list of values, found \(reader.describe(node))", at: node)
      return nil
    }
  }

  private func parseFirewallRequirement(_ node: Node, _ what: String) -> FirewallRequirement? {
    let allowed = ["protocol", "port", "profiles", "profileSettings", "rules", "program", "service"]
    guard let map = reader.mapping(node, what, allowed: allowed) else { return nil }
    var requirement = FirewallRequirement()
    if let node = map["protocol"], let text = reader.string(node, "\(what).protocol") {
      guard ["TCP", "UDP"].contains(text.uppercased()) else {
        reader.report("\(what).protocol must be TCP or UDP, found '\(text)'", at: node)
        return nil
      }
      requirement.protocol = text.uppercased()
    }
    if let node = map["port"] {
      if case .mapping = node {
        guard let portMap = reader.mapping(node, "\(what).port", allowed: ["fact"], required: ["fact"]),
          let factNode = portMap["fact"], let text = reader.string(factNode, "\(what).port.fact")
        else { return nil }
        let path = FactPath(text)
        requirement.portFact = path
        references.append(FactReference(path: path, node: factNode, kinds: nil, purpose: "\(what).port"))
      } else {
        guard let port = reader.int(node, "\(what).port", range: 1...65535) else { return nil }
        requirement.port = port
      }
    }
    if let node = map["profiles"], let id = reader.string(node, "\(what).profiles") {
      requirement.profilesFact = id
      references.append(
        FactReference(
          path: FactPath(fact: id), node: node, kinds: [NetworkProfilesFact.name], purpose: "\(what).profiles"))
    }
    if let node = map["profileSettings"], let id = reader.string(node, "\(what).profileSettings") {
      requirement.settingsFact = id
      references.append(
        FactReference(
          path: FactPath(fact: id), node: node, kinds: [FirewallProfilesFact.name], purpose: "\(what).profileSettings"))
    }
    if let node = map["rules"] {
      requirement.rules = reader.stringList(node, "\(what).rules") ?? []
    }
    if let node = map["program"] { requirement.program = reader.string(node, "\(what).program") }
    if let node = map["service"] { requirement.service = reader.string(node, "\(what).service") }
    return requirement
  }

  private func parseCertificateIn(_ node: Node, _ what: String) -> Expectation? {
    guard
      let map = reader.mapping(
        node, what, allowed: ["fact", "privateKeyReadable", "validForDays"], required: ["fact"]),
      let factNode = map["fact"]
    else { return nil }
    // One certificates fact, or a list of them (the Remote Desktop store and My).
    let ids =
      factNode.scalar != nil
      ? reader.string(factNode, "\(what).fact").map { [$0] } : reader.stringList(factNode, "\(what).fact")
    guard let ids, !ids.isEmpty else { return nil }
    for id in ids {
      references.append(
        FactReference(path: FactPath(fact: id), node: factNode, kinds: [CertificatesFact.name], purpose: "\(what).fact")
      )
    }
    var requirement = CertificateRequirement(certificatesFacts: ids)
    if let node = map["privateKeyReadable"], let flag = reader.bool(node, "\(what).privateKeyReadable") {
      requirement.privateKeyReadable = flag
    }
    if let node = map["validForDays"] {
      requirement.validForDays = reader.int(node, "\(what).validForDays", range: 0...36500)
    }
    return .certificateIn(requirement)
  }

  private func parseACL(_ node: Node, _ what: String) -> Expectation? {
    guard let map = reader.mapping(node, what, allowed: ["fullControl", "notDenied", "canRead", "canCreate"]) else {
      return nil
    }
    func accounts(_ key: String) -> [String] {
      guard let node = map[key], let items = reader.sequence(node, "\(what).\(key)") else { return [] }
      return items.compactMap { item in
        guard let text = reader.string(item, "each account of \(what).\(key)") else { return nil }
        guard let sid = WellKnownAccount.sid(for: text) else {
          reader.report(
            "\(what).\(key): '\(text)' is not a SID (S-1-5-18), an SDDL alias (SY) or a well-known account name",
            at: item)
          return nil
        }
        return sid
      }
    }
    let requirement = ACLRequirement(
      fullControl: accounts("fullControl"), notDenied: accounts("notDenied"), canRead: accounts("canRead"),
      canCreate: accounts("canCreate"))
    if requirement.fullControl.isEmpty && requirement.notDenied.isEmpty && requirement.canRead.isEmpty
      && requirement.canCreate.isEmpty
    {
      reader.report("\(what) needs at least one of fullControl, notDenied, canRead, canCreate", at: node)
      return nil
    }
    return .acl(requirement)
  }

  // MARK: Cross-references

  private func checkReferences() {
    for reference in references {
      guard let fact = facts.first(where: { $0.id == reference.path.fact }) else {
        var message = "\(reference.purpose) refers to fact '\(reference.path.fact)', which is not declared under facts:"
        let known = facts.map(\.id)
        if let suggestion = known.first(where: { $0.lowercased() == reference.path.fact.lowercased() }) {
          message += " did you mean '\(suggestion)'?"
        } else if !known.isEmpty {
          message += " declared facts are \(known.joined(separator: ", "))"
        }
        reader.report(message, at: reference.node)
        continue
      }
      let kind = fact.kindName
      if let kinds = reference.kinds, !kinds.contains(kind) {
        reader.report(
          "\(reference.purpose) needs a fact of kind \(kinds.joined(separator: " or ")), "
            + "but '\(fact.id)' is \(kind)", at: reference.node)
      }
      let fields = type(of: fact.kind).fields
      if let field = reference.path.field, !fields.contains(field) {
        reader.report(
          "fact '\(fact.id)' (\(kind)) has no field '\(field)'"
            + (fields.isEmpty ? "" : "; its fields are \(fields.joined(separator: ", "))"), at: reference.node)
      }
    }
  }

  private func checkRequirements(_ requirements: [(control: String, id: String, node: Node)], controls: [Control]) {
    let ids = Set(controls.map(\.id))
    for requirement in requirements where !ids.contains(requirement.id) {
      reader.report(
        "control '\(requirement.control)' requires control '\(requirement.id)', which does not exist",
        at: requirement.node)
    }
    for requirement in requirements where requirement.id == requirement.control {
      reader.report("control '\(requirement.control)' cannot require itself", at: requirement.node)
    }
    // Longer cycles: follow requires from each control.
    let graph = Dictionary(uniqueKeysWithValues: controls.map { ($0.id, $0.requires) })
    for requirement in requirements where requirement.id != requirement.control {
      var seen: Set<String> = []
      var stack = [requirement.id]
      while let next = stack.popLast() {
        if next == requirement.control {
          reader.report(
            "control '\(requirement.control)' requires '\(requirement.id)', which leads back to it: remove the cycle",
            at: requirement.node)
          break
        }
        if seen.insert(next).inserted { stack += graph[next] ?? [] }
      }
    }
  }
}
