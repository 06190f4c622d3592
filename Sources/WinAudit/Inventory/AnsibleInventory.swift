import Foundation
import RemotePowerShell

/// An Ansible inventory as read from either of its forms (INI or YAML), before its variables are applied: groups with
/// their variables, children and hosts, and hosts with their own variables, each remembering where it was written.
///
/// `resolve` turns it into winaudit's `Inventory` the way Ansible would: variables of `all`, then of each group from the
/// shallowest to the deepest (ties by name), then the host's own; a group's members include its children's.
struct AnsibleInventory {
  /// A variable's value as written, and where, so a bad value is reported at its own line.
  struct Value {
    var text: String
    var line: Int
    var column: Int
  }

  struct Group {
    var name: String
    var line: Int
    var vars: [String: Value] = [:]
    var children: [String] = []
    var hosts: [String] = []
    /// `hosts` as a set: a group of thousands of hosts is checked for a repeated mention in constant time.
    var hostSet: Set<String> = []
  }

  struct Host {
    var name: String
    var line: Int
    var column: Int
    var vars: [String: Value] = [:]
  }

  let file: String
  let folder: String
  let fallback: InventoryLoader.Fallback
  private(set) var groups: [String: Group] = [:]
  private(set) var groupOrder: [String] = []
  private(set) var hosts: [String: Host] = [:]
  private(set) var hostOrder: [String] = []
  var diagnostics: [Diagnostic] = []
  var warnings: [Diagnostic] = []

  /// The most hosts one inventory may expand to (ranges such as `web[1:99999]` included).
  static let hostLimit = 10_000

  init(file: String, folder: String, fallback: InventoryLoader.Fallback) {
    self.file = file
    self.folder = folder
    self.fallback = fallback
  }

  mutating func report(_ message: String, line: Int, column: Int) {
    diagnostics.append(Diagnostic(file: file, line: line, column: column, message: message))
  }

  mutating func warn(_ message: String, line: Int, column: Int) {
    let warning = Diagnostic(file: file, line: line, column: column, message: message)
    if !warnings.contains(warning) { warnings.append(warning) }
  }

  /// The group called `name`, created (at `line`) when it is first mentioned.
  mutating func group(_ name: String, line: Int) -> String {
    if groups[name] == nil {
      groups[name] = Group(name: name, line: line)
      groupOrder.append(name)
    }
    return name
  }

  mutating func setGroupVariable(_ group: String, _ key: String, _ value: Value) {
    groups[group]?.vars[key] = value
  }

  mutating func addChild(_ child: String, to parent: String, line: Int) {
    _ = self.group(child, line: line)
    if groups[parent]?.children.contains(child) == false { groups[parent]?.children.append(child) }
  }

  /// Adds `name` to `group` (nil: ungrouped), merging `vars` over what earlier mentions of the host set.
  mutating func addHost(_ name: String, to group: String?, vars: [String: Value], line: Int, column: Int) {
    guard name.allSatisfy({ !$0.isWhitespace && !$0.isNewline && $0.asciiValue.map { $0 >= 0x20 } ?? true }),
      !name.isEmpty
    else {
      report("host name '\(name)' is empty or holds spaces or control characters", line: line, column: column)
      return
    }
    if hosts[name] == nil {
      guard hostOrder.count < Self.hostLimit else {
        if !diagnostics.contains(where: { $0.message.hasPrefix("more than") }) {
          report(
            "more than \(Self.hostLimit) hosts: split the inventory or narrow its ranges", line: line, column: column)
        }
        return
      }
      hosts[name] = Host(name: name, line: line, column: column)
      hostOrder.append(name)
    }
    hosts[name]?.vars.merge(vars) { _, new in new }
    if let group, groups[group]?.hostSet.insert(name).inserted == true { groups[group]?.hosts.append(name) }
  }

  // MARK: Resolving

  func resolve() throws(DiagnosticsError) -> Inventory {
    var copy = self
    return try copy.resolved()
  }

  private mutating func resolved() throws(DiagnosticsError) -> Inventory {
    let depths = groupDepths()
    var parents: [String: [String]] = [:]
    for name in groupOrder {
      for child in groups[name]?.children ?? [] { parents[child, default: []].append(name) }
    }
    // Every group a host belongs to, directly or through children, and the group's members expanded the same way.
    var memberOf: [String: Set<String>] = [:]
    for name in groupOrder {
      for host in groups[name]?.hosts ?? [] {
        var pending = [name]
        var seen: Set<String> = []
        while let group = pending.popLast() {
          guard seen.insert(group).inserted else { continue }
          pending.append(contentsOf: parents[group] ?? [])
        }
        memberOf[host, default: []].formUnion(seen)
      }
    }
    var result: [InventoryHost] = []
    for name in hostOrder {
      guard let host = hosts[name] else { continue }
      let ordered = (memberOf[name] ?? []).filter { $0 != "all" }.sorted {
        (depths[$0] ?? 0, $0) < (depths[$1] ?? 0, $1)
      }
      var vars = groups["all"]?.vars ?? [:]
      for group in ordered { vars.merge(groups[group]?.vars ?? [:]) { _, new in new } }
      vars.merge(host.vars) { _, new in new }
      if let resolved = inventoryHost(host, vars) { result.append(resolved) }
    }
    if result.isEmpty && diagnostics.isEmpty {
      report("the inventory lists no host: add hosts under a group (or under 'all')", line: 1, column: 1)
    }
    if !diagnostics.isEmpty {
      throw DiagnosticsError(diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }
    // Each group's members in host order, from one pass over the hosts.
    var members: [String: [String]] = [:]
    for group in groupOrder where group != "all" { members[group] = [] }
    for host in hostOrder {
      for group in memberOf[host] ?? [] where group != "all" { members[group]?.append(host) }
    }
    members["all"] = hostOrder
    var inventory = Inventory(file: file, hosts: result, groups: members)
    inventory.warnings = warnings
    return inventory
  }

  /// Each group's depth below `all` (the longest path), which orders group variables; a cycle is reported.
  private mutating func groupDepths() -> [String: Int] {
    var depths: [String: Int] = [:]
    var reported = false
    // Breadth-first relaxation from the roots; a chain longer than the number of groups can only be a cycle.
    let childNames = Set(groupOrder.flatMap { groups[$0]?.children ?? [] })
    var frontier = groupOrder.filter { !childNames.contains($0) }
    for root in frontier { depths[root] = root == "all" ? 0 : 1 }
    var rounds = 0
    while !frontier.isEmpty {
      rounds += 1
      if rounds > groupOrder.count + 1 {
        if !reported, let name = frontier.first, let group = groups[name] {
          report("group '\(name)' is, through its children, a child of itself", line: group.line, column: 1)
          reported = true
        }
        break
      }
      var next: [String] = []
      for parent in frontier {
        for child in groups[parent]?.children ?? [] {
          let depth = (depths[parent] ?? 0) + 1
          if depth > depths[child] ?? -1 {
            depths[child] = depth
            next.append(child)
          }
        }
      }
      frontier = Array(Set(next)).sorted()
    }
    // Groups only reachable through a cycle have no root.
    if !reported, let name = groupOrder.first(where: { depths[$0] == nil }), let group = groups[name] {
      report("group '\(name)' is, through its children, a child of itself", line: group.line, column: 1)
    }
    return depths
  }

  /// The host with its merged variables applied; nil (with diagnostics) when a value cannot be used.
  private mutating func inventoryHost(_ host: Host, _ vars: [String: Value]) -> InventoryHost? {
    var result = InventoryHost(
      name: host.name, address: host.name, port: fallback.port, user: fallback.user, shell: fallback.shell)
    var valid = true
    func usable(_ key: String) -> Value? {
      guard let value = vars[key] else { return nil }
      if value.text.contains("{{") || value.text.contains("{%") {
        report(
          "\(key) '\(value.text)' is a Jinja template, which winaudit does not evaluate: write the value itself",
          line: value.line, column: value.column)
        valid = false
        return nil
      }
      return value
    }
    func first(_ keys: String...) -> Value? {
      for key in keys { if let value = usable(key) { return value } }
      return nil
    }
    if let value = first("ansible_host", "ansible_ssh_host") {
      if value.text.isEmpty || value.text.contains(where: { $0.isWhitespace || $0.isNewline }) {
        report("ansible_host '\(value.text)' is not a host name or IP address", line: value.line, column: value.column)
        valid = false
      }
      result.address = value.text
    }
    if let value = first("ansible_port", "ansible_ssh_port") {
      if let port = Int(value.text), (1...65535).contains(port) {
        result.port = port
      } else {
        report(
          "ansible_port must be a number from 1 to 65535, found '\(value.text)'", line: value.line, column: value.column
        )
        valid = false
      }
    }
    if let value = first("ansible_user", "ansible_ssh_user") {
      if value.text.isEmpty || value.text.contains(where: { $0.isWhitespace || $0.isNewline }) {
        report("ansible_user '\(value.text)' is not a user name", line: value.line, column: value.column)
        valid = false
      }
      result.user = value.text
    }
    if let value = first("ansible_ssh_private_key_file", "ansible_private_key_file") {
      result.identity = InventoryLoader.resolve(value.text, folder: folder)
    }
    if let value = first("ansible_shell_type") {
      if let shell = HostShell(rawValue: value.text.lowercased()) {
        result.shell = shell
      } else {
        report(
          "ansible_shell_type must be 'cmd' or 'powershell' (the host's OpenSSH DefaultShell), found '\(value.text)'",
          line: value.line, column: value.column)
        valid = false
      }
    }
    for key in ["ansible_ssh_common_args", "ansible_ssh_extra_args"] {
      if let value = vars[key] {
        warn(
          "\(key) is ignored: winaudit passes no extra ssh arguments (a ProxyCommand or -J there is not used)",
          line: value.line, column: value.column)
      }
    }
    return valid ? result : nil
  }
}

/// Ansible's host ranges: `web[01:03]` is web01, web02, web03; `db-[a:c]` is db-a, db-b, db-c; `[1:9:2]` has a step.
enum AnsibleHostRange {
  /// The names `pattern` stands for; nil with `problem` set when the range is malformed or too large.
  static func expand(_ pattern: String, limit: Int = AnsibleInventory.hostLimit) -> Result<[String], RangeProblem> {
    guard let open = pattern.firstIndex(of: "["), let close = pattern[open...].firstIndex(of: "]") else {
      return .success([pattern])
    }
    let head = String(pattern[..<open])
    let tail = String(pattern[pattern.index(after: close)...])
    let parts = pattern[pattern.index(after: open)..<close].split(separator: ":", omittingEmptySubsequences: false)
      .map(String.init)
    guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
      return .failure(RangeProblem(message: "'\(pattern)': a range is written [start:end] or [start:end:step]"))
    }
    let step = parts.count == 3 ? Int(parts[2]) : 1
    guard let step, step > 0 else {
      return .failure(RangeProblem(message: "'\(pattern)': the step of a range must be a whole number above 0"))
    }
    var items: [String] = []
    if let start = Int(parts[0]), let end = Int(parts[1]) {
      guard start <= end else {
        return .failure(RangeProblem(message: "'\(pattern)': the range starts after it ends"))
      }
      guard (end - start) / step < limit else {
        return .failure(RangeProblem(message: "'\(pattern)' stands for more than \(limit) hosts"))
      }
      let width = parts[0].hasPrefix("0") ? parts[0].count : 0
      for value in stride(from: start, through: end, by: step) {
        let digits = String(value)
        items.append(String(repeating: "0", count: max(0, width - digits.count)) + digits)
      }
    } else if parts[0].count == 1, parts[1].count == 1, let start = parts[0].unicodeScalars.first,
      let end = parts[1].unicodeScalars.first, start.properties.isAlphabetic, end.properties.isAlphabetic,
      start.isASCII, end.isASCII, start.value <= end.value
    {
      for value in stride(from: start.value, through: end.value, by: step) {
        items.append(String(Character(Unicode.Scalar(value)!)))
      }
    } else {
      return .failure(
        RangeProblem(message: "'\(pattern)': a range is numbers ([01:20]) or single letters ([a:f]), start before end"))
    }
    var names: [String] = []
    for item in items {
      switch expand(tail, limit: limit) {
      case .success(let rest):
        for suffix in rest {
          names.append(head + item + suffix)
          if names.count > limit {
            return .failure(RangeProblem(message: "'\(pattern)' stands for more than \(limit) hosts"))
          }
        }
      case .failure(let problem): return .failure(problem)
      }
    }
    return .success(names)
  }

  struct RangeProblem: Error {
    var message: String
  }
}
