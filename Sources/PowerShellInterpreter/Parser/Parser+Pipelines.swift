import Foundation

extension Parser {
  static let unaryDashOperators: Set<String> = ["not", "bnot", "split", "join", "isplit", "csplit", "ijoin"]

  /// True when the current position starts an expression (as opposed to a command name).
  func startsExpression() -> Bool {
    let c = char()
    if c == "$" || c == "@" || c == "(" || c == "[" || c == "{" || c == "!" || c == "," { return true }
    if Parser.isSingleQuote(c) || Parser.isDoubleQuote(c) || Parser.isDigit(c) { return true }
    if c == "." && Parser.isDigit(char(1)) { return true }
    if c == "+" && (char(1) == "+" || char(1) == "$" || Parser.isDigit(char(1))) { return true }
    if Parser.isDash(c) {
      let next = char(1)
      if Parser.isDigit(next) || next == "$" || next == "(" || (Parser.isDash(next) && char(2) == "$") { return true }
      // `- 6`, `- $x`, `- -6`: the unary minus operator.
      if Parser.isSpace(next) { return true }
      if next == "." && Parser.isDigit(char(2)) { return true }
      var end = pos + 1
      while end < s.count && Parser.isIdentChar(s[end]) { end += 1 }
      return Parser.unaryDashOperators.contains(source.text(pos + 1, end).lowercased())
    }
    return false
  }

  /// A statement that is a pipeline, or an assignment `target op statement`.
  mutating func parsePipelineStatement() throws -> Statement {
    let start = pos
    if startsExpression() {
      let expression = try parseExpression()
      skipTrivia(newlines: false)
      if let op = assignmentOperator() {
        guard isAssignable(expression) else {
          throw error(
            "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.",
            id: "InvalidLeftHandSide", at: start, incomplete: false)
        }
        pos += op.rawValue.unicodeScalars.count
        skipTrivia(newlines: true)
        if atEnd || char() == ";" || char() == ")" || char() == "}" {
          throw error(
            "You must provide a value expression on the right-hand side of the '\(op.rawValue)' operator.",
            id: "ExpectedValueExpression")
        }
        let value = try parseStatement()
        return .assignment(target: expression, op: op, value: value, extent: extent(start))
      }
      return .pipeline(try continuePipeline(first: expression, start: start))
    }
    return .pipeline(try parsePipeline())
  }

  func isAssignable(_ expression: Expr) -> Bool {
    switch expression {
    case .variable, .member, .index: return true
    case .cast(_, let inner): return isAssignable(inner)
    case .arrayLiteral(let items): return items.allSatisfy { isAssignable($0) }
    default: return false
    }
  }

  func assignmentOperator() -> AssignmentOperator? {
    let c = char()
    if c == "=" { return char(1) == "=" ? nil : .assign }
    guard char(1) == "=" else { return nil }
    switch c {
    case "+": return .add
    case "*": return .multiply
    case "/": return .divide
    case "%": return .remainder
    default: return Parser.isDash(c) ? .subtract : nil
    }
  }

  /// A pipeline; with `allowAssignment`, `$x = ...` is accepted and wrapped as an expression (as in `if ($x = ...)`).
  mutating func parsePipeline(allowAssignment: Bool = false) throws -> PipelineAst {
    let start = pos
    if allowAssignment {
      let statement = try parsePipelineStatement()
      switch statement {
      case .pipeline(let pipeline): return pipeline
      default:
        return PipelineAst(
          elements: [.expression(.paren(statement), redirections: [], extent: extent(start))], extent: extent(start))
      }
    }
    if startsExpression() {
      let expression = try parseExpression()
      return try continuePipeline(first: expression, start: start)
    }
    var elements: [PipelineElement] = [.command(try parseCommand())]
    try parsePipeTail(into: &elements)
    return PipelineAst(elements: elements, extent: extent(start))
  }

  mutating func continuePipeline(first: Expr, start: Int) throws -> PipelineAst {
    skipTrivia(newlines: false)
    let redirections = try parseRedirections()
    var elements: [PipelineElement] = [.expression(first, redirections: redirections, extent: extent(start))]
    try parsePipeTail(into: &elements)
    return PipelineAst(elements: elements, extent: extent(start))
  }

  mutating func parsePipeTail(into elements: inout [PipelineElement]) throws {
    while true {
      skipTrivia(newlines: false)
      guard char() == "|" && char(1) != "|" else { return }
      let bar = pos
      pos += 1
      skipTrivia(newlines: true)
      if atEnd || char() == "|" || char() == ";" || char() == ")" || char() == "}" {
        throw error("An empty pipe element is not allowed.", id: "EmptyPipeElement", at: bar, incomplete: atEnd)
      }
      if startsExpression() {
        throw error(
          "Expressions are only allowed as the first element of a pipeline.", id: "ExpressionsMustBeFirstInPipeline",
          incomplete: false)
      }
      elements.append(.command(try parseCommand()))
    }
  }

  /// Redirections after a pipeline element: `2>$null`, `>$null`, `2>&1`, `*>$null`, `> file`, `>> file`.
  mutating func parseRedirections() throws -> [Redirection] {
    var result: [Redirection] = []
    while true {
      skipTrivia(newlines: false)
      guard let redirection = try parseRedirection() else { return result }
      result.append(redirection)
    }
  }

  mutating func parseRedirection() throws -> Redirection? {
    var stream = 1
    var offset = 0
    let c = char()
    if c == "*" && char(1) == ">" {
      stream = 0
      offset = 1
    } else if Parser.isDigit(c) && char(1) == ">" {
      stream = Int(String(c)) ?? 1
      offset = 1
    } else if c != ">" {
      return nil
    }
    pos += offset + 1
    var append = false
    if char() == ">" {
      append = true
      pos += 1
    }
    if char() == "&" && Parser.isDigit(char(1)) {
      pos += 2
      return Redirection(stream: stream, target: .mergeToOutput)
    }
    skipTrivia(newlines: false)
    if atEnd || Parser.isNewline(char()) || char() == "|" || char() == ";" {
      throw error("Missing file specification after redirection operator.", id: "MissingFileSpecification")
    }
    let target = try parseCommandArgument(allowComma: false)
    if case .variable(let ref, _) = target, ref.scope == nil, ref.name.lowercased() == "null" {
      return Redirection(stream: stream, target: .null)
    }
    return Redirection(stream: stream, target: .file(target, append: append))
  }

  /// A command invocation: name (bareword, `& expr`, `. expr`) and its parameters and arguments.
  mutating func parseCommand() throws -> CommandAst {
    let start = pos
    var invocationOperator: String?
    if char() == "&"
      || (char() == "."
        && (Parser.isSpace(char(1)) || char(1) == "$" || char(1) == "(" || char(1) == "{"
          || Parser.isSingleQuote(char(1)) || Parser.isDoubleQuote(char(1))))
    {
      invocationOperator = String(char())
      pos += 1
      skipTrivia(newlines: false)
    }
    let nameStart = pos
    let name: Expr
    if invocationOperator != nil {
      name = try parseCommandArgument(allowComma: false)
    } else if Parser.isSingleQuote(char()) || Parser.isDoubleQuote(char()) {
      throw unexpectedToken()
    } else {
      let token = readGenericToken()
      if token.isEmpty { throw unexpectedToken() }
      name = .constant(.string(token))
    }
    let nameExtent = extent(nameStart)
    var elements: [CommandElement] = []
    var redirections: [Redirection] = []
    while true {
      skipTrivia(newlines: false)
      let c = char()
      if atEnd || Parser.isNewline(c) || c == ";" || c == "|" || c == ")" || c == "}" { break }
      if c == "&" && char(1) == "&" { throw unexpectedToken() }
      if let redirection = try parseRedirection() {
        redirections.append(redirection)
        continue
      }
      if Parser.isDash(c) && (Parser.isIdentStart(char(1)) || char(1) == "?") {
        let parameterStart = pos
        pos += 1
        let nameBegin = pos
        while pos < s.count && !Parser.isSpace(char()) && !Parser.isNewline(char()) && char() != ":"
          && !"(){};|,".unicodeScalars.contains(char())
        {
          pos += 1
        }
        let parameterName = source.text(nameBegin, pos)
        var argument: Expr?
        if char() == ":" {
          pos += 1
          skipTrivia(newlines: false)
          argument = try parseCommandArgument(allowComma: true)
        }
        elements.append(.parameter(name: parameterName, argument: argument, extent: extent(parameterStart)))
        continue
      }
      if c == "@" && Parser.isIdentStart(char(1)) {
        let splatStart = pos
        pos += 1
        let variable = readIdentifier()
        elements.append(.splat(variable, extent: extent(splatStart)))
        continue
      }
      elements.append(.argument(try parseCommandArgument(allowComma: true)))
    }
    return CommandAst(
      invocationOperator: invocationOperator, name: name, elements: elements, redirections: redirections,
      extent: extent(start), nameExtent: nameExtent)
  }

  /// A bareword in command mode: up to a blank or one of `;|)}(,`; backtick escapes the next character.
  mutating func readGenericToken() -> String {
    var result = ""
    while pos < s.count {
      let c = s[pos]
      if Parser.isSpace(c) || Parser.isNewline(c) || c == ";" || c == "|" || c == ")" || c == "}" || c == ","
        || c == "{"
      {
        break
      }
      if c == "(" && !result.isEmpty && !result.hasSuffix(")") && !result.contains("(") { break }
      if c == "`" && pos + 1 < s.count {
        result.unicodeScalars.append(s[pos + 1])
        pos += 2
        continue
      }
      result.unicodeScalars.append(c)
      pos += 1
    }
    return result
  }

  /// One command argument: an expression with member access (`$a.b`, `(...)`, strings, `@()`), a number or a
  /// bareword; with `allowComma`, `a, b` forms an array.
  mutating func parseCommandArgument(allowComma: Bool) throws -> Expr {
    var items: [Expr] = [try parseSingleCommandArgument()]
    guard allowComma else { return items[0] }
    while true {
      let save = pos
      skipTrivia(newlines: false)
      guard char() == "," else {
        pos = save
        break
      }
      pos += 1
      skipTrivia(newlines: true)
      items.append(try parseSingleCommandArgument())
    }
    return items.count == 1 ? items[0] : .arrayLiteral(items)
  }

  mutating func parseSingleCommandArgument() throws -> Expr {
    let c = char()
    let start = pos
    if c == "$" || c == "(" || c == "{"
      || (c == "@"
        && (char(1) == "(" || char(1) == "{" || Parser.isSingleQuote(char(1)) || Parser.isDoubleQuote(char(1))))
      || Parser.isSingleQuote(c) || Parser.isDoubleQuote(c)
    {
      let expression = try parsePostfix()
      // `$a+1` or `$dir\file.txt`: a variable followed by more text is one expandable string, as in 5.1.
      if c == "$" && !atArgumentEnd() {
        pos = start
        return try parseBarewordArgument(start: start)
      }
      if (Parser.isSingleQuote(c) || Parser.isDoubleQuote(c) || c == "@") && !atArgumentEnd() {
        throw error(
          "WinLab does not model an argument that goes on after a quoted string ('a'b); quote the whole argument.",
          id: "NotModelled", incomplete: false)
      }
      return expression
    }
    if Parser.isDash(c) && Parser.isDash(char(1)) && char(2) == "%" {
      throw error(
        "WinLab does not model the stop-parsing token '--%'; quote the arguments instead.", id: "NotModelled",
        incomplete: false)
    }
    return try parseBarewordArgument(start: start)
  }

  /// True where a command argument ends: a blank, a line end or one of `;|)},`.
  func atArgumentEnd() -> Bool {
    if atEnd { return true }
    let c = char()
    return Parser.isSpace(c) || Parser.isNewline(c) || c == ";" || c == "|" || c == ")" || c == "}" || c == ","
      || c == ">"
  }

  /// A bareword argument such as `a`tb`, `a' 'b` or `$a+1`: backtick escapes as in double-quoted strings,
  /// single-quoted parts taken literally, `$` expanded; a bare number is a number.
  mutating func parseBarewordArgument(start: Int) throws -> Expr {
    var plain = ""
    var expandable = ""
    var expands = false
    var quoted = false
    while pos < s.count {
      let c = s[pos]
      if Parser.isSpace(c) || Parser.isNewline(c) || c == ";" || c == "|" || c == ")" || c == "}" || c == ","
        || c == "{"
      {
        break
      }
      if c == "(" && !plain.isEmpty && !plain.hasSuffix(")") && !plain.contains("(") { break }
      if c == "`" && pos + 1 < s.count {
        let next = s[pos + 1]
        pos += 2
        expandable.unicodeScalars.append("`")
        expandable.unicodeScalars.append(next)
        plain += Parser.escapedCharacter(next)
        continue
      }
      if Parser.isSingleQuote(c) {
        quoted = true
        pos += 1
        while true {
          guard pos < s.count else {
            throw error("The string is missing the terminator: '.", id: "TerminatorExpectedAtEndOfString")
          }
          let inner = s[pos]
          pos += 1
          if Parser.isSingleQuote(inner) {
            guard pos < s.count, Parser.isSingleQuote(s[pos]) else { break }
            pos += 1
          }
          plain.unicodeScalars.append(inner)
          if inner == "$" || inner == "`" { expandable.unicodeScalars.append("`") }
          expandable.unicodeScalars.append(inner)
        }
        continue
      }
      if Parser.isDoubleQuote(c) {
        // A double-quoted part: its text joins the expandable string as written (`a"b c"d` is `ab cd`).
        quoted = true
        expands = true
        pos += 1
        while true {
          guard pos < s.count else {
            throw error("The string is missing the terminator: \".", id: "TerminatorExpectedAtEndOfString")
          }
          let inner = s[pos]
          pos += 1
          if inner == "`" && pos < s.count {
            expandable.unicodeScalars.append(inner)
            expandable.unicodeScalars.append(s[pos])
            pos += 1
            continue
          }
          if Parser.isDoubleQuote(inner) {
            guard pos < s.count, Parser.isDoubleQuote(s[pos]) else { break }
            pos += 1
            expandable += "`\""
            continue
          }
          expandable.unicodeScalars.append(inner)
        }
        continue
      }
      if c == "$" && pos + 1 < s.count && (s[pos + 1] == "{" || s[pos + 1] == "(") {
        // `${name}` and `$( ... )` inside a bareword: copied whole, the expandable string parser reads them.
        let open = s[pos + 1]
        let close: Unicode.Scalar = open == "{" ? "}" : ")"
        var depth = 0
        expands = true
        expandable += "$"
        plain += "$"
        pos += 1
        repeat {
          let inner = s[pos]
          if inner == open { depth += 1 }
          if inner == close { depth -= 1 }
          expandable.unicodeScalars.append(inner)
          plain.unicodeScalars.append(inner)
          pos += 1
        } while pos < s.count && depth > 0
        if depth > 0 { throw error("Missing closing '\(close)'.", id: "MissingEndCurlyBrace") }
        continue
      }
      if c == "$" { expands = true }
      plain.unicodeScalars.append(c)
      expandable.unicodeScalars.append(c)
      pos += 1
    }
    if plain.isEmpty && !quoted { throw unexpectedToken() }
    let token = source.text(start, pos)
    if !quoted {
      if Parser.isDecimalLiteral(token) { throw decimalLiteralError(token) }
      if let number = Parser.numberValue(token) { return .constant(number) }
    }
    if expands {
      var inner = Parser(expandable)
      return try inner.parseExpandableContent(terminator: nil, hereString: true, start: start)
    }
    return .constant(.string(plain))
  }

  /// The character a backtick escape stands for (`` `t `` is a tab), as in double-quoted strings.
  static func escapedCharacter(_ c: Unicode.Scalar) -> String {
    switch c {
    case "0": return "\0"
    case "a": return "\u{07}"
    case "b": return "\u{08}"
    case "f": return "\u{0C}"
    case "n": return "\n"
    case "r": return "\r"
    case "t": return "\t"
    case "v": return "\u{0B}"
    default: return String(Character(c))
    }
  }
}
