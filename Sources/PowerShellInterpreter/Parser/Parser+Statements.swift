import Foundation

extension Parser {
  static let unsupportedKeywords: Set<String> = [
    "trap", "class", "enum", "using", "data", "workflow", "configuration", "parallel", "sequence", "inlinescript",
    "dynamicparam",
  ]

  /// The contents of a script or script block: optional `[CmdletBinding()]`, `param()`, then either named
  /// begin/process/end blocks or plain statements (the end block).
  mutating func parseScriptBlockBody(closer: Unicode.Scalar?, start: Int) throws -> ScriptBlockAst {
    skipTrivia(newlines: true)
    var parameters: [ParameterAst] = []
    var cmdletBinding = false
    let save = pos
    var attributes: [(String, [Expr], [(String, Expr?)])] = []
    do {
      while char() == "[" {
        let attributeStart = pos
        guard let attribute = try parseAttributeOrType() else { break }
        if attribute.isType {
          pos = attributeStart
          break
        }
        attributes.append((attribute.name, attribute.positional, attribute.named))
        skipTrivia(newlines: true)
      }
    } catch {
      // Not attributes before param() but a statement such as `[int]( 5 / 2 )`: parsed below.
      pos = save
      attributes = []
    }
    if peekWord() == "param" && wordEnds(5) {
      pos += 5
      skipTrivia(newlines: true)
      guard char() == "(" else { throw error("Missing '(' after 'param'.", id: "MissingOpenParenthesisAfterParam") }
      pos += 1
      parameters = try parseParameterList(closer: ")")
      cmdletBinding = attributes.contains { $0.0.lowercased() == "cmdletbinding" }
    } else {
      pos = save
    }
    skipTrivia(newlines: true)
    var begin: [Statement]?
    var process: [Statement]?
    var end: [Statement] = []
    let word = peekWord()
    if ["begin", "process", "end"].contains(word) && nextNonBlankIsBrace(after: word.unicodeScalars.count) {
      while true {
        skipTrivia(newlines: true)
        let name = peekWord()
        guard ["begin", "process", "end"].contains(name) else { break }
        pos += name.unicodeScalars.count
        skipTrivia(newlines: true)
        let body = try parseStatementBlock(missing: "Missing statement block after '\(name)'.")
        switch name {
        case "begin": begin = body
        case "process": process = body
        default: end = body
        }
      }
      skipTrivia(newlines: true)
      if !atEnd && char() != closer { throw unexpectedToken() }
    } else {
      end = try parseStatementList(closer: closer)
    }
    return ScriptBlockAst(
      parameters: parameters, hasCmdletBinding: cmdletBinding, begin: begin, process: process, end: end,
      extent: extent(start))
  }

  func nextNonBlankIsBrace(after length: Int) -> Bool {
    var index = pos + length
    while index < s.count && (Parser.isSpace(s[index]) || Parser.isNewline(s[index])) { index += 1 }
    return index < s.count && s[index] == "{"
  }

  /// `[Name(args)]` attribute or `[type]`; nil when the bracket does not start either.
  mutating func parseAttributeOrType() throws -> (
    name: String, isType: Bool, positional: [Expr], named: [(String, Expr?)]
  )? {
    guard let typeName = try parseTypeName() else { return nil }
    if char() == "(" {
      // An attribute: `[Parameter(Mandatory = $true)]`.
      pos += 1
      var positional: [Expr] = []
      var named: [(String, Expr?)] = []
      skipTrivia(newlines: true)
      while char() != ")" {
        if atEnd { throw error("Missing closing ')' in expression.", id: "MissingEndParenthesisInExpression") }
        let save = pos
        if Parser.isIdentStart(char()) {
          let name = readIdentifier()
          skipTrivia(newlines: true)
          if char() == "=" {
            pos += 1
            skipTrivia(newlines: true)
            named.append((name, try parseMethodArgument()))
          } else if char() == "," || char() == ")" {
            named.append((name, nil))
          } else {
            pos = save
            positional.append(try parseMethodArgument())
          }
        } else {
          positional.append(try parseMethodArgument())
        }
        skipTrivia(newlines: true)
        if char() == "," {
          pos += 1
          skipTrivia(newlines: true)
        } else if char() != ")" {
          throw unexpectedToken()
        }
      }
      pos += 1
      skipTrivia(newlines: true)
      guard char() == "]" else {
        throw error("Missing ] at end of attribute or type literal.", id: "EndSquareBracketExpectedAtEndOfAttribute")
      }
      pos += 1
      return (typeName.name, false, positional, named)
    }
    return (typeName.name, true, [], [])
  }

  /// `[type]` at the current position: returns the name and moves past `]`, or nil (position unchanged).
  mutating func parseTypeName() throws -> TypeNameAst? {
    guard char() == "[" else { return nil }
    let start = pos
    var index = pos + 1
    while index < s.count && Parser.isSpace(s[index]) { index += 1 }
    guard index < s.count, Parser.isIdentStart(s[index]) else { return nil }
    var depth = 1
    var end = index
    while end < s.count {
      let c = s[end]
      if c == "[" {
        depth += 1
      } else if c == "]" {
        depth -= 1
        if depth == 0 { break }
      } else if c == "(" && depth == 1 {
        break
      } else if !(Parser.isIdentChar(c) || c == "." || c == "`" || c == "," || c == " " || c == "+" || c == "#"
        || c == "/")
      {
        throw error(
          "Missing ] at end of attribute or type literal.", id: "EndSquareBracketExpectedAtEndOfType", at: end)
      }
      end += 1
    }
    if end >= s.count {
      throw error("Missing ] at end of attribute or type literal.", id: "EndSquareBracketExpectedAtEndOfType", at: end)
    }
    let name = source.text(index, end).trimmingCharacters(in: .whitespaces)
    pos = end
    if s[end] == "]" { pos += 1 }
    return TypeNameAst(name: name, extent: Extent(source: source, start: start, end: pos))
  }

  /// `$a, [int]$b = 3, [Parameter(Mandatory)][string]$c` up to `closer`.
  mutating func parseParameterList(closer: Unicode.Scalar) throws -> [ParameterAst] {
    var result: [ParameterAst] = []
    skipTrivia(newlines: true)
    while char() != closer {
      if atEnd {
        throw error("Missing ')' in function parameter list.", id: "MissingEndParenthesisInFunctionParameterList")
      }
      var parameter = ParameterAst(
        name: "", typeName: nil, defaultValue: nil, isMandatory: false, position: nil, fromPipeline: false,
        fromPipelineByPropertyName: false, validateSet: nil, aliases: [])
      while char() == "[" {
        guard let attribute = try parseAttributeOrType() else { throw unexpectedToken() }
        let lowered = attribute.name.lowercased()
        if attribute.isType {
          parameter.typeName = TypeNameAst(name: attribute.name, extent: extent(pos))
        } else if lowered == "parameter" {
          for (name, value) in attribute.named {
            let flag: Bool
            if let value, case .variable(let ref, _) = value {
              flag = ref.name.lowercased() == "true"
            } else {
              flag = true
            }
            switch name.lowercased() {
            case "mandatory": parameter.isMandatory = flag
            case "valuefrompipeline": parameter.fromPipeline = flag
            case "valuefrompipelinebypropertyname": parameter.fromPipelineByPropertyName = flag
            case "position":
              if let value, case .constant(let number) = value { parameter.position = Int(PSConvert.toString(number)) }
            default: break
            }
          }
        } else if lowered == "validateset" {
          parameter.validateSet = attribute.positional.compactMap {
            if case .constant(let v) = $0 { return PSConvert.toString(v) }
            return nil
          }
        } else if lowered == "alias" {
          parameter.aliases = attribute.positional.compactMap {
            if case .constant(let v) = $0 { return PSConvert.toString(v) }
            return nil
          }
        }
        skipTrivia(newlines: true)
      }
      guard char() == "$" else { throw unexpectedToken() }
      pos += 1
      parameter.name = readIdentifier()
      skipTrivia(newlines: true)
      if char() == "=" {
        pos += 1
        skipTrivia(newlines: true)
        parameter.defaultValue = try parseMethodArgument()
        skipTrivia(newlines: true)
      }
      result.append(parameter)
      if char() == "," {
        pos += 1
        skipTrivia(newlines: true)
      } else if char() != closer {
        throw error("Missing ')' in function parameter list.", id: "MissingEndParenthesisInFunctionParameterList")
      }
    }
    pos += 1
    return result
  }

  /// Statements up to `closer` (not consumed) or the end of input.
  mutating func parseStatementList(closer: Unicode.Scalar?) throws -> [Statement] {
    var statements: [Statement] = []
    while true {
      skipTrivia(newlines: true)
      while char() == ";" {
        pos += 1
        skipTrivia(newlines: true)
      }
      if atEnd { return statements }
      if let closer, char() == closer { return statements }
      if char() == ")" || char() == "}" { throw unexpectedToken() }
      statements.append(try parseStatement())
      skipTrivia(newlines: false)
      if atEnd || Parser.isNewline(char()) || char() == ";" { continue }
      if let closer, char() == closer { continue }
      throw unexpectedToken()
    }
  }

  /// `{ statements }`, reporting a missing closing brace at the opening one, as PowerShell does.
  mutating func parseStatementBlock(missing: String) throws -> [Statement] {
    guard char() == "{" else { throw error(missing, id: "MissingStatementBlock") }
    let open = pos
    pos += 1
    let statements = try parseStatementList(closer: "}")
    guard char() == "}" else {
      throw error(
        "Missing closing '}' in statement block or type definition.", id: "MissingEndCurlyBrace", at: open,
        incomplete: true)
    }
    pos += 1
    return statements
  }

  mutating func parseStatement() throws -> Statement {
    skipTrivia(newlines: false)
    var label: String?
    if char() == ":" && Parser.isIdentStart(char(1)) {
      pos += 1
      label = readIdentifier()
      skipTrivia(newlines: true)
    }
    let word = peekWord()
    let length = word.unicodeScalars.count
    if length > 0 && wordEnds(length) {
      switch word {
      case "if": return try parseIf()
      case "foreach": return try parseForeach(label: label)
      case "for": return try parseFor(label: label)
      case "while": return try parseWhile(label: label)
      case "do": return try parseDo(label: label)
      case "switch": return try parseSwitch(label: label)
      case "try": return try parseTry()
      case "function", "filter": return try parseFunction(keywordLength: length)
      case "throw", "return", "exit":
        let start = pos
        pos += length
        skipTrivia(newlines: false)
        var pipeline: PipelineAst?
        if !(atEnd || Parser.isNewline(char()) || char() == ";" || char() == "}" || char() == ")") {
          pipeline = try parsePipeline()
        }
        let ext = extent(start)
        if word == "throw" { return .throwStatement(pipeline, extent: ext) }
        if word == "return" { return .returnStatement(pipeline, extent: ext) }
        return .exitStatement(pipeline, extent: ext)
      case "break", "continue":
        pos += length
        skipTrivia(newlines: false)
        var target: String?
        if Parser.isIdentStart(char()) { target = readIdentifier() }
        return word == "break" ? .breakStatement(label: target) : .continueStatement(label: target)
      case "else", "elseif", "catch", "finally", "until", "param", "begin", "process", "end":
        throw unexpectedToken()
      default:
        if Parser.unsupportedKeywords.contains(word) {
          throw error(
            "The '\(word)' keyword is not supported by this PowerShell interpreter.", id: "UnsupportedKeyword",
            incomplete: false)
        }
      }
    }
    return try parsePipelineStatement()
  }

  mutating func parseCondition(keyword: String) throws -> PipelineAst {
    skipTrivia(newlines: true)
    guard char() == "(" else {
      throw error("Missing '(' after '\(keyword)' in \(keyword) statement.", id: "MissingOpenParenthesisInIfStatement")
    }
    pos += 1
    skipTrivia(newlines: true)
    if char() == ")" {
      throw error(
        "Missing condition in \(keyword) statement after '\(keyword) ('.", id: "IfStatementMissingCondition",
        incomplete: false)
    }
    let condition = try parsePipeline(allowAssignment: true)
    skipTrivia(newlines: true)
    guard char() == ")" else {
      throw error(
        "Missing closing ')' after expression in '\(keyword)' statement.", id: "MissingEndParenthesisAfterStatement")
    }
    pos += 1
    skipTrivia(newlines: true)
    return condition
  }

  mutating func parseIf() throws -> Statement {
    pos += 2
    var clauses: [(condition: PipelineAst, body: [Statement])] = []
    let condition = try parseCondition(keyword: "if")
    clauses.append((condition, try parseStatementBlock(missing: "Missing statement block after if ( condition ).")))
    var elseBody: [Statement]?
    while true {
      let save = pos
      skipTrivia(newlines: true)
      let word = peekWord()
      if word == "elseif" && wordEnds(6) {
        pos += 6
        let condition = try parseCondition(keyword: "elseif")
        clauses.append(
          (condition, try parseStatementBlock(missing: "Missing statement block after elseif ( condition ).")))
      } else if word == "else" && wordEnds(4) {
        pos += 4
        skipTrivia(newlines: true)
        elseBody = try parseStatementBlock(missing: "Missing statement block after 'else' keyword.")
        break
      } else {
        pos = save
        break
      }
    }
    return .ifStatement(clauses: clauses, elseBody: elseBody)
  }

  mutating func parseForeach(label: String?) throws -> Statement {
    pos += 7
    skipTrivia(newlines: true)
    guard char() == "(" else {
      throw error("Missing opening '(' after keyword 'foreach'.", id: "MissingOpenParenthesisAfterKeyword")
    }
    pos += 1
    skipTrivia(newlines: true)
    guard char() == "$" else {
      throw error("Missing variable name after foreach.", id: "MissingVariableNameAfterForeach")
    }
    pos += 1
    let variable = readIdentifier()
    skipTrivia(newlines: true)
    guard peekWord() == "in" && wordEnds(2) else {
      throw error("Missing 'in' after variable in foreach loop.", id: "MissingInInForeach")
    }
    pos += 2
    skipTrivia(newlines: true)
    let collection = try parsePipeline()
    skipTrivia(newlines: true)
    guard char() == ")" else {
      throw error(
        "Missing closing ')' after expression in 'foreach' statement.", id: "MissingEndParenthesisAfterForeach")
    }
    pos += 1
    skipTrivia(newlines: true)
    let body = try parseStatementBlock(missing: "Missing statement body in foreach loop.")
    return .foreachStatement(label: label, variable: variable, collection: collection, body: body)
  }

  mutating func parseFor(label: String?) throws -> Statement {
    pos += 3
    skipTrivia(newlines: true)
    guard char() == "(" else {
      throw error("Missing opening '(' after keyword 'for'.", id: "MissingOpenParenthesisAfterKeyword")
    }
    pos += 1
    func part(_ parser: inout Parser, terminator: Unicode.Scalar) throws -> Statement? {
      parser.skipTrivia(newlines: true)
      if parser.char() == terminator || parser.char() == ";" { return nil }
      return try parser.parseStatement()
    }
    let initializer = try part(&self, terminator: ";")
    skipTrivia(newlines: true)
    if char() == ";" { pos += 1 }
    skipTrivia(newlines: true)
    var condition: PipelineAst?
    if char() != ";" && char() != ")" { condition = try parsePipeline(allowAssignment: true) }
    skipTrivia(newlines: true)
    if char() == ";" { pos += 1 }
    let iterator = try part(&self, terminator: ")")
    skipTrivia(newlines: true)
    guard char() == ")" else {
      throw error("Missing closing ')' after expression in 'for' statement.", id: "MissingEndParenthesisAfterStatement")
    }
    pos += 1
    skipTrivia(newlines: true)
    let body = try parseStatementBlock(missing: "Missing statement body in for loop.")
    return .forStatement(label: label, initializer: initializer, condition: condition, iterator: iterator, body: body)
  }

  mutating func parseWhile(label: String?) throws -> Statement {
    pos += 5
    let condition = try parseCondition(keyword: "while")
    let body = try parseStatementBlock(missing: "Missing statement body in while loop.")
    return .whileStatement(label: label, condition: condition, body: body)
  }

  mutating func parseDo(label: String?) throws -> Statement {
    pos += 2
    skipTrivia(newlines: true)
    let body = try parseStatementBlock(missing: "Missing statement body in do loop.")
    skipTrivia(newlines: true)
    let word = peekWord()
    guard (word == "while" || word == "until") && wordEnds(5) else {
      throw error("Missing while or until keyword in do loop.", id: "MissingWhileOrUntilInDoWhile")
    }
    pos += 5
    let condition = try parseCondition(keyword: word)
    return .doStatement(label: label, body: body, condition: condition, isUntil: word == "until")
  }

  mutating func parseSwitch(label: String?) throws -> Statement {
    pos += 6
    var ast = SwitchAst(
      label: label, value: PipelineAst(elements: [], extent: extent(pos)), isWildcard: false, isRegex: false,
      isCaseSensitive: false, clauses: [], defaultBody: nil)
    while true {
      skipTrivia(newlines: true)
      guard Parser.isDash(char()) else { break }
      pos += 1
      let option = readIdentifier().lowercased()
      switch option {
      case "wildcard": ast.isWildcard = true
      case "regex": ast.isRegex = true
      case "exact": break
      case "casesensitive": ast.isCaseSensitive = true
      default:
        throw error(
          "The switch option '-\(option)' is not supported by this PowerShell interpreter.", id: "InvalidSwitchFlag",
          incomplete: false)
      }
    }
    guard char() == "(" else {
      throw error("Missing '(' after 'switch' in switch statement.", id: "PipelineValueRequired")
    }
    pos += 1
    skipTrivia(newlines: true)
    ast.value = try parsePipeline(allowAssignment: true)
    skipTrivia(newlines: true)
    guard char() == ")" else {
      throw error(
        "Missing closing ')' after expression in 'switch' statement.", id: "MissingEndParenthesisInSwitchStatement")
    }
    pos += 1
    skipTrivia(newlines: true)
    guard char() == "{" else {
      throw error("Missing condition in switch statement clause.", id: "MissingSwitchConditionExpression")
    }
    let open = pos
    pos += 1
    while true {
      skipTrivia(newlines: true)
      while char() == ";" {
        pos += 1
        skipTrivia(newlines: true)
      }
      if atEnd {
        throw error(
          "Missing closing '}' in statement block or type definition.", id: "MissingEndCurlyBrace", at: open,
          incomplete: true)
      }
      if char() == "}" {
        pos += 1
        break
      }
      let pattern: Expr
      if peekWord() == "default" && wordEnds(7) {
        pos += 7
        skipTrivia(newlines: true)
        ast.defaultBody = try parseStatementBlock(missing: "Missing statement block in switch statement clause.")
        continue
      } else if char() == "{" {
        pattern = try parsePrimary()
      } else {
        pattern = try parseCommandArgument(allowComma: false)
      }
      skipTrivia(newlines: true)
      let body = try parseStatementBlock(missing: "Missing statement block in switch statement clause.")
      ast.clauses.append((pattern, body))
    }
    return .switchStatement(ast)
  }

  mutating func parseTry() throws -> Statement {
    let start = pos
    pos += 3
    skipTrivia(newlines: true)
    let body = try parseStatementBlock(missing: "Missing statement block after 'try'.")
    var catches: [CatchClause] = []
    var finallyBody: [Statement]?
    while true {
      let save = pos
      skipTrivia(newlines: true)
      let word = peekWord()
      if word == "catch" && wordEnds(5) {
        pos += 5
        skipTrivia(newlines: true)
        var types: [TypeNameAst] = []
        while char() == "[" {
          guard let type = try parseTypeName() else { throw unexpectedToken() }
          types.append(type)
          skipTrivia(newlines: true)
          if char() == "," {
            pos += 1
            skipTrivia(newlines: true)
          }
        }
        catches.append(
          CatchClause(
            typeNames: types, body: try parseStatementBlock(missing: "Missing statement block in catch block.")))
      } else if word == "finally" && wordEnds(7) {
        pos += 7
        skipTrivia(newlines: true)
        finallyBody = try parseStatementBlock(missing: "Missing statement block in finally block.")
        break
      } else {
        pos = save
        break
      }
    }
    if catches.isEmpty && finallyBody == nil {
      throw error(
        "The Try statement is missing its Catch or Finally block.", id: "MissingCatchOrFinally", at: start,
        incomplete: atEnd)
    }
    return .tryStatement(body: body, catches: catches, finally: finallyBody)
  }

  mutating func parseFunction(keywordLength: Int) throws -> Statement {
    pos += keywordLength
    skipTrivia(newlines: true)
    let nameStart = pos
    while pos < s.count && !Parser.isSpace(char()) && !Parser.isNewline(char()) && char() != "{" && char() != "(" {
      pos += 1
    }
    var name = source.text(nameStart, pos)
    if name.isEmpty { throw error("Missing function name after function keyword.", id: "MissingNameAfterKeyword") }
    for prefix in ["global:", "script:", "local:", "function:"] where name.lowercased().hasPrefix(prefix) {
      name = String(name.dropFirst(prefix.count))
    }
    skipTrivia(newlines: true)
    var parameters: [ParameterAst] = []
    if char() == "(" {
      pos += 1
      parameters = try parseParameterList(closer: ")")
      skipTrivia(newlines: true)
    }
    guard char() == "{" else {
      throw error("Missing function body in function declaration.", id: "MissingFunctionBody")
    }
    let open = pos
    pos += 1
    let body = try parseScriptBlockBody(closer: "}", start: open)
    guard char() == "}" else {
      throw error(
        "Missing closing '}' in statement block or type definition.", id: "MissingEndCurlyBrace", at: open,
        incomplete: true)
    }
    pos += 1
    if !parameters.isEmpty { body.parameters = parameters }
    return .functionDefinition(name: name, body: body)
  }
}
