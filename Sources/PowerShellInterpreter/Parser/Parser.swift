import Foundation

/// A hand-written parser for the PowerShell subset, working directly on the script's scalars because PowerShell's
/// tokenization depends on the mode (expression vs command arguments).
struct Parser {
  let source: SourceText
  let s: [Unicode.Scalar]
  var pos = 0
  /// Inside a method call's parentheses, where commas separate arguments.
  var commasSeparateArguments = false

  init(_ text: String) {
    source = SourceText(text)
    s = source.scalars
    if pos < s.count && s[pos] == "\u{FEFF}" { pos += 1 }
  }

  /// Parses a whole script (param block, named blocks or statements).
  static func parse(_ text: String) throws -> ScriptBlockAst {
    var parser = Parser(text)
    let block = try parser.parseScriptBlockBody(closer: nil, start: 0)
    return block
  }

  // MARK: characters

  var atEnd: Bool { pos >= s.count }
  func char(_ offset: Int = 0) -> Unicode.Scalar {
    let index = pos + offset
    return index < s.count ? s[index] : "\0"
  }

  static func isSingleQuote(_ c: Unicode.Scalar) -> Bool {
    c == "'" || c == "\u{2018}" || c == "\u{2019}" || c == "\u{201A}" || c == "\u{201B}"
  }
  static func isDoubleQuote(_ c: Unicode.Scalar) -> Bool {
    c == "\"" || c == "\u{201C}" || c == "\u{201D}" || c == "\u{201E}"
  }
  static func isDash(_ c: Unicode.Scalar) -> Bool {
    c == "-" || c == "\u{2013}" || c == "\u{2014}" || c == "\u{2015}"
  }
  static func isSpace(_ c: Unicode.Scalar) -> Bool {
    c == " " || c == "\t" || c == "\u{A0}" || c == "\u{0B}" || c == "\u{0C}" || c == "\u{FEFF}"
  }
  static func isNewline(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == "\r" }
  static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
    c == "_" || c.properties.isAlphabetic
  }
  static func isIdentChar(_ c: Unicode.Scalar) -> Bool {
    c == "_" || c.properties.isAlphabetic || (c >= "0" && c <= "9")
  }
  static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

  /// Skips blanks, comments and line continuations; newlines too when `newlines`.
  mutating func skipTrivia(newlines: Bool) {
    while pos < s.count {
      let c = s[pos]
      if Parser.isSpace(c) {
        pos += 1
      } else if c == "`" && pos + 1 < s.count && Parser.isNewline(s[pos + 1]) {
        pos += 1
        if s[pos] == "\r" { pos += 1 }
        if pos < s.count && s[pos] == "\n" { pos += 1 }
      } else if c == "#" {
        while pos < s.count && !Parser.isNewline(s[pos]) { pos += 1 }
      } else if c == "<" && char(1) == "#" {
        pos += 2
        while pos < s.count && !(s[pos] == "#" && char(1) == ">") { pos += 1 }
        pos = min(s.count, pos + 2)
      } else if newlines && Parser.isNewline(c) {
        pos += 1
      } else {
        return
      }
    }
  }

  func extent(_ start: Int) -> Extent { Extent(source: source, start: start, end: max(start, pos)) }

  // MARK: errors

  func error(_ message: String, id: String, at offset: Int? = nil, incomplete: Bool? = nil) -> PSParseError {
    let where_ = min(offset ?? pos, s.count)
    let (line, column) = source.position(of: where_)
    return PSParseError(
      message: message, errorId: id, line: line, column: column, lineText: source.lineText(line),
      length: 1, isIncomplete: incomplete ?? (where_ >= s.count))
  }

  /// The text of the token at the current position, for "Unexpected token" messages.
  func tokenText() -> String {
    var end = pos
    if end < s.count && "(){}[];,|&".unicodeScalars.contains(s[end]) { return String(s[end]) }
    while end < s.count && !Parser.isSpace(s[end]) && !Parser.isNewline(s[end])
      && !"(){};,|".unicodeScalars.contains(s[end])
    {
      end += 1
    }
    return source.text(pos, max(end, pos + 1))
  }

  func unexpectedToken() -> PSParseError {
    if atEnd { return error("Unexpected end of input.", id: "UnexpectedToken") }
    return error(
      "Unexpected token '\(tokenText())' in expression or statement.", id: "UnexpectedToken", incomplete: false)
  }

  // MARK: words

  /// The bareword at the current position (letters, digits, `_`, `-`), lower-cased, without consuming it.
  func peekWord() -> String {
    var end = pos
    while end < s.count && (Parser.isIdentChar(s[end]) || Parser.isDash(s[end])) { end += 1 }
    return source.text(pos, end).lowercased()
  }

  /// True when the word of `length` scalars at the current position ends at a delimiter.
  func wordEnds(_ length: Int) -> Bool {
    let c = char(length)
    return !(Parser.isIdentChar(c) || Parser.isDash(c) || c == "." || c == "\\" || c == ":")
  }

  mutating func readIdentifier() -> String {
    let start = pos
    while pos < s.count && Parser.isIdentChar(s[pos]) { pos += 1 }
    return source.text(start, pos)
  }
}
