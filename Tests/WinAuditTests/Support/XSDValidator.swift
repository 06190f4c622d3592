import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A validator for the part of XML Schema that the Jenkins/Ant `junit-10.xsd` uses (References/junit-10.xsd): global
/// and local elements, `ref`, named and inline complex types with `mixed`, `sequence` and `choice` with `minOccurs` /
/// `maxOccurs`, attributes with `use="required"`, `xs:string` and pattern-restricted simple types. Anything else in
/// a schema is refused, so a schema it cannot fully check never passes silently. It needs nothing installed.
struct XSDValidator {
  /// A parsed XML element: name, attributes, children and its own text.
  final class Node {
    let name: String
    let attributes: [String: String]
    var children: [Node] = []
    var text = ""
    init(name: String, attributes: [String: String]) {
      self.name = name
      self.attributes = attributes
    }
  }

  indirect enum Particle {
    case element(name: String, local: Node?, min: Int, max: Int)
    case sequence([Particle], min: Int, max: Int)
    case choice([Particle], min: Int, max: Int)
  }

  struct ComplexType {
    var mixed: Bool
    var content: Particle?
    var attributes: [String: (type: String, required: Bool)]
  }

  struct SchemaError: Error, CustomStringConvertible {
    var description: String
  }

  private var elements: [String: Node] = [:]
  private var complexTypes: [String: Node] = [:]
  private var patterns: [String: NSRegularExpression] = [:]

  init(schema: Data) throws {
    let root = try Self.parse(schema)
    guard root.name == "xs:schema" else { throw SchemaError(description: "not an xs:schema") }
    for child in root.children {
      switch child.name {
      case "xs:element": elements[child.attributes["name"] ?? ""] = child
      case "xs:complexType": complexTypes[child.attributes["name"] ?? ""] = child
      case "xs:simpleType":
        guard let restriction = child.children.first, restriction.name == "xs:restriction",
          restriction.attributes["base"] == "xs:string", let pattern = restriction.children.first,
          pattern.name == "xs:pattern", let value = pattern.attributes["value"]
        else { throw SchemaError(description: "unsupported simple type \(child.attributes)") }
        patterns[child.attributes["name"] ?? ""] = try NSRegularExpression(pattern: "^(?:" + value + ")$")
      case "xs:annotation": break
      default: throw SchemaError(description: "unsupported schema construct \(child.name)")
      }
    }
  }

  /// Every way `document` breaks the schema; empty when it is valid.
  func problems(in document: Data) throws -> [String] {
    let root = try Self.parse(document)
    guard let declaration = elements[root.name] else { return ["root element <\(root.name)> is not declared"] }
    var problems: [String] = []
    try validate(root, against: declaration, path: root.name, into: &problems)
    return problems
  }

  private func validate(_ node: Node, against declaration: Node, path: String, into problems: inout [String]) throws {
    if let type = declaration.attributes["type"] {
      if type == "xs:string" {
        if !node.children.isEmpty { problems.append("\(path): <\(node.name)> may only hold text") }
        if !node.attributes.isEmpty { problems.append("\(path): <\(node.name)> takes no attributes") }
        return
      }
      guard let named = complexTypes[type] else { throw SchemaError(description: "unknown type \(type)") }
      return try validate(node, type: try complexType(named), path: path, into: &problems)
    }
    guard let inline = declaration.children.first(where: { $0.name == "xs:complexType" }) else {
      throw SchemaError(description: "element \(declaration.attributes) has no type")
    }
    try validate(node, type: try complexType(inline), path: path, into: &problems)
  }

  private func validate(_ node: Node, type: ComplexType, path: String, into problems: inout [String]) throws {
    for (name, value) in node.attributes.sorted(by: { $0.key < $1.key }) {
      guard let attribute = type.attributes[name] else {
        problems.append("\(path): attribute '\(name)' is not allowed")
        continue
      }
      if let pattern = patterns[attribute.type],
        pattern.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) == nil
      {
        problems.append("\(path): attribute '\(name)'='\(value)' does not match \(attribute.type)")
      }
    }
    for (name, attribute) in type.attributes where attribute.required && node.attributes[name] == nil {
      problems.append("\(path): required attribute '\(name)' is missing")
    }
    if !type.mixed, !node.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      problems.append("\(path): <\(node.name)> may not hold text")
    }
    let names = node.children.map(\.name)
    let matched = type.content.map { ends($0, names, 0).contains(names.count) } ?? names.isEmpty
    if !matched {
      problems.append("\(path): children \(names) do not match the content model of <\(node.name)>")
      return
    }
    for (index, child) in node.children.enumerated() {
      guard let declaration = type.content.flatMap({ declarationOf(child.name, in: $0) }) else { continue }
      try validate(child, against: declaration, path: "\(path)/\(child.name)[\(index)]", into: &problems)
    }
  }

  /// The declaration an element name resolves to inside a content model (a local element or a global one by ref).
  private func declarationOf(_ name: String, in particle: Particle) -> Node? {
    switch particle {
    case .element(let element, let local, _, _):
      return element == name ? (local ?? elements[name]) : nil
    case .sequence(let items, _, _), .choice(let items, _, _):
      return items.lazy.compactMap { declarationOf(name, in: $0) }.first
    }
  }

  private func complexType(_ node: Node) throws -> ComplexType {
    var type = ComplexType(mixed: node.attributes["mixed"] == "true", content: nil, attributes: [:])
    for child in node.children {
      switch child.name {
      case "xs:sequence", "xs:choice": type.content = try particle(child)
      case "xs:attribute":
        type.attributes[child.attributes["name"] ?? ""] = (
          child.attributes["type"] ?? "xs:string", child.attributes["use"] == "required"
        )
      default: throw SchemaError(description: "unsupported complex type content \(child.name)")
      }
    }
    return type
  }

  private func particle(_ node: Node) throws -> Particle {
    let min = Int(node.attributes["minOccurs"] ?? "1") ?? 1
    let max = node.attributes["maxOccurs"] == "unbounded" ? Int.max : Int(node.attributes["maxOccurs"] ?? "1") ?? 1
    switch node.name {
    case "xs:element":
      if let ref = node.attributes["ref"] { return .element(name: ref, local: nil, min: min, max: max) }
      return .element(name: node.attributes["name"] ?? "", local: node, min: min, max: max)
    case "xs:sequence": return .sequence(try node.children.map(particle), min: min, max: max)
    case "xs:choice": return .choice(try node.children.map(particle), min: min, max: max)
    default: throw SchemaError(description: "unsupported particle \(node.name)")
    }
  }

  /// The positions after matching `particle` (with its repetitions) from `start`.
  private func ends(_ particle: Particle, _ names: [String], _ start: Int) -> Set<Int> {
    let (min, max): (Int, Int) =
      switch particle {
      case .element(_, _, let min, let max), .sequence(_, let min, let max), .choice(_, let min, let max): (min, max)
      }
    var result: Set<Int> = min == 0 ? [start] : []
    var current: Set<Int> = [start]
    var seen: Set<Int> = [start]
    var count = 0
    while !current.isEmpty, count < max {
      var next = Set<Int>()
      for position in current { next.formUnion(once(particle, names, position)) }
      count += 1
      if count >= min { result.formUnion(next) }
      // A repetition that consumed nothing new cannot lead anywhere new (but still counts toward min above).
      current = count < min ? next : next.subtracting(seen)
      seen.formUnion(next)
      if count >= min && current.isEmpty { break }
    }
    return result
  }

  private func once(_ particle: Particle, _ names: [String], _ start: Int) -> Set<Int> {
    switch particle {
    case .element(let name, _, _, _):
      return start < names.count && names[start] == name ? [start + 1] : []
    case .sequence(let items, _, _):
      return items.reduce(Set([start])) { positions, item in
        positions.reduce(into: Set<Int>()) { $0.formUnion(ends(item, names, $1)) }
      }
    case .choice(let items, _, _):
      return items.reduce(into: Set<Int>()) { $0.formUnion(ends($1, names, start)) }
    }
  }

  /// Parses XML into `Node`s, skipping comments and processing instructions.
  static func parse(_ data: Data) throws -> Node {
    final class Builder: NSObject, XMLParserDelegate {
      var stack: [Node] = []
      var root: Node?
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
      ) {
        let node = Node(name: name, attributes: attributes)
        stack.last?.children.append(node)
        if stack.isEmpty { root = node }
        stack.append(node)
      }
      func parser(
        _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
      ) {
        stack.removeLast()
      }
      func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
      }
    }
    let builder = Builder()
    let parser = XMLParser(data: data)
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else {
      throw SchemaError(description: "not well-formed XML: \(String(describing: parser.parserError))")
    }
    return root
  }
}
