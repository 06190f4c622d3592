import Yams

/// A strict reader over a composed YAML tree that records a `Diagnostic` (with the node's line and column) for every
/// wrong type, unknown key or missing key instead of throwing, so one pass reports every problem in a file.
///
/// Inventories and playbooks are read through this type rather than `Decodable`, because `Decodable` loses the
/// position of a problem and stops at the first one.
final class YAMLReader {
  let file: String
  private(set) var diagnostics: [Diagnostic] = []

  init(file: String) {
    self.file = file
  }

  /// Yams' default implicit tags without timestamps and `=`: nothing winaudit reads is either (a date such as a
  /// waiver's `expires` is read as text either way), and Yams runs every rule's regular expression on every plain
  /// scalar each time its tag is asked for, the timestamp one the costliest (YAML was most of a run's start-up).
  static let resolver = Resolver.default.removing(.timestamp).removing(.value)

  /// Composes `text` into a node tree; a syntax error becomes a diagnostic and the result is nil.
  func compose(_ text: String) -> Node? {
    do {
      guard let node = try Yams.compose(yaml: text, Self.resolver) else {
        report("the file is empty", line: 1, column: 1)
        return nil
      }
      return node
    } catch let error as YamlError {
      record(error)
      return nil
    } catch {
      report("cannot read YAML: \(error)", line: 1, column: 1)
      return nil
    }
  }

  private func record(_ error: YamlError) {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = context.map { "\($0.text), " } ?? ""
      report("YAML syntax error: \(detail)\(problem)", line: mark.line, column: mark.column)
    case .duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
      report(
        "duplicate key \(keys) in the same mapping: keep only one", line: context.mark.line,
        column: context.mark.column)
    case .reader(let problem, _, _, _):
      report("cannot read the file as UTF-8 text: \(problem)", line: 1, column: 1)
    default:
      report("cannot read YAML: \(error)", line: 1, column: 1)
    }
  }

  // MARK: Reporting

  func report(_ message: String, line: Int, column: Int) {
    diagnostics.append(Diagnostic(file: file, line: line, column: column, message: message))
  }

  func report(_ message: String, at node: Node?) {
    report(message, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0)
  }

  // MARK: Typed access

  /// A mapping's entries in file order, keyed by their string keys, after rejecting unknown keys.
  struct Mapping {
    var node: Node
    var entries: [(key: String, keyNode: Node, value: Node)]

    subscript(key: String) -> Node? {
      entries.first { $0.key == key }?.value
    }

    func keyNode(_ key: String) -> Node? {
      entries.first { $0.key == key }?.keyNode
    }
  }

  /// Reads a mapping whose keys must all be in `allowed`; `required` keys must be present.
  func mapping(_ node: Node, _ what: String, allowed: [String]? = nil, required: [String] = []) -> Mapping? {
    guard case .mapping(let map) = node else {
      report("\(what) must be a mapping (key: value lines), found \(describe(node))", at: node)
      return nil
    }
    var entries: [(key: String, keyNode: Node, value: Node)] = []
    for (keyNode, value) in map {
      guard case .scalar(let scalar) = keyNode else {
        report("\(what) has a key that is not a plain name", at: keyNode)
        continue
      }
      let key = scalar.string
      if let allowed, !allowed.contains(key) {
        report(unknownKeyMessage(key, in: what, allowed: allowed), at: keyNode)
        continue
      }
      entries.append((key, keyNode, value))
    }
    for key in required where !entries.contains(where: { $0.key == key }) {
      report("\(what) is missing the required key '\(key)'", at: node)
    }
    return Mapping(node: node, entries: entries)
  }

  func sequence(_ node: Node, _ what: String) -> [Node]? {
    guard case .sequence(let seq) = node else {
      report("\(what) must be a list, found \(describe(node))", at: node)
      return nil
    }
    return Array(seq)
  }

  /// A non-empty scalar read as text; numbers are accepted as their spelling (a host may be called `2019`).
  func string(_ node: Node, _ what: String) -> String? {
    guard case .scalar(let scalar) = node, scalar.tagName != .null else {
      report("\(what) must be text, found \(describe(node))", at: node)
      return nil
    }
    if scalar.tagName == .bool {
      report("\(what) must be text, found the boolean '\(scalar.string)': quote it if you mean the text", at: node)
      return nil
    }
    return scalar.string
  }

  func int(_ node: Node, _ what: String, range: ClosedRange<Int>? = nil) -> Int? {
    guard case .scalar(let scalar) = node, scalar.tagName == .int, let value = node.int else {
      report("\(what) must be a whole number, found \(describe(node))", at: node)
      return nil
    }
    if let range, !range.contains(value) {
      report("\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)", at: node)
      return nil
    }
    return value
  }

  func double(_ node: Node, _ what: String) -> Double? {
    guard case .scalar(let scalar) = node, scalar.tagName == .int || scalar.tagName == .float,
      let value = node.float ?? node.int.map(Double.init)
    else {
      report("\(what) must be a number, found \(describe(node))", at: node)
      return nil
    }
    return value
  }

  func bool(_ node: Node, _ what: String) -> Bool? {
    guard case .scalar(let scalar) = node, scalar.tagName == .bool, let value = node.bool else {
      report("\(what) must be true or false, found \(describe(node))", at: node)
      return nil
    }
    return value
  }

  /// A list of texts; a single text is accepted as a one-element list (`tags: lab`).
  func stringList(_ node: Node, _ what: String) -> [String]? {
    if case .scalar = node {
      return string(node, what).map { [$0] }
    }
    guard let items = sequence(node, what) else { return nil }
    var result: [String] = []
    for item in items {
      if let text = string(item, "each entry of \(what)") {
        result.append(text)
      }
    }
    return result
  }

  /// A short description of what a node is, for "found ..." in messages.
  func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar):
      switch scalar.tagName {
      case .null: return "nothing (an empty value)"
      case .bool: return "the boolean '\(scalar.string)'"
      case .int, .float: return "the number '\(scalar.string)'"
      default: return "the text '\(scalar.string)'"
      }
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }

  private func unknownKeyMessage(_ key: String, in what: String, allowed: [String]) -> String {
    var message = "unknown key '\(key)' in \(what)"
    if let suggestion = closest(to: key, in: allowed) {
      message += "; did you mean '\(suggestion)'?"
    }
    message += (message.hasSuffix("?") ? " " : ". ") + "Allowed keys: \(allowed.joined(separator: ", "))"
    return message
  }

  private func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
  }

  private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}

extension Node.Scalar {
  /// The resolved tag's name (`Tag.name` is internal to Yams, its description is the name; `Node.tag` resolves
  /// implicit tags, `Scalar.tag` does not).
  var tagName: Tag.Name { Tag.Name(rawValue: Node.scalar(self).tag.description) }
}
