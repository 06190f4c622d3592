import RemotePowerShell

/// The plain inventory form: one `[user@]host[:port]` a line (`[user@][v6-address]:port` for IPv6), `#` comments.
struct PlainInventoryParser {
  let file: String
  let fallback: InventoryLoader.Fallback

  func parse(_ text: String) throws(DiagnosticsError) -> Inventory {
    var diagnostics: [Diagnostic] = []
    var hosts: [InventoryHost] = []
    var firstLine: [String: Int] = [:]
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, rawLine) in lines.enumerated() {
      let lineNumber = index + 1
      var line = Substring(rawLine)
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      let leading = line.prefix { $0 == " " || $0 == "\t" }.count
      let entry = line.trimmingWhitespace()
      guard !entry.isEmpty else { continue }
      let column = leading + 1
      func fail(_ message: String, offset: Int = 0) {
        diagnostics.append(Diagnostic(file: file, line: lineNumber, column: column + offset, message: message))
      }
      if let other = Self.otherFormat(entry) {
        fail("'\(entry)' is not a '[user@]host[:port]' line: this looks like \(other)")
        continue
      }
      if entry.contains(where: \.isWhitespace) {
        fail("expected one '[user@]host[:port]' per line, found '\(entry)'; put each host on its own line")
        continue
      }
      guard let host = parseEntry(String(entry), fail: fail) else { continue }
      if let first = firstLine[host.name.lowercased()] {
        fail("duplicate host '\(host.name)' (first on line \(first)); list each host once")
        continue
      }
      firstLine[host.name.lowercased()] = lineNumber
      hosts.append(host)
    }
    if hosts.isEmpty && diagnostics.isEmpty {
      diagnostics.append(
        Diagnostic(
          file: file, line: 1, column: 1, message: "the inventory lists no host: add one '[user@]host[:port]' a line"))
    }
    if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
    return Inventory(file: file, hosts: hosts)
  }

  /// What a line that does not belong in a plain list probably is, and how to read it as that.
  static func otherFormat(_ entry: Substring) -> String? {
    if AnsibleINIInventoryParser.isSectionHeader(entry) {
      return "an Ansible INI inventory section: use --inventory-format ansible-ini"
    }
    if entry.contains(",") {
      return "CSV: a CSV inventory starts with a header row (name,address,port,user,tags,...), or use "
        + "--inventory-format csv; a plain list has one host a line"
    }
    if AnsibleINIInventoryParser.hasVariable("host " + entry) {
      return "an Ansible INI host line (key=value): use --inventory-format ansible-ini"
    }
    return nil
  }

  private func parseEntry(_ entry: String, fail: (String, Int) -> Void) -> InventoryHost? {
    var rest = Substring(entry)
    var user = fallback.user
    var defaulted = fallback.defaulted
    var offset = 0
    if let at = rest.lastIndex(of: "@") {
      user = String(rest[..<at])
      defaulted.remove(.user)
      offset = user.count + 1
      rest = rest[rest.index(after: at)...]
      if user.isEmpty {
        fail("empty user name before '@'", 0)
        return nil
      }
    }
    var address: String
    var portText: Substring?
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else {
        fail("missing ']' after the IPv6 address", offset)
        return nil
      }
      address = String(rest[rest.index(after: rest.startIndex)..<close])
      let after = rest[rest.index(after: close)...]
      if after.hasPrefix(":") {
        portText = after.dropFirst()
      } else if !after.isEmpty {
        fail("unexpected '\(after)' after ']'; write [address]:port", offset)
        return nil
      }
    } else if rest.filter({ $0 == ":" }).count > 1 {
      address = String(rest)  // a bare IPv6 address without a port
    } else if let colon = rest.firstIndex(of: ":") {
      address = String(rest[..<colon])
      portText = rest[rest.index(after: colon)...]
    } else {
      address = String(rest)
    }
    if address.isEmpty {
      fail("missing host name or address", offset)
      return nil
    }
    var port = fallback.port
    if let portText {
      guard let value = Int(portText), (1...65535).contains(value) else {
        fail("port '\(portText)' must be a number from 1 to 65535", offset + address.count + 1)
        return nil
      }
      port = value
      defaulted.remove(.port)
    }
    let name = port == fallback.port ? address : "\(address):\(port)"
    return InventoryHost(
      name: name, address: address, port: port, user: user, shell: fallback.shell, defaulted: defaulted)
  }
}

extension Substring {
  func trimmingWhitespace() -> Substring {
    var result = self
    while let first = result.first, first.isWhitespace { result = result.dropFirst() }
    while let last = result.last, last.isWhitespace { result = result.dropLast() }
    return result
  }
}
