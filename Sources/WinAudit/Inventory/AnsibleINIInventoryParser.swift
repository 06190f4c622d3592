/// An Ansible INI inventory as Ansible reads it: hosts before any section are ungrouped; `[group]` lists hosts
/// (`name[:port] key=value ...`, with ranges such as `web[01:20]`), `[group:vars]` holds `key=value` lines and
/// `[group:children]` names child groups. `#` and `;` start comments.
struct AnsibleINIInventoryParser {
  let file: String
  let folder: String
  let fallback: InventoryLoader.Fallback

  private enum Section {
    case hosts(String?)
    case vars(String)
    case children(String)
  }

  /// A line such as `[web]`, `[web:vars]` or `[web:children]` (not an IPv6 address in brackets, which has `::` or
  /// several colons).
  static func isSectionHeader<S: StringProtocol>(_ line: S) -> Bool {
    guard line.hasPrefix("["), line.hasSuffix("]"), line.count > 2 else { return false }
    let inner = line.dropFirst().dropLast()
    let parts = inner.split(separator: ":", omittingEmptySubsequences: false)
    guard !parts[0].isEmpty, !parts[0].contains(where: { $0.isWhitespace || $0 == "[" || $0 == "]" }) else {
      return false
    }
    return parts.count == 1 || (parts.count == 2 && !parts[1].isEmpty && parts[1].allSatisfy(\.isLetter))
  }

  /// A line with a `key=value` word after the host name, as Ansible INI host lines have.
  static func hasVariable<S: StringProtocol>(_ line: S) -> Bool {
    line.split(whereSeparator: \.isWhitespace).dropFirst().contains { word in
      guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
      return word[..<equals].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
  }

  func parse(_ text: String) throws(DiagnosticsError) -> Inventory {
    var inventory = AnsibleInventory(file: file, folder: folder, fallback: fallback)
    _ = inventory.group("all", line: 0)
    var section = Section.hosts(nil)
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    for (index, raw) in lines.enumerated() {
      let lineNumber = index + 1
      let line = raw.trimmingWhitespace()
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      let column = raw.prefix { $0.isWhitespace }.count + 1
      if line.hasPrefix("[") && !line.contains(where: \.isWhitespace) && line.hasSuffix("]") && !line.contains("::") {
        guard let parsed = header(line, lineNumber, &inventory) else { continue }
        section = parsed
        continue
      }
      let words: [Word]
      switch Self.words(String(line), column: column) {
      case .success(let value): words = value
      case .failure(let problem):
        inventory.report(problem.message, line: lineNumber, column: problem.column)
        continue
      }
      guard let first = words.first else { continue }
      switch section {
      case .hosts(let group):
        hostLine(words, group: group, line: lineNumber, &inventory)
      case .vars(let group):
        // `key=value`, `key = value` or `key= value`: joined back, split at the first `=`.
        let joined = words.map(\.text).joined(separator: " ")
        guard let equals = joined.firstIndex(of: "="),
          case let key = joined[..<equals].trimmingWhitespace(), !key.isEmpty
        else {
          inventory.report(
            "expected 'key=value' in [\(group):vars], found '\(line)'", line: lineNumber, column: first.column)
          continue
        }
        let value = joined[joined.index(after: equals)...].trimmingWhitespace()
        inventory.setGroupVariable(
          group, String(key), AnsibleInventory.Value(text: String(value), line: lineNumber, column: first.column))
      case .children(let group):
        guard words.count == 1, !first.text.contains("=") else {
          inventory.report(
            "expected one group name a line in [\(group):children], found '\(line)'", line: lineNumber,
            column: first.column)
          continue
        }
        if first.text == group || first.text == "all" {
          inventory.report(
            "group '\(group)' cannot have '\(first.text)' as a child", line: lineNumber, column: first.column)
          continue
        }
        inventory.addChild(first.text, to: group, line: lineNumber)
      }
    }
    return try inventory.resolve()
  }

  private func header(_ line: Substring, _ lineNumber: Int, _ inventory: inout AnsibleInventory) -> Section? {
    let inner = line.dropFirst().dropLast()
    let parts = inner.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    let name = parts[0]
    guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
      inventory.report(
        "'\(line)' is not a group name: use letters, digits, '_', '-' and '.'", line: lineNumber, column: 1)
      return nil
    }
    _ = inventory.group(name, line: lineNumber)
    switch parts.count {
    case 1: return .hosts(name)
    case 2 where parts[1] == "vars": return .vars(name)
    case 2 where parts[1] == "children": return .children(name)
    default:
      inventory.report(
        "unknown section '\(line)': a section is [group], [group:vars] or [group:children]", line: lineNumber,
        column: 1)
      return nil
    }
  }

  private func hostLine(_ words: [Word], group: String?, line: Int, _ inventory: inout AnsibleInventory) {
    let pattern = words[0]
    var vars: [String: AnsibleInventory.Value] = [:]
    for word in words.dropFirst() {
      guard let equals = word.text.firstIndex(of: "="), equals != word.text.startIndex else {
        inventory.report(
          "expected 'key=value' after the host name, found '\(word.text)'", line: line, column: word.column)
        return
      }
      let key = String(word.text[..<equals])
      vars[key] = AnsibleInventory.Value(
        text: String(word.text[word.text.index(after: equals)...]), line: line, column: word.column)
    }
    if pattern.text.contains("=") {
      inventory.report(
        "expected a host name before '\(pattern.text)'", line: line, column: pattern.column)
      return
    }
    // `name:port`, as Ansible reads it (an IPv6 address has more than one colon and is taken whole).
    var name = pattern.text
    if let colon = Self.portColon(name) {
      let port = String(name[name.index(after: colon)...])
      guard let number = Int(port), (1...65535).contains(number) else {
        inventory.report(
          "port '\(port)' after '\(name[..<colon])' must be a number from 1 to 65535", line: line,
          column: pattern.column)
        return
      }
      if vars["ansible_port"] == nil {
        vars["ansible_port"] = AnsibleInventory.Value(text: port, line: line, column: pattern.column)
      }
      name = String(name[..<colon])
    }
    switch AnsibleHostRange.expand(name) {
    case .success(let names):
      for host in names { inventory.addHost(host, to: group, vars: vars, line: line, column: pattern.column) }
    case .failure(let problem):
      inventory.report(problem.message, line: line, column: pattern.column)
    }
  }

  /// The colon of `name:port`: the only colon outside a range's brackets (`web[01:09]:2222`); an IPv6 address,
  /// with several, has none.
  static func portColon(_ name: String) -> String.Index? {
    var depth = 0
    var colons: [String.Index] = []
    for index in name.indices {
      switch name[index] {
      case "[": depth += 1
      case "]": depth -= 1
      case ":" where depth == 0: colons.append(index)
      default: break
      }
    }
    return colons.count == 1 ? colons[0] : nil
  }

  struct Word {
    var text: String
    var column: Int
  }

  struct WordProblem: Error {
    var message: String
    var column: Int
  }

  /// Splits a line into words the way Python's shlex does for Ansible: whitespace separates, quotes group (and are
  /// removed), a backslash escapes inside double quotes, `#` at the start of a word starts a comment.
  static func words(_ line: String, column: Int) -> Result<[Word], WordProblem> {
    var words: [Word] = []
    var current = ""
    var started = false
    var start = column
    var quote: Character?
    var quoteColumn = 0
    var escaped = false
    var position = column - 1
    for character in line {
      position += 1
      if let open = quote {
        if escaped {
          current.append(character)
          escaped = false
        } else if character == "\\" && open == "\"" {
          escaped = true
        } else if character == open {
          quote = nil
        } else {
          current.append(character)
        }
        continue
      }
      if character.isWhitespace {
        if started { words.append(Word(text: current, column: start)) }
        current = ""
        started = false
        continue
      }
      if character == "#" && !started { break }
      if !started {
        started = true
        start = position
      }
      if character == "\"" || character == "'" {
        quote = character
        quoteColumn = position
      } else {
        current.append(character)
      }
    }
    if quote != nil {
      return .failure(WordProblem(message: "a quote opened here is not closed on this line", column: quoteColumn))
    }
    if started { words.append(Word(text: current, column: start)) }
    return .success(words)
  }
}
