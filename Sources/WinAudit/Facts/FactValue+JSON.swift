import Foundation

extension FactValue {
  /// Parses JSON text the way Windows PowerShell 5.1 prints it: a leading byte-order mark is ignored, and numbers keep
  /// their integer-ness when they have no fraction or exponent.
  static func parseJSON(_ text: String) throws(FactsDecodingError) -> FactValue {
    try parseJSON(Array(text.utf8))
  }

  /// Parses JSON from its UTF-8 bytes.
  static func parseJSON(_ bytes: [UInt8]) throws(FactsDecodingError) -> FactValue {
    var scanner = JSONScanner(bytes)
    return try scanner.document()
  }
}

/// Why the collector's output could not be read as a facts document.
struct FactsDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
  var message: String

  init(_ message: String) {
    self.message = message
  }

  var description: String { message }
}

/// A small strict JSON reader that preserves object order and integer-ness (Foundation's JSONSerialization does
/// neither portably), so facts print in the order the collector wrote them and `3389` never becomes `3389.0`.
struct JSONScanner {
  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  mutating func document() throws(FactsDecodingError) -> FactValue {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    skipWhitespace()
    let value = try parseValue(depth: 0)
    skipWhitespace()
    guard index == bytes.count else { throw fail("unexpected text after the JSON document") }
    return value
  }

  private func fail(_ message: String) -> FactsDecodingError {
    FactsDecodingError("invalid JSON at byte \(index): \(message)")
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func parseValue(depth: Int) throws(FactsDecodingError) -> FactValue {
    guard depth < 64 else { throw fail("nested too deeply") }
    guard index < bytes.count else { throw fail("unexpected end of input") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectWord("null"); return .null
    default: return try parseNumber()
    }
  }

  private mutating func expectWord(_ word: String) throws(FactsDecodingError) {
    let expected = Array(word.utf8)
    guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
      throw fail("expected \(word)")
    }
    index += expected.count
  }

  private mutating func parseObject(depth: Int) throws(FactsDecodingError) -> FactValue {
    index += 1
    var pairs: [FactValue.FactPair] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(pairs)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
      index += 1
      skipWhitespace()
      pairs.append(FactValue.FactPair(key, try parseValue(depth: depth + 1)))
      skipWhitespace()
      guard index < bytes.count else { throw fail("unterminated object") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
      index += 1
      return .object(pairs)
    }
  }

  private mutating func parseArray(depth: Int) throws(FactsDecodingError) -> FactValue {
    index += 1
    var items: [FactValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      guard index < bytes.count else { throw fail("unterminated array") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
      index += 1
      return .array(items)
    }
  }

  private mutating func parseString() throws(FactsDecodingError) -> String {
    index += 1
    // Runs of plain bytes are decoded whole; only escapes are handled one by one.
    var text = ""
    var start = index
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        text += String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") {
        text += String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        guard index < bytes.count else { break }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): text.unicodeScalars.append("\"")
        case UInt8(ascii: "\\"): text.unicodeScalars.append("\\")
        case UInt8(ascii: "/"): text.unicodeScalars.append("/")
        case UInt8(ascii: "b"): text.unicodeScalars.append("\u{08}")
        case UInt8(ascii: "f"): text.unicodeScalars.append("\u{0C}")
        case UInt8(ascii: "n"): text.unicodeScalars.append("\n")
        case UInt8(ascii: "r"): text.unicodeScalars.append("\r")
        case UInt8(ascii: "t"): text.unicodeScalars.append("\t")
        case UInt8(ascii: "u"):
          var code = try hex4()
          if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
          {
            index += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
          }
          text.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        default: throw fail("unknown escape")
        }
        start = index
        continue
      }
      index += 1
    }
    throw fail("unterminated string")
  }

  private mutating func hex4() throws(FactsDecodingError) -> UInt32 {
    guard index + 4 <= bytes.count,
      let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
    else { throw fail("bad \\u escape") }
    index += 4
    return code
  }

  private mutating func parseNumber() throws(FactsDecodingError) -> FactValue {
    let start = index
    var isInteger = true
    while index < bytes.count {
      let byte = bytes[index]
      if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: "+")
      {
        index += 1
      } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
        isInteger = false
        index += 1
      } else {
        break
      }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard !text.isEmpty else { throw fail("unexpected character") }
    if isInteger, let value = Int64(text) { return .int(value) }
    guard let value = Double(text) else { throw fail("bad number '\(text)'") }
    return .double(value)
  }
}
