import Yams

/// An Ansible YAML inventory as Ansible reads it: the top level maps group names (usually just `all`) to groups, and a
/// group has `hosts` (host name to its variables), `vars` and `children` (group name to group).
struct AnsibleYAMLInventoryParser {
  let file: String
  let folder: String
  let fallback: InventoryLoader.Fallback

  private static let groupKeys = ["hosts", "vars", "children"]
  /// The most group mappings one file may make us visit: YAML aliases can repeat a group exponentially often.
  private static let visitLimit = 10_000
  /// The deepest nesting of children read; real inventories have a handful of levels.
  private static let depthLimit = 64

  /// Reads `text`, or `composed` when the format detection already composed it.
  func parse(_ text: String, composed: Node? = nil) throws(DiagnosticsError) -> Inventory {
    let reader = YAMLReader(file: file)
    guard let root = composed ?? reader.compose(text), let top = reader.mapping(root, "an Ansible YAML inventory")
    else {
      throw DiagnosticsError(reader.diagnostics)
    }
    var inventory = AnsibleInventory(file: file, folder: folder, fallback: fallback)
    _ = inventory.group("all", line: 0)
    var visits = 0
    for entry in top.entries {
      readGroup(entry.key, entry.keyNode, entry.value, parent: nil, depth: 1, reader, &inventory, &visits)
    }
    if !reader.diagnostics.isEmpty { inventory.diagnostics.append(contentsOf: reader.diagnostics) }
    return try inventory.resolve()
  }

  private func readGroup(
    _ name: String, _ keyNode: Node, _ node: Node, parent: String?, depth: Int, _ reader: YAMLReader,
    _ inventory: inout AnsibleInventory, _ visits: inout Int
  ) {
    visits += 1
    if visits == Self.visitLimit {
      reader.report(
        "more than \(Self.visitLimit) groups to read (YAML aliases repeating groups?): simplify the inventory",
        at: keyNode)
    }
    guard visits < Self.visitLimit else { return }
    guard depth <= Self.depthLimit else {
      reader.report("children are nested more than \(Self.depthLimit) levels deep: flatten the inventory", at: keyNode)
      return
    }
    let line = keyNode.mark?.line ?? 0
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }), !name.isEmpty else {
      reader.report("'\(name)' is not a group name: use letters, digits, '_', '-' and '.'", at: keyNode)
      return
    }
    _ = inventory.group(name, line: line)
    if let parent {
      if name == parent || name == "all" {
        reader.report("group '\(parent)' cannot have '\(name)' as a child", at: keyNode)
        return
      }
      inventory.addChild(name, to: parent, line: line)
    }
    if case .scalar(let scalar) = node, scalar.tagName == .null { return }
    guard case .mapping(let map) = node else {
      reader.report(
        "group '\(name)' must be a mapping with hosts, vars or children, found \(reader.describe(node))", at: node)
      return
    }
    for (key, value) in map {
      let keyText = key.string ?? ""
      switch keyText {
      case "hosts":
        guard let hosts = optionalMapping(value, "hosts of group '\(name)'", reader) else { continue }
        for entry in hosts.entries {
          var vars = variables(entry.value, "host '\(entry.key)'", reader) ?? [:]
          let column = entry.keyNode.mark?.column ?? 0
          let hostLine = entry.keyNode.mark?.line ?? 0
          // `name:port`, as in INI.
          var pattern = entry.key
          if let colon = AnsibleINIInventoryParser.portColon(pattern) {
            let port = String(pattern[pattern.index(after: colon)...])
            pattern = String(pattern[..<colon])
            if vars["ansible_port"] == nil {
              vars["ansible_port"] = AnsibleInventory.Value(text: port, line: hostLine, column: column)
            }
          }
          switch AnsibleHostRange.expand(pattern) {
          case .success(let names):
            for host in names {
              inventory.addHost(host, to: name, vars: vars, line: hostLine, column: column)
            }
          case .failure(let problem):
            reader.report(problem.message, at: entry.keyNode)
          }
        }
      case "vars":
        for (variable, value) in variables(value, "vars of group '\(name)'", reader) ?? [:] {
          inventory.setGroupVariable(name, variable, value)
        }
      case "children":
        guard let children = optionalMapping(value, "children of group '\(name)'", reader) else { continue }
        for entry in children.entries {
          readGroup(entry.key, entry.keyNode, entry.value, parent: name, depth: depth + 1, reader, &inventory, &visits)
        }
      default:
        inventory.warn(
          "group '\(name)' has the key '\(keyText)', which Ansible skips too: a group has only hosts, vars and "
            + "children", line: key.mark?.line ?? 0, column: key.mark?.column ?? 0)
      }
    }
  }

  /// A mapping, or nothing for an empty value (`hosts:` with nothing under it).
  private func optionalMapping(_ node: Node, _ what: String, _ reader: YAMLReader) -> YAMLReader.Mapping? {
    if case .scalar(let scalar) = node, scalar.tagName == .null { return nil }
    return reader.mapping(node, what)
  }

  /// A host's or group's variables; only text, numbers and booleans are kept (lists and mappings are no connection
  /// setting winaudit reads, except as a mistake in one it does).
  private func variables(_ node: Node, _ what: String, _ reader: YAMLReader) -> [String: AnsibleInventory.Value]? {
    guard let map = optionalMapping(node, what, reader) else { return nil }
    var result: [String: AnsibleInventory.Value] = [:]
    for entry in map.entries {
      let line = entry.value.mark?.line ?? 0
      let column = entry.value.mark?.column ?? 0
      switch entry.value {
      case .scalar(let scalar) where scalar.tagName != .null:
        result[entry.key] = AnsibleInventory.Value(text: scalar.string, line: line, column: column)
      default:
        if Self.connectionVariables.contains(entry.key) {
          reader.report("\(what): \(entry.key) must be text, found \(reader.describe(entry.value))", at: entry.value)
        } else if entry.key.hasPrefix("ansible_ssh_") && entry.key.hasSuffix("_args") {
          result[entry.key] = AnsibleInventory.Value(text: "", line: line, column: column)
        }
      }
    }
    return result
  }

  private static let connectionVariables: Set<String> = [
    "ansible_host", "ansible_ssh_host", "ansible_port", "ansible_ssh_port", "ansible_user", "ansible_ssh_user",
    "ansible_ssh_private_key_file", "ansible_private_key_file", "ansible_shell_type",
  ]
}
