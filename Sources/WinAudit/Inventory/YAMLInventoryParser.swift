import RemotePowerShell
import SSHClient
import Yams

/// The YAML inventory form: `defaults`, `hosts` (a list) and `groups` (name to host names).
struct YAMLInventoryParser {
  let file: String
  let folder: String
  let fallback: InventoryLoader.Fallback

  private static let hostKeys = [
    "name", "address", "port", "user", "identity", "known_hosts", "shell", "tags", "rdp_port", "jump",
  ]
  private static let defaultKeys = ["user", "port", "identity", "known_hosts", "shell", "rdp_port", "jump"]

  /// Settings shared by every host, after `defaults:` has been applied over the fallback.
  private struct Defaults {
    var user: String
    var port: Int
    var identity: String?
    var knownHosts: String?
    var shell: HostShell
    var rdpPort: Int?
    var jump: String?
    /// What neither `defaults:` nor the command line set: ssh_config may replace it.
    var defaulted: Set<InventoryDefault>
  }

  /// Reads `text`, or `composed` when the format detection already composed it.
  func parse(_ text: String, composed: Node? = nil) throws(DiagnosticsError) -> Inventory {
    let reader = YAMLReader(file: file)
    guard let root = composed ?? reader.compose(text),
      let top = reader.mapping(root, "the inventory", allowed: ["defaults", "hosts", "groups"], required: ["hosts"])
    else { throw DiagnosticsError(reader.diagnostics) }

    var defaults = Defaults(
      user: fallback.user, port: fallback.port, shell: fallback.shell, defaulted: fallback.defaulted)
    if let node = top["defaults"], let map = reader.mapping(node, "defaults", allowed: Self.defaultKeys) {
      if let v = map["user"], let user = reader.string(v, "defaults.user") {
        defaults.user = user
        defaults.defaulted.remove(.user)
      }
      if let v = map["port"], let port = reader.int(v, "defaults.port", range: 1...65535) {
        defaults.port = port
        defaults.defaulted.remove(.port)
      }
      if let v = map["jump"], let jump = readJump(v, "defaults.jump", reader) { defaults.jump = jump }
      if let v = map["identity"], let p = reader.string(v, "defaults.identity") { defaults.identity = resolve(p) }
      if let v = map["known_hosts"], let p = reader.string(v, "defaults.known_hosts") {
        defaults.knownHosts = resolve(p)
      }
      if let v = map["shell"], let shell = readShell(v, "defaults.shell", reader) { defaults.shell = shell }
      if let v = map["rdp_port"], let port = reader.int(v, "defaults.rdp_port", range: 1...65535) {
        defaults.rdpPort = port
      }
    }

    var hosts: [InventoryHost] = []
    var firstSeen: [String: Node] = [:]
    if let node = top["hosts"], let items = reader.sequence(node, "hosts") {
      if items.isEmpty { reader.report("hosts is empty: list at least one host", at: node) }
      for item in items {
        guard let host = readHost(item, defaults, reader) else { continue }
        let key = host.name.lowercased()
        if let first = firstSeen[key] {
          reader.report(
            "duplicate host name '\(host.name)' (first defined at line \(first.mark?.line ?? 0)): names must be unique",
            at: item)
          continue
        }
        firstSeen[key] = item
        hosts.append(host)
      }
    }

    var groups: [String: [String]] = [:]
    // Lower-cased host name to its name as written: a member is found by lookup, not by a scan of every host.
    var byName: [String: String] = [:]
    for host in hosts where byName[host.name.lowercased()] == nil { byName[host.name.lowercased()] = host.name }
    if let node = top["groups"], let map = reader.mapping(node, "groups") {
      for entry in map.entries {
        guard let members = reader.sequence(entry.value, "group '\(entry.key)'") else { continue }
        var names: [String] = []
        for member in members {
          guard let name = reader.string(member, "a member of group '\(entry.key)'") else { continue }
          if let host = byName[name.lowercased()] {
            names.append(host)
          } else {
            reader.report("group '\(entry.key)' names '\(name)', which is not a host in this inventory", at: member)
          }
        }
        groups[entry.key] = names
      }
    }

    if !reader.diagnostics.isEmpty { throw DiagnosticsError(reader.diagnostics) }
    return Inventory(file: file, hosts: hosts, groups: groups)
  }

  private func readHost(_ node: Node, _ defaults: Defaults, _ reader: YAMLReader) -> InventoryHost? {
    guard let map = reader.mapping(node, "a host", allowed: Self.hostKeys, required: ["name"]),
      let nameNode = map["name"], let name = reader.string(nameNode, "a host's name")
    else { return nil }
    let what = "host '\(name)'"
    var valid = true
    if name.contains(where: \.isWhitespace) || name.isEmpty {
      reader.report("\(what): a host name cannot be empty or contain spaces", at: nameNode)
      valid = false
    }
    var host = InventoryHost(
      name: name, address: name, port: defaults.port, user: defaults.user, identity: defaults.identity,
      knownHosts: defaults.knownHosts, shell: defaults.shell, rdpPort: defaults.rdpPort, jump: defaults.jump,
      defaulted: defaults.defaulted)
    func read<T>(_ key: String, _ body: (Node) -> T?) -> T? {
      guard let v = map[key] else { return nil }
      let value = body(v)
      if value == nil { valid = false }
      return value
    }
    if let address = read("address", { reader.string($0, "\(what) address") }) {
      if address.isEmpty || address.contains(where: \.isWhitespace) {
        reader.report("\(what): address '\(address)' is not a host name or IP address", at: map["address"])
        valid = false
      }
      host.address = address
    }
    if let port = read("port", { reader.int($0, "\(what) port", range: 1...65535) }) {
      host.port = port
      host.defaulted?.remove(.port)
    }
    if let user = read("user", { reader.string($0, "\(what) user") }) {
      host.user = user
      host.defaulted?.remove(.user)
    }
    if let jump = read("jump", { readJump($0, "\(what) jump", reader) }) { host.jump = jump }
    if let path = read("identity", { reader.string($0, "\(what) identity") }) { host.identity = resolve(path) }
    if let path = read("known_hosts", { reader.string($0, "\(what) known_hosts") }) { host.knownHosts = resolve(path) }
    if let shell = read("shell", { readShell($0, "\(what) shell", reader) }) { host.shell = shell }
    if let tags = read("tags", { reader.stringList($0, "\(what) tags") }) { host.tags = tags }
    if let port = read("rdp_port", { reader.int($0, "\(what) rdp_port", range: 1...65535) }) { host.rdpPort = port }
    return valid ? host : nil
  }

  /// A `[user@]host[:port]` jump host.
  private func readJump(_ node: Node, _ what: String, _ reader: YAMLReader) -> String? {
    guard let text = reader.string(node, what) else { return nil }
    guard SSHJumpHost(parsing: text) != nil else {
      reader.report("\(what) must be one jump host '[user@]host[:port]', found '\(text)'", at: node)
      return nil
    }
    return text
  }

  private func readShell(_ node: Node, _ what: String, _ reader: YAMLReader) -> HostShell? {
    guard let text = reader.string(node, what) else { return nil }
    guard let shell = HostShell(rawValue: text.lowercased()) else {
      reader.report(
        "\(what) must be 'cmd' or 'powershell' (the host's OpenSSH DefaultShell), found '\(text)'", at: node)
      return nil
    }
    return shell
  }

  private func resolve(_ path: String) -> String {
    InventoryLoader.resolve(path, folder: folder)
  }
}
