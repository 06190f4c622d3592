/// The hosts a run may contact, their groups, and where they were read from.
public struct Inventory: Sendable, Hashable {
  /// The file the inventory came from, as the user named it.
  public var file: String
  /// Hosts in file order; reports keep this order.
  public var hosts: [InventoryHost]
  /// Group name to member host names, children groups' hosts included (YAML and Ansible inventories).
  public var groups: [String: [String]]
  /// What was read but not used, such as `ansible_ssh_common_args`: printed on stderr, never a reason to stop.
  public var warnings: [Diagnostic] = []

  public init(file: String, hosts: [InventoryHost], groups: [String: [String]] = [:]) {
    self.file = file
    self.hosts = hosts
    self.groups = groups
  }

  /// The hosts a `--limit` selects, in inventory order; nil limit selects everything.
  public func select(limit: HostLimit?) throws(UsageError) -> [InventoryHost] {
    guard let limit else { return hosts }
    // Host name to its groups, built once: a lookup per host instead of a scan of every group's members.
    var memberOf: [String: [String]] = [:]
    for (group, members) in groups {
      for member in members { memberOf[member, default: []].append(group) }
    }
    let selected = hosts.filter { limit.matches($0, memberOf: memberOf[$0.name] ?? []) }
    if selected.isEmpty {
      var known = "hosts: " + hosts.map(\.name).joined(separator: ", ")
      let tags = Set(hosts.flatMap(\.tags)).sorted()
      if !tags.isEmpty { known += "; tags: " + tags.joined(separator: ", ") }
      if !groups.isEmpty { known += "; groups: " + groups.keys.sorted().joined(separator: ", ") }
      throw UsageError("--limit '\(limit.text)' matches no host in \(file) (\(known))")
    }
    return selected
  }
}

extension Diagnostic {
  /// `file:line:column: warning: message`, for what is read but not used.
  public var warningDescription: String {
    "\(file):\(line):\(column): warning: \(message)"
  }
}
