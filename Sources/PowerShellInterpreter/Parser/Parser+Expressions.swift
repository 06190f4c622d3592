import Foundation

extension Parser {
  static let comparisonOperators: Set<String> = {
    let base = [
      "eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains", "notcontains", "in",
      "notin", "replace", "split", "join",
    ]
    var result = Set<String>()
    for op in base {
      result.insert(op)
      result.insert("i" + op)
      result.insert("c" + op)
    }
    result.formUnion(["is", "isnot", "as"])
    return result
  }()
  static let bitwiseOperators: Set<String> = ["band", "bor", "bxor", "shl", "shr"]
  static let logicalOperators: Set<String> = ["and", "or", "xor"]

  /// Reads `-name` operator at the current position without consuming; returns the lower-cased name.
  func peekDashOperator() -> String? {
    guard Parser.isDash(char()), Parser.isIdentStart(char(1)) else { return nil }
    var end = pos + 1
    while end < s.count && Parser.isIdentChar(s[end]) { end += 1 }
    return source.text(pos + 1, end).lowercased()
  }

  mutating func requireOperand(after op: String, _ parse: (inout Parser) throws -> Expr) throws -> Expr {
    skipTrivia(newlines: true)
    if atEnd || char() == ")" || char() == "}" || char() == ";" || char() == "|" || char() == "]" {
      throw error("You must provide a value expression following the '\(op)' operator.", id: "ExpectedValueExpression")
    }
    return try parse(&self)
  }

  mutating func parseExpression() throws -> Expr {
    let start = pos
    var lhs = try parseComparison()
    while true {
      let save = pos
      skipTrivia(newlines: false)
      guard let op = peekDashOperator(), Parser.logicalOperators.contains(op) else {
        pos = save
        return lhs
      }
      pos += op.unicodeScalars.count + 1
      let rhs = try requireOperand(after: "-" + op) { try $0.parseComparison() }
      lhs = .binary(op: op, lhs: lhs, rhs: rhs, extent: extent(start))
    }
  }

  mutating func parseComparison() throws -> Expr {
    let start = pos
    var lhs = try parseBitwise()
    while true {
      let save = pos
      skipTrivia(newlines: false)
      guard let op = peekDashOperator(), Parser.comparisonOperators.contains(op) else {
        pos = save
        return lhs
      }
      pos += op.unicodeScalars.count + 1
      let rhs = try requireOperand(after: "-" + op) { try $0.parseBitwise() }
      lhs = .binary(op: op, lhs: lhs, rhs: rhs, extent: extent(start))
    }
  }

  mutating func parseBitwise() throws -> Expr {
    let start = pos
    var lhs = try parseAdditive()
    while true {
      let save = pos
      skipTrivia(newlines: false)
      guard let op = peekDashOperator(), Parser.bitwiseOperators.contains(op) else {
        pos = save
        return lhs
      }
      pos += op.unicodeScalars.count + 1
      let rhs = try requireOperand(after: "-" + op) { try $0.parseAdditive() }
      lhs = .binary(op: op, lhs: lhs, rhs: rhs, extent: extent(start))
    }
  }

  mutating func parseAdditive() throws -> Expr {
    let start = pos
    var lhs = try parseMultiplicative()
    while true {
      let save = pos
      skipTrivia(newlines: false)
      let c = char()
      let isPlus = c == "+" && char(1) != "=" && char(1) != "+"
      let isMinus = Parser.isDash(c) && !Parser.isIdentStart(char(1)) && char(1) != "=" && !Parser.isDash(char(1))
      guard isPlus || isMinus else {
        pos = save
        return lhs
      }
      pos += 1
      let op = isPlus ? "+" : "-"
      let rhs = try requireOperand(after: op) { try $0.parseMultiplicative() }
      lhs = .binary(op: op, lhs: lhs, rhs: rhs, extent: extent(start))
    }
  }

  mutating func parseMultiplicative() throws -> Expr {
    let start = pos
    var lhs = try parseFormat()
    while true {
      let save = pos
      skipTrivia(newlines: false)
      let c = char()
      guard (c == "*" || c == "/" || c == "%") && char(1) != "=" else {
        pos = save
        return lhs
      }
      pos += 1
      let rhs = try requireOperand(after: String(c)) { try $0.parseFormat() }
      lhs = .binary(op: String(c), lhs: lhs, rhs: rhs, extent: extent(start))
    }
  }

  mutating func parseFormat() throws -> Expr {
    let start = pos
    var lhs = try parseRange()
    while true {
      let save = pos
      skipTrivia(newlines: false)
      guard peekDashOperator() == "f" else {
        pos = save
        return lhs
      }
      pos += 2
      let rhs = try requireOperand(after: "-f") { try $0.parseRange() }
      lhs = .binary(op: "f", lhs: lhs, rhs: rhs, extent: extent(start))
    }
  }

  mutating func parseRange() throws -> Expr {
    let start = pos
    var lhs = try parseArrayLiteral()
    while true {
      let save = pos
      skipTrivia(newlines: false)
      guard char() == "." && char(1) == "." else {
        pos = save
        return lhs
      }
      pos += 2
      let rhs = try requireOperand(after: "..") { try $0.parseArrayLiteral() }
      lhs = .binary(op: "..", lhs: lhs, rhs: rhs, extent: extent(start))
    }
  }

  mutating func parseArrayLiteral() throws -> Expr {
    let first = try parseUnary()
    if commasSeparateArguments { return first }
    var items = [first]
    while true {
      let save = pos
      skipTrivia(newlines: false)
      guard char() == "," else {
        pos = save
        break
      }
      pos += 1
      skipTrivia(newlines: true)
      if atEnd || char() == ")" || char() == "}" || char() == ";" {
        throw error("Missing expression after ','.", id: "MissingExpressionAfterToken")
      }
      items.append(try parseUnary())
    }
    return items.count == 1 ? first : .arrayLiteral(items)
  }

  mutating func parseUnary() throws -> Expr {
    let start = pos
    let c = char()
    if c == "!" {
      pos += 1
      let operand = try requireUnaryOperand("!")
      return .unary(.not, operand, extent(start))
    }
    if c == "," {
      pos += 1
      let operand = try requireUnaryOperand(",")
      return .unary(.comma, operand, extent(start))
    }
    if (c == "+" && char(1) == "+") || (Parser.isDash(c) && Parser.isDash(char(1))) {
      pos += 2
      let operand = try requireUnaryOperand(c == "+" ? "++" : "--")
      return .unary(c == "+" ? .preIncrement : .preDecrement, operand, extent(start))
    }
    if let op = peekDashOperator(), Parser.unaryDashOperators.contains(op) {
      pos += op.unicodeScalars.count + 1
      let operand = try requireUnaryOperand("-" + op)
      switch op {
      case "not": return .unary(.not, operand, extent(start))
      case "bnot": return .unary(.bnot, operand, extent(start))
      case "join", "ijoin": return .unary(.join, operand, extent(start))
      default: return .unary(.split, operand, extent(start))
      }
    }
    if Parser.isDash(c) || c == "+" {
      pos += 1
      let operand = try requireUnaryOperand(String(c))
      if case .constant(let value) = operand, c != "+" {
        switch value {
        case .int(let i) where i != Int32.min: return .constant(.int(-i))
        case .long(let i): return .constant(i == 2_147_483_648 ? .int(Int32.min) : .long(-i))
        case .double(let d): return .constant(.double(-d))
        default: break
        }
      }
      return .unary(c == "+" ? .plus : .negate, operand, extent(start))
    }
    if c == "[" {
      let save = pos
      if let type = try parseTypeName() {
        // `[int]::MaxValue`, `[int].Name`, `[int[]][0]`...: members of the type literal.
        if (char() == ":" && char(1) == ":") || (char() == "." && char(1) != "." && !Parser.isDigit(char(1))) {
          pos = save
          return try parsePostfix()
        }
        let afterType = pos
        skipTrivia(newlines: false)
        if startsCastOperand() {
          let operand = try parseUnary()
          return .cast(type, operand)
        }
        pos = afterType
        return .typeLiteral(type)
      }
      throw unexpectedToken()
    }
    return try parsePostfix()
  }

  func startsCastOperand() -> Bool {
    let c = char()
    if atEnd || Parser.isNewline(c) || c == ")" || c == "}" || c == ";" || c == "|" || c == "," || c == "]" || c == "="
    {
      return false
    }
    if let op = peekDashOperator() { return Parser.unaryDashOperators.contains(op) }
    if c == "." && char(1) == "." { return false }
    if (c == "+" || c == "*" || c == "/" || c == "%") && !(c == "+" && char(1) == "+") { return false }
    if Parser.isDash(c) && !(Parser.isDigit(char(1)) || char(1) == "$" || char(1) == "(") { return false }
    return true
  }

  mutating func requireUnaryOperand(_ op: String) throws -> Expr {
    skipTrivia(newlines: true)
    if atEnd || char() == ")" || char() == "}" || char() == ";" || char() == "|" {
      throw error("Missing expression after unary operator '\(op)'.", id: "MissingExpressionAfterOperator")
    }
    return try parseUnary()
  }

  /// A primary expression followed by member access, method calls, indexing and `++`/`--`.
  mutating func parsePostfix() throws -> Expr {
    let start = pos
    var expression: Expr
    if char() == "[" {
      guard let type = try parseTypeName() else { throw unexpectedToken() }
      expression = .typeLiteral(type)
    } else {
      expression = try parsePrimary()
    }
    while true {
      let c = char()
      if c == "." && char(1) != "." || (c == ":" && char(1) == ":") {
        let isStatic = c == ":"
        pos += isStatic ? 2 : 1
        let name: Expr
        if Parser.isIdentStart(char()) {
          name = .constant(.string(readIdentifier()))
        } else if char() == "$" || Parser.isSingleQuote(char()) || Parser.isDoubleQuote(char()) || char() == "(" {
          name = try parsePrimary()
        } else {
          throw error("Missing property name after reference operator.", id: "MissingPropertyName")
        }
        if char() == "(" {
          pos += 1
          var arguments: [Expr] = []
          skipTrivia(newlines: true)
          while char() != ")" {
            if atEnd { throw error("Missing closing ')' in expression.", id: "MissingEndParenthesisInMethodCall") }
            arguments.append(try parseMethodArgument())
            skipTrivia(newlines: true)
            if char() == "," {
              pos += 1
              skipTrivia(newlines: true)
            } else if char() != ")" {
              throw error("Missing ')' in method call.", id: "MissingEndParenthesisInMethodCall")
            }
          }
          pos += 1
          expression = .invokeMember(
            target: expression, name: name, arguments: arguments, isStatic: isStatic, extent: extent(start))
        } else if char() == "{" && !isStatic {
          // `.ForEach{ ... }` / `.Where{ ... }`: a call whose only argument is a script block.
          let block = try parsePrimary()
          expression = .invokeMember(
            target: expression, name: name, arguments: [block], isStatic: isStatic, extent: extent(start))
        } else {
          expression = .member(target: expression, name: name, isStatic: isStatic, extent: extent(start))
        }
      } else if c == "[" {
        let open = pos
        pos += 1
        skipTrivia(newlines: true)
        let index = try parseExpression()
        skipTrivia(newlines: true)
        guard char() == "]" else {
          throw error("Array index expression is missing or not valid.", id: "MissingArrayIndexExpression", at: open)
        }
        pos += 1
        expression = .index(target: expression, index: index, extent: extent(start))
      } else if (c == "+" && char(1) == "+")
        || (Parser.isDash(c) && Parser.isDash(char(1)) && !Parser.isIdentStart(char(2)))
      {
        pos += 2
        expression = .unary(c == "+" ? .postIncrement : .postDecrement, expression, extent(start))
      } else {
        return expression
      }
    }
  }

  /// A method argument: an expression whose top-level commas separate arguments instead of building an array.
  mutating func parseMethodArgument() throws -> Expr {
    let saved = commasSeparateArguments
    commasSeparateArguments = true
    defer { commasSeparateArguments = saved }
    return try parseExpression()
  }
}
