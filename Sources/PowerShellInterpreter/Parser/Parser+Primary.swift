import Foundation

extension Parser {
  mutating func parsePrimary() throws -> Expr {
    let start = pos
    let c = char()
    if c == "$" {
      if char(1) == "(" {
        pos += 2
        let statements = try withArgumentsReset { try $0.parseStatementList(closer: ")") }
        guard char() == ")" else {
          throw error("Missing closing ')' in subexpression.", id: "MissingEndParenthesisInSubexpression", at: start)
        }
        pos += 1
        return .subexpression(statements)
      }
      return try parseVariable()
    }
    if c == "@" {
      let next = char(1)
      if next == "(" {
        pos += 2
        let statements = try withArgumentsReset { try $0.parseStatementList(closer: ")") }
        guard char() == ")" else {
          throw error("Missing closing ')' in subexpression.", id: "MissingEndParenthesisInSubexpression", at: start)
        }
        pos += 1
        return .arraySubexpression(statements)
      }
      if next == "{" { return try parseHashtable() }
      if Parser.isSingleQuote(next) || Parser.isDoubleQuote(next) { return try parseHereString() }
      throw unexpectedToken()
    }
    if c == "(" {
      pos += 1
      skipTrivia(newlines: true)
      if char() == ")" {
        throw error("An expression was expected after '('.", id: "ExpectedExpression", incomplete: false)
      }
      let statement = try withArgumentsReset { parser -> Statement in
        let statement = try parser.parseStatement()
        parser.skipTrivia(newlines: true)
        return statement
      }
      guard char() == ")" else {
        if atEnd {
          throw error("Missing closing ')' in expression.", id: "MissingEndParenthesisInExpression")
        }
        throw unexpectedToken()
      }
      pos += 1
      return .paren(statement)
    }
    if Parser.isSingleQuote(c) { return .constant(.string(try parseSingleQuoted())) }
    if Parser.isDoubleQuote(c) {
      pos += 1
      return try parseExpandableContent(terminator: .doubleQuote, hereString: false, start: start)
    }
    if Parser.isDigit(c) || (c == "." && Parser.isDigit(char(1))) {
      // The literal: digits, one '.', an exponent with its sign, then type and multiplier suffixes. A '.' after a
      // suffix or a second '.' starts a member access (`2L.GetType()`, `1.234.GetType()`).
      var end = pos
      let isHex = c == "0" && (char(1) == "x" || char(1) == "X")
      var sawDot = false
      var sawLetter = false
      while end < s.count {
        let scalar = s[end]
        if scalar == "." {
          if isHex || sawDot || sawLetter || (end + 1 < s.count && s[end + 1] == ".") { break }
          sawDot = true
        } else if (scalar == "-" || scalar == "+") && !isHex && end > pos && (s[end - 1] == "e" || s[end - 1] == "E")
          && end + 1 < s.count && Parser.isDigit(s[end + 1])
        {
          // A sign inside an exponent (`1e-5`).
        } else if Parser.isIdentChar(scalar) {
          if !Parser.isDigit(scalar) && !(scalar == "e" || scalar == "E") && !isHex { sawLetter = true }
        } else {
          break
        }
        end += 1
      }
      let token = source.text(pos, end)
      if Parser.isDecimalLiteral(token) { throw decimalLiteralError(token) }
      guard let value = Parser.numberValue(token) else {
        throw error("Unexpected token '\(token)' in expression or statement.", id: "UnexpectedToken", incomplete: false)
      }
      pos = end
      return .constant(value)
    }
    if c == "{" {
      pos += 1
      let body = try withArgumentsReset { try $0.parseScriptBlockBody(closer: "}", start: start + 1) }
      guard char() == "}" else {
        throw error(
          "Missing closing '}' in statement block or type definition.", id: "MissingEndCurlyBrace", at: start,
          incomplete: true)
      }
      let text = source.text(start + 1, pos)
      pos += 1
      return .constant(.scriptBlock(PSScriptBlock(body: body, text: text)))
    }
    throw unexpectedToken()
  }

  mutating func withArgumentsReset<T>(_ body: (inout Parser) throws -> T) throws -> T {
    let saved = commasSeparateArguments
    commasSeparateArguments = false
    defer { commasSeparateArguments = saved }
    return try body(&self)
  }

  /// `$name`, `$scope:name`, `${any name}`, `$_`, `$?`, `$$`, `$^`.
  mutating func parseVariable() throws -> Expr {
    let start = pos
    pos += 1
    let ref = try readVariableName(start: start)
    return .variable(ref, extent(start))
  }

  mutating func readVariableName(start: Int) throws -> VariableRef {
    let c = char()
    if c == "{" {
      pos += 1
      let nameStart = pos
      while pos < s.count && s[pos] != "}" { pos += 1 }
      guard !atEnd else {
        throw error("Missing '}' in variable reference.", id: "IncompleteDollarVariableReference", at: start)
      }
      let name = source.text(nameStart, pos)
      pos += 1
      return Parser.splitScope(name)
    }
    if c == "?" || c == "$" || c == "^" {
      pos += 1
      return VariableRef(scope: nil, name: String(c))
    }
    guard Parser.isIdentChar(c) else {
      throw error(
        "Variable reference is not valid. '$' was not followed by a valid variable name character. Consider using ${} to delimit the name.",
        id: "InvalidVariableReference", at: start, incomplete: false)
    }
    var name = readIdentifier()
    if char() == ":" && char(1) != ":" {
      if Parser.isIdentChar(char(1)) {
        pos += 1
        let rest = readIdentifier()
        return VariableRef(scope: name.lowercased(), name: rest)
      }
      if char(1) == "{" {
        pos += 1
        let inner = try readVariableName(start: start)
        return VariableRef(scope: name.lowercased(), name: inner.name)
      }
      throw error(
        "Variable reference is not valid. ':' was not followed by a valid variable name character. Consider using ${} to delimit the name.",
        id: "InvalidVariableReferenceWithDrive", at: start, incomplete: false)
    }
    if name.isEmpty { name = "_" }
    return VariableRef(scope: nil, name: name)
  }

  static func splitScope(_ name: String) -> VariableRef {
    if let colon = name.firstIndex(of: ":"), colon != name.startIndex {
      return VariableRef(scope: String(name[..<colon]).lowercased(), name: String(name[name.index(after: colon)...]))
    }
    return VariableRef(scope: nil, name: name)
  }

  /// `@{ key = value; ... }`.
  mutating func parseHashtable() throws -> Expr {
    let start = pos
    pos += 2
    var entries: [(key: Expr, value: Statement)] = []
    while true {
      skipTrivia(newlines: true)
      while char() == ";" {
        pos += 1
        skipTrivia(newlines: true)
      }
      if atEnd {
        throw error(
          "Missing closing '}' in statement block or type definition.", id: "MissingEndCurlyBrace", at: start + 1,
          incomplete: true)
      }
      if char() == "}" {
        pos += 1
        return .hashtable(entries, extent(start))
      }
      let key: Expr
      if Parser.isIdentStart(char()) {
        var end = pos
        while end < s.count && (Parser.isIdentChar(s[end]) || Parser.isDash(s[end]) || s[end] == ".") { end += 1 }
        key = .constant(.string(source.text(pos, end)))
        pos = end
      } else {
        key = try withArgumentsReset { try $0.parseUnary() }
      }
      skipTrivia(newlines: false)
      guard char() == "=" else {
        throw error("Missing '=' operator after key in hash literal.", id: "MissingEqualsInHashLiteral")
      }
      pos += 1
      skipTrivia(newlines: true)
      if char() == "}" || char() == ";" || atEnd {
        throw error("Missing statement after '=' in hash literal.", id: "MissingStatementInHashLiteral")
      }
      let value = try withArgumentsReset { try $0.parseStatement() }
      entries.append((key, value))
      skipTrivia(newlines: false)
      if !(char() == "}" || char() == ";" || Parser.isNewline(char()) || atEnd) {
        throw error("The hash literal was incomplete.", id: "IncompleteHashLiteral", incomplete: false)
      }
    }
  }

  /// `'text'` where `''` (or a doubled look-alike quote) is a literal quote.
  mutating func parseSingleQuoted() throws -> String {
    let start = pos
    pos += 1
    var result = String.UnicodeScalarView()
    while true {
      guard pos < s.count else {
        throw error(
          "The string is missing the terminator: '.", id: "TerminatorExpectedAtEndOfString", at: start, incomplete: true
        )
      }
      let c = s[pos]
      if Parser.isSingleQuote(c) {
        if pos + 1 < s.count && Parser.isSingleQuote(s[pos + 1]) {
          result.append(s[pos + 1])
          pos += 2
          continue
        }
        pos += 1
        return String(result)
      }
      result.append(c)
      pos += 1
    }
  }

  enum StringTerminator { case doubleQuote }

  /// The body of an expandable string (after the opening quote), a here-string body, or a bareword with `$`.
  mutating func parseExpandableContent(terminator: StringTerminator?, hereString: Bool, start: Int) throws -> Expr {
    var parts: [StringPart] = []
    var literal = String.UnicodeScalarView()
    func flush() {
      if !literal.isEmpty {
        parts.append(.literal(String(literal)))
        literal = String.UnicodeScalarView()
      }
    }
    while true {
      if pos >= s.count {
        if terminator == nil { break }
        throw error(
          "The string is missing the terminator: \".", id: "TerminatorExpectedAtEndOfString", at: start,
          incomplete: true)
      }
      let c = s[pos]
      if terminator == .doubleQuote && Parser.isDoubleQuote(c) {
        if pos + 1 < s.count && Parser.isDoubleQuote(s[pos + 1]) {
          literal.append(s[pos + 1])
          pos += 2
          continue
        }
        pos += 1
        break
      }
      if c == "`" && pos + 1 < s.count {
        let next = s[pos + 1]
        pos += 2
        switch next {
        case "0": literal.append("\0")
        case "a": literal.append("\u{07}")
        case "b": literal.append("\u{08}")
        case "f": literal.append("\u{0C}")
        case "n": literal.append("\n")
        case "r": literal.append("\r")
        case "t": literal.append("\t")
        case "v": literal.append("\u{0B}")
        case "e": literal.append("e")
        default: literal.append(next)
        }
        continue
      }
      if c == "$" && pos + 1 < s.count {
        let next = s[pos + 1]
        if next == "(" {
          flush()
          let open = pos
          pos += 2
          let statements = try withArgumentsReset { try $0.parseStatementList(closer: ")") }
          guard char() == ")" else {
            throw error("Missing closing ')' in subexpression.", id: "MissingEndParenthesisInSubexpression", at: open)
          }
          pos += 1
          parts.append(.subexpression(statements))
          continue
        }
        if next == "{" || Parser.isIdentChar(next) || next == "?" || next == "$" || next == "^" {
          flush()
          let open = pos
          pos += 1
          let ref = try readVariableName(start: open)
          parts.append(.variable(ref))
          continue
        }
      }
      literal.append(c)
      pos += 1
    }
    flush()
    if parts.isEmpty { return .constant(.string("")) }
    if parts.count == 1, case .literal(let text) = parts[0] { return .constant(.string(text)) }
    return .expandableString(parts)
  }

  /// `@' ... '@` and `@" ... "@`: the opening quote must end its line and the closing one start a line.
  mutating func parseHereString() throws -> Expr {
    let start = pos
    let expandable = Parser.isDoubleQuote(char(1))
    pos += 2
    while pos < s.count && Parser.isSpace(s[pos]) { pos += 1 }
    guard pos < s.count, Parser.isNewline(s[pos]) else {
      throw error(
        "No characters are allowed after a here-string header but before the end of the line.",
        id: "UnexpectedCharactersAfterHereStringHeader", incomplete: false)
    }
    if s[pos] == "\r" { pos += 1 }
    if pos < s.count && s[pos] == "\n" { pos += 1 }
    let bodyStart = pos
    var bodyEnd = -1
    var scan = pos
    while scan < s.count {
      // A line starting with the closing quote followed by @ ends the here-string.
      let lineStart = scan == bodyStart || (scan > 0 && s[scan - 1] == "\n")
      if lineStart {
        let quoteOk = expandable ? Parser.isDoubleQuote(s[scan]) : Parser.isSingleQuote(s[scan])
        if quoteOk && scan + 1 < s.count && s[scan + 1] == "@" {
          bodyEnd = scan
          break
        }
      }
      scan += 1
    }
    guard bodyEnd >= 0 else {
      throw error(
        "The string is missing the terminator: \(expandable ? "\"" : "'")@.", id: "TerminatorExpectedAtEndOfString",
        at: start, incomplete: true)
    }
    var contentEnd = bodyEnd
    if contentEnd > bodyStart && s[contentEnd - 1] == "\n" { contentEnd -= 1 }
    if contentEnd > bodyStart && s[contentEnd - 1] == "\r" { contentEnd -= 1 }
    if contentEnd < bodyStart { contentEnd = bodyStart }
    let result: Expr
    if expandable {
      var sub = Parser(source.text(bodyStart, contentEnd))
      result = try sub.parseExpandableContent(terminator: nil, hereString: true, start: 0)
    } else {
      result = .constant(.string(source.text(bodyStart, contentEnd)))
    }
    pos = bodyEnd + 2
    return result
  }

  /// The value of a numeric literal (`42`, `0x1F`, `1.5`, `1e3`, `10L`, `1MB`), nil when the token is not a number.
  /// True for a literal 5.1 types as System.Decimal: `d`-suffixed (`1d`, `1.5d`, `2dkb`), or an integer too large
  /// for Int64 that Decimal holds (`9223372036854775808`).
  static func isDecimalLiteral(_ token: String) -> Bool {
    var text = token.lowercased()
    if text.hasPrefix("-") { text.removeFirst() }
    if text.hasPrefix("0x") { return false }
    if !text.isEmpty && text.unicodeScalars.allSatisfy({ isDigit($0) }) && Int64(text) == nil {
      let digits = String(text.drop { $0 == "0" })
      let decimalMax = "79228162514264337593543950335"
      return digits.count < decimalMax.count || (digits.count == decimalMax.count && digits <= decimalMax)
    }
    for suffix in ["kb", "mb", "gb", "tb", "pb"] where text.hasSuffix(suffix) {
      text.removeLast(2)
      break
    }
    guard text.hasSuffix("d") else { return false }
    text.removeLast()
    return !text.isEmpty && numberValue(text) != nil
  }

  func decimalLiteralError(_ token: String) -> PSParseError {
    error(
      "WinLab does not model System.Decimal, so not the literal '\(token)'; write a Double (no 'd' suffix).",
      id: "NotModelled", incomplete: false)
  }

  static func numberValue(_ token: String) -> PSValue? {
    var text = token.lowercased()
    if text.isEmpty { return nil }
    var negative = false
    if text.hasPrefix("-") {
      negative = true
      text.removeFirst()
    }
    var multiplier: Int64 = 1
    for (suffix, factor) in [
      ("kb", Int64(1) << 10), ("mb", Int64(1) << 20), ("gb", Int64(1) << 30), ("tb", Int64(1) << 40),
      ("pb", Int64(1) << 50),
    ]
    where text.hasSuffix(suffix) {
      multiplier = factor
      text.removeLast(2)
      break
    }
    var forceLong = false
    if text.hasPrefix("0x") {
      var digits = String(text.dropFirst(2))
      if digits.hasSuffix("l") {
        forceLong = true
        digits.removeLast()
      }
      guard !digits.isEmpty, digits.count <= 16, let raw = UInt64(digits, radix: 16) else { return nil }
      var value: Int64
      if digits.count <= 8 && !forceLong {
        value = Int64(Int32(bitPattern: UInt32(raw)))
      } else {
        value = Int64(bitPattern: raw)
      }
      value = (negative ? -value : value) * multiplier
      if !forceLong, let small = Int32(exactly: value) { return .int(small) }
      return .long(value)
    }
    if text.hasSuffix("l") {
      forceLong = true
      text.removeLast()
    } else if text.hasSuffix("d") {
      // System.Decimal is not modelled: the parser reports such a literal (isDecimalLiteral).
      return nil
    }
    guard let first = text.unicodeScalars.first, isDigit(first) || first == "." else { return nil }
    guard text.unicodeScalars.allSatisfy({ isDigit($0) || $0 == "." || $0 == "e" || $0 == "+" || $0 == "-" }) else {
      return nil
    }
    let isReal = text.contains(".") || text.contains("e")
    if !isReal, let integer = Int64(text) {
      let (value, overflow) = integer.multipliedReportingOverflow(by: multiplier)
      if overflow { return .double(Double(integer) * Double(multiplier) * (negative ? -1 : 1)) }
      let signed = negative ? -value : value
      if !forceLong, let small = Int32(exactly: signed) { return .int(small) }
      return .long(signed)
    }
    guard let real = Double(text) else { return nil }
    let value = real * Double(multiplier) * (negative ? -1 : 1)
    if forceLong {
      return .long(Int64(value.rounded()))
    }
    return .double(value)
  }
}
