/// A minimal JSON writer with fixed key order and two-space indentation, so reports are byte-for-byte deterministic
/// (Foundation's encoders do not promise key order or number spelling across platforms).
enum JSONNode {
  case null
  case bool(Bool)
  case int(Int)
  /// A number that may have a fraction; whole values are written without one.
  case number(Double)
  case string(String)
  case array([JSONNode])
  case object([(String, JSONNode)])

  static func optional(_ text: String?) -> JSONNode {
    text.map(JSONNode.string) ?? .null
  }

  func rendered(indent: String = "") -> String {
    let inner = indent + "  "
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .int(let value): return String(value)
    case .number(let value):
      guard value.isFinite else { return "null" }
      if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
      return String(value)
    case .string(let text): return Self.quote(text)
    case .array(let items):
      if items.isEmpty { return "[]" }
      return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    case .object(let pairs):
      if pairs.isEmpty { return "{}" }
      return "{\n"
        + pairs.map { inner + Self.quote($0.0) + ": " + $0.1.rendered(indent: inner) }.joined(separator: ",\n")
        + "\n\(indent)}"
    }
  }

  static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case let s where s.value < 0x20:
        let hex = String(s.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}

extension JSONNode {
  /// A fact value as JSON, numbers as numbers.
  init(_ value: FactValue) {
    switch value {
    case .null: self = .null
    case .bool(let flag): self = .bool(flag)
    case .int(let number): self = .int(Int(number))
    case .double(let number): self = .number(number)
    case .string(let text): self = .string(text)
    case .array(let items): self = .array(items.map(JSONNode.init))
    case .object(let pairs): self = .object(pairs.map { ($0.key, JSONNode($0.value)) })
    }
  }
}
