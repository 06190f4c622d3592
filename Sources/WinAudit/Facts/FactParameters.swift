import Yams

/// The parameters of one fact declaration (`<id>: {<kind>: <parameters>}`) as a kind's `parse` sees them: the YAML
/// node and the typed reads that report a problem with file, line and column instead of failing.
struct FactParameters {
  let reader: YAMLReader
  /// The fact's id in the playbook.
  let id: String
  /// What follows the kind's name.
  let node: Node
  /// `fact 'nla' registry`: how messages name the declaration.
  let label: String
  /// Records that this fact reads another one (checked once every fact is declared).
  let addReference: (FactReference) -> Void

  /// No parameters at all: `{}`, an empty value.
  var isEmpty: Bool {
    if case .scalar(let scalar) = node, scalar.tagName == .null { return true }
    if case .mapping(let map) = node, map.isEmpty { return true }
    return false
  }

  /// True for a kind that takes no parameters and got none (`{}`, empty or `true`); reports anything else.
  func parameterless() -> Bool {
    if isEmpty { return true }
    if case .scalar(let scalar) = node, scalar.tagName == .bool, node.bool == true { return true }
    reader.report("\(label) takes no parameters: write '{}'", at: node)
    return false
  }

  /// `kind: value` or `kind: {key: value}`: the one non-empty text parameter.
  func single(key: String) -> String? {
    if case .mapping = node {
      guard let map = reader.mapping(node, label, allowed: [key], required: [key]), let value = map[key] else {
        return nil
      }
      return nonEmpty(value, "\(label).\(key)")
    }
    return nonEmpty(node, label)
  }

  /// The parameters as a mapping with only `allowed` keys and every `required` one.
  func mapping(allowed: [String], required: [String] = []) -> YAMLReader.Mapping? {
    reader.mapping(node, label, allowed: allowed, required: required)
  }

  /// Non-empty text at `node`, named `what` in messages.
  func nonEmpty(_ node: Node, _ what: String) -> String? {
    guard let text = reader.string(node, what) else { return nil }
    if text.isEmpty {
      reader.report("\(what) cannot be empty", at: node)
      return nil
    }
    return text
  }

  func report(_ message: String, at node: Node) {
    reader.report(message, at: node)
  }

  /// Declares that this fact reads fact `id` on the host; `kinds` lists the kinds that fit (nil: any).
  func reads(_ id: String, at node: Node, kinds: [String]?, purpose: String) {
    addReference(FactReference(path: FactPath(fact: id), node: node, kinds: kinds, purpose: purpose))
  }
}

/// A reference to a fact written somewhere in a playbook, checked once every fact is declared: where it is written
/// (for the message) and which kinds of fact fit there.
struct FactReference {
  var path: FactPath
  var node: Node
  /// Kind names that fit; nil means any kind.
  var kinds: [String]?
  /// `control 'x' check.fact`: the place, in words.
  var purpose: String
}
