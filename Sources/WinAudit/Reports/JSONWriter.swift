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
    var bytes: [UInt8] = []
    write(into: &bytes, indent: indent.utf8.count)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the UTF-8 rendering to `bytes`, nested `indent` spaces deep: one growing byte buffer, not a string per
  /// node joined into its parent's (a report of a thousand hosts built that way held three copies of itself at once,
  /// and string appends were most of a report's cost).
  func write(into bytes: inout [UInt8], indent: Int = 0) {
    switch self {
    case .null: bytes.append(contentsOf: "null".utf8)
    case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
    case .int(let value): bytes.append(contentsOf: String(value).utf8)
    case .number(let value):
      if !value.isFinite {
        bytes.append(contentsOf: "null".utf8)
      } else if value.rounded() == value, abs(value) < 1e15 {
        bytes.append(contentsOf: String(Int64(value)).utf8)
      } else {
        bytes.append(contentsOf: String(value).utf8)
      }
    case .string(let value): Self.quote(value, into: &bytes)
    case .array(let items):
      guard !items.isEmpty else {
        bytes.append(contentsOf: "[]".utf8)
        return
      }
      bytes.append(contentsOf: "[\n".utf8)
      for (index, item) in items.enumerated() {
        if index > 0 { bytes.append(contentsOf: ",\n".utf8) }
        Self.pad(&bytes, indent + 2)
        item.write(into: &bytes, indent: indent + 2)
      }
      bytes.append(UInt8(ascii: "\n"))
      Self.pad(&bytes, indent)
      bytes.append(UInt8(ascii: "]"))
    case .object(let pairs):
      guard !pairs.isEmpty else {
        bytes.append(contentsOf: "{}".utf8)
        return
      }
      bytes.append(contentsOf: "{\n".utf8)
      for (index, (key, value)) in pairs.enumerated() {
        if index > 0 { bytes.append(contentsOf: ",\n".utf8) }
        Self.pad(&bytes, indent + 2)
        Self.quote(key, into: &bytes)
        bytes.append(contentsOf: ": ".utf8)
        value.write(into: &bytes, indent: indent + 2)
      }
      bytes.append(UInt8(ascii: "\n"))
      Self.pad(&bytes, indent)
      bytes.append(UInt8(ascii: "}"))
    }
  }

  private static func pad(_ bytes: inout [UInt8], _ count: Int) {
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
  }

  static func quote(_ text: String) -> String {
    var bytes: [UInt8] = []
    quote(text, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `text` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or `\u00XX`,
  /// everything else as it is (every escaped character is ASCII, so the UTF-8 bytes are copied as they are).
  static func quote(_ text: String, into bytes: inout [UInt8]) {
    var text = text
    bytes.append(UInt8(ascii: "\""))
    text.withUTF8 { utf8 in
      // Most strings need no escape: copied whole.
      guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
        bytes.append(contentsOf: utf8)
        return
      }
      for byte in utf8 {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
        case UInt8(ascii: "\n"): bytes.append(contentsOf: "\\n".utf8)
        case UInt8(ascii: "\r"): bytes.append(contentsOf: "\\r".utf8)
        case UInt8(ascii: "\t"): bytes.append(contentsOf: "\\t".utf8)
        case ..<0x20:
          let hex = String(byte, radix: 16)
          bytes.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        default: bytes.append(byte)
        }
      }
    }
    bytes.append(UInt8(ascii: "\""))
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
