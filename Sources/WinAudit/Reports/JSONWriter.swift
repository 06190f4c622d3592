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
    var text = ""
    write(into: &text, indent: indent)
    return text
  }

  /// Appends the rendering to `text`: one growing buffer, not a string per node joined into its parent's (a report
  /// of a thousand hosts built that way held three copies of itself at once).
  func write(into text: inout String, indent: String = "") {
    switch self {
    case .null: text += "null"
    case .bool(let value): text += value ? "true" : "false"
    case .int(let value): text += String(value)
    case .number(let value):
      if !value.isFinite {
        text += "null"
      } else if value.rounded() == value, abs(value) < 1e15 {
        text += String(Int64(value))
      } else {
        text += String(value)
      }
    case .string(let value): Self.quote(value, into: &text)
    case .array(let items):
      guard !items.isEmpty else {
        text += "[]"
        return
      }
      let inner = indent + "  "
      text += "[\n"
      for (index, item) in items.enumerated() {
        if index > 0 { text += ",\n" }
        text += inner
        item.write(into: &text, indent: inner)
      }
      text += "\n" + indent + "]"
    case .object(let pairs):
      guard !pairs.isEmpty else {
        text += "{}"
        return
      }
      let inner = indent + "  "
      text += "{\n"
      for (index, (key, value)) in pairs.enumerated() {
        if index > 0 { text += ",\n" }
        text += inner
        Self.quote(key, into: &text)
        text += ": "
        value.write(into: &text, indent: inner)
      }
      text += "\n" + indent + "}"
    }
  }

  static func quote(_ text: String) -> String {
    var result = ""
    quote(text, into: &result)
    return result
  }

  static func quote(_ text: String, into result: inout String) {
    result += "\""
    // Most strings need no escape: append them whole (scalar by scalar was a quarter of a 300-host audit's client
    // instructions, in this function alone).
    let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
      !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }
    if plain == true {
      result += text
      result += "\""
      return
    }
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
    result += "\""
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
