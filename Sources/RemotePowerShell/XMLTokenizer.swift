/// One piece of XML text: a start tag, an end tag or character data (entities still encoded).
enum XMLToken: Equatable {
  case start(name: String, attributes: [String: String], selfClosing: Bool)
  case end(name: String)
  case text(String)
}

/// A small, lenient XML tokenizer for CLIXML on stderr, which may be mixed with plain text and cut short.
///
/// It needs no libxml2 (FoundationXML) and never fails: anything that is not a well-formed tag is returned as text.
/// Comments, processing instructions and declarations are skipped.
struct XMLTokenizer: Sequence, IteratorProtocol {
  private let scalars: [Unicode.Scalar]
  private var index = 0

  init(_ text: String) {
    scalars = Array(text.unicodeScalars)
  }

  mutating func next() -> XMLToken? {
    while index < scalars.count {
      if scalars[index] == "<", let (token, end) = tag(at: index) {
        index = end
        if let token { return token }
        continue
      }
      var end = index + 1
      while end < scalars.count && scalars[end] != "<" { end += 1 }
      let text = String(String.UnicodeScalarView(scalars[index..<end]))
      index = end
      return .text(text)
    }
    return nil
  }

  /// Reads the tag starting at `start` ("<"); returns the token (nil for skipped markup) and the index after it, or
  /// nil when this "<" does not start well-formed markup.
  private func tag(at start: Int) -> (XMLToken?, Int)? {
    if hasPrefix("<!--", at: start) {
      guard let close = find("-->", from: start + 4) else { return nil }
      return (nil, close + 3)
    }
    guard let close = find(">", from: start + 1) else { return nil }
    var body = String(String.UnicodeScalarView(scalars[(start + 1)..<close]))
    if body.hasPrefix("?") || body.hasPrefix("!") { return (nil, close + 1) }
    if body.hasPrefix("/") {
      let name = body.dropFirst().trimmingWhitespace()
      guard isName(name) else { return nil }
      return (.end(name: name), close + 1)
    }
    let selfClosing = body.hasSuffix("/")
    if selfClosing { body.removeLast() }
    let nameEnd = body.firstIndex(where: { $0.isWhitespace }) ?? body.endIndex
    let name = String(body[..<nameEnd])
    guard isName(name) else { return nil }
    guard let attributes = Self.attributes(body[nameEnd...]) else { return nil }
    return (.start(name: name, attributes: attributes, selfClosing: selfClosing), close + 1)
  }

  private static func attributes(_ text: Substring) -> [String: String]? {
    var result: [String: String] = [:]
    var rest = text
    while true {
      rest = rest.drop(while: { $0.isWhitespace })
      if rest.isEmpty { return result }
      guard let equals = rest.firstIndex(of: "=") else { return nil }
      let name = rest[..<equals].trimmingWhitespace()
      rest = rest[rest.index(after: equals)...].drop(while: { $0.isWhitespace })
      guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
      rest = rest.dropFirst()
      guard let closing = rest.firstIndex(of: quote) else { return nil }
      result[name] = decodeEntities(String(rest[..<closing]))
      rest = rest[rest.index(after: closing)...]
    }
  }

  private func isName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first != "-", first != "." else { return false }
    return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || "0123456789_:.-".unicodeScalars.contains($0) }
  }

  private func hasPrefix(_ prefix: String, at start: Int) -> Bool {
    let wanted = Array(prefix.unicodeScalars)
    guard start + wanted.count <= scalars.count else { return false }
    return Array(scalars[start..<(start + wanted.count)]) == wanted
  }

  private func find(_ needle: String, from start: Int) -> Int? {
    let wanted = Array(needle.unicodeScalars)
    var position = start
    while position + wanted.count <= scalars.count {
      if scalars[position] == wanted[0] && Array(scalars[position..<(position + wanted.count)]) == wanted {
        return position
      }
      // A new "<" before the end of this tag means the tag was not well formed.
      if wanted == [">"] && scalars[position] == "<" { return nil }
      position += 1
    }
    return nil
  }

  /// Replaces the five predefined entities and numeric character references; unknown ones stay as written.
  static func decodeEntities(_ text: String) -> String {
    guard text.contains("&") else { return text }
    var result = ""
    var rest = Substring(text)
    while let ampersand = rest.firstIndex(of: "&") {
      result += rest[..<ampersand]
      let after = rest[rest.index(after: ampersand)...]
      guard let semicolon = after.firstIndex(of: ";"), after.distance(from: after.startIndex, to: semicolon) <= 10
      else {
        result += "&"
        rest = after
        continue
      }
      let entity = after[..<semicolon]
      if let decoded = decodeEntity(entity) {
        result += decoded
      } else {
        result += "&" + entity + ";"
      }
      rest = after[after.index(after: semicolon)...]
    }
    return result + rest
  }

  private static func decodeEntity(_ entity: Substring) -> String? {
    switch entity {
    case "amp": return "&"
    case "lt": return "<"
    case "gt": return ">"
    case "quot": return "\""
    case "apos": return "'"
    default:
      guard entity.hasPrefix("#") else { return nil }
      let digits = entity.dropFirst()
      let value =
        digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
      guard let value, let scalar = Unicode.Scalar(value) else { return nil }
      return String(scalar)
    }
  }
}

extension StringProtocol {
  fileprivate func trimmingWhitespace() -> String {
    String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
  }
}
