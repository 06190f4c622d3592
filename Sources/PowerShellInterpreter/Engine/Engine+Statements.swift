import Foundation

extension Engine {
  // MARK: entry points

  func resetRunOutput() {
    stdoutText = ""
    stderrText = ""
    printedErrors = []
    outputObjects = []
    pendingFormat = []
  }

  func makeResult(_ exitCode: Int32) -> PSRunResult {
    flushFormatted()
    return PSRunResult(
      exitCode: exitCode, output: outputObjects, errors: printedErrors, stdout: stdoutText, stderr: stderrText,
      outputEncodingIsUTF8: outputEncodingIsUTF8)
  }

  func runCommand(_ script: String) -> PSRunResult {
    resetRunOutput()
    let block: ScriptBlockAst
    do {
      block = try Parser.parse(script)
    } catch let error as PSParseError {
      reportError(error.errorRecord)
      return makeResult(1)
    } catch {
      return makeResult(1)
    }
    return makeResult(executeTopLevel(block))
  }

  /// Runs a parsed script at top level; returns the process exit code.
  func executeTopLevel(_ block: ScriptBlockAst) -> Int32 {
    do {
      for statements in [block.begin, block.process, block.end] {
        if let statements { try executeStatements(statements, sink: outDefault) }
      }
      flushFormatted()
      return lastSuccess ? 0 : 1
    } catch ControlFlow.exit(let code) {
      flushFormatted()
      return code
    } catch is ControlFlow {
      flushFormatted()
      return lastSuccess ? 0 : 1
    } catch let record as PSErrorRecord {
      reportError(record)
      lastSuccess = false
      return 1
    } catch {
      return 1
    }
  }

  func runStandardInput(_ text: String) -> PSRunResult {
    resetRunOutput()
    var lines = text.components(separatedBy: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
    if lines.last == "" { lines.removeLast() }
    var buffer: [String] = []
    var multiLine = false
    func execute(_ source: String) -> Int32? {
      do {
        let block = try Parser.parse(source)
        do {
          for statements in [block.begin, block.process, block.end] {
            if let statements { try executeStatements(statements, sink: outDefault) }
          }
          flushFormatted()
        } catch ControlFlow.exit(let code) {
          flushFormatted()
          return code
        } catch is ControlFlow {
          flushFormatted()
        } catch let record as PSErrorRecord {
          reportError(record)
          lastSuccess = false
        }
      } catch let error as PSParseError {
        reportError(error.errorRecord)
      } catch {}
      return nil
    }
    for line in lines {
      if multiLine {
        if line.trimmingCharacters(in: .whitespaces).isEmpty {
          multiLine = false
          let source = buffer.joined(separator: "\n")
          buffer = []
          if let code = execute(source) { return makeResult(code) }
        } else {
          buffer.append(line)
        }
        continue
      }
      if let error = PSRunspace.parseError(in: line), error.isIncomplete {
        buffer = [line]
        multiLine = true
        continue
      }
      if let code = execute(line) { return makeResult(code) }
    }
    return makeResult(lastSuccess ? 0 : 1)
  }

  // MARK: statements

  func executeStatements(_ statements: [Statement], sink: @escaping Sink) throws {
    for statement in statements {
      do {
        try executeStatement(statement, sink: sink)
      } catch let record as PSErrorRecord {
        attachPosition(record, commandName: "")
        if record.terminatesScript || tryDepth > 0 { throw record }
        if errorActionPreference.lowercased() == "stop" {
          record.terminatesScript = true
          throw record
        }
        reportError(record)
        lastSuccess = false
      }
    }
  }

  func executeStatement(_ statement: Statement, sink: @escaping Sink) throws {
    switch statement {
    case .pipeline(let pipeline):
      try runPipeline(pipeline, sink: sink)
    case .assignment(let target, let op, let valueStatement, let extent):
      currentExtent = extent
      let value = try statementValue(valueStatement)
      try performAssignment(target: target, op: op, value: value, extent: extent)
    case .ifStatement(let clauses, let elseBody):
      for clause in clauses where PSConvert.toBool(try pipelineValue(clause.condition)) {
        try executeStatements(clause.body, sink: sink)
        return
      }
      if let elseBody { try executeStatements(elseBody, sink: sink) }
    case .foreachStatement(let label, let variable, let collection, let body):
      let value = try pipelineValue(collection)
      let items: [PSValue] = value.isNull ? [] : (value.enumeratedItems ?? [value])
      for item in items {
        try assign(VariableRef(scope: nil, name: variable), item)
        if try runLoopBody(body, label: label, sink: sink) { break }
      }
    case .forStatement(let label, let initializer, let condition, let iterator, let body):
      if let initializer { try executeStatement(initializer, sink: { _ in }) }
      while true {
        if let condition, !PSConvert.toBool(try pipelineValue(condition)) { break }
        if try runLoopBody(body, label: label, sink: sink) { break }
        if let iterator { try executeStatement(iterator, sink: { _ in }) }
      }
    case .whileStatement(let label, let condition, let body):
      while PSConvert.toBool(try pipelineValue(condition)) {
        if try runLoopBody(body, label: label, sink: sink) { break }
      }
    case .doStatement(let label, let body, let condition, let isUntil):
      repeat {
        if try runLoopBody(body, label: label, sink: sink) { break }
      } while PSConvert.toBool(try pipelineValue(condition)) != isUntil
    case .switchStatement(let ast):
      try executeSwitch(ast, sink: sink)
    case .tryStatement(let body, let catches, let finallyBody):
      try executeTry(body: body, catches: catches, finallyBody: finallyBody, sink: sink)
    case .throwStatement(let pipeline, let extent):
      currentExtent = extent
      throw try makeThrownRecord(pipeline, extent: extent)
    case .returnStatement(let pipeline, _):
      if let pipeline { try runPipeline(pipeline, sink: sink) }
      throw ControlFlow.returnFlow
    case .exitStatement(let pipeline, _):
      var code: Int32 = 0
      if let pipeline {
        let value = try pipelineValue(pipeline)
        code = Int32(truncatingIfNeeded: ((try? PSConvert.toInt64(value)) ?? nil) ?? 0)
      }
      throw ControlFlow.exit(code)
    case .breakStatement(let label):
      throw ControlFlow.breakLoop(label)
    case .continueStatement(let label):
      throw ControlFlow.continueLoop(label)
    case .functionDefinition(let name, let body):
      current.functions[name.lowercased()] = body
    }
  }

  /// Runs one loop iteration; returns true when the loop must stop (break).
  func runLoopBody(_ body: [Statement], label: String?, sink: @escaping Sink) throws -> Bool {
    do {
      try executeStatements(body, sink: sink)
    } catch ControlFlow.breakLoop(let target) {
      if target == nil || target?.lowercased() == label?.lowercased() { return true }
      throw ControlFlow.breakLoop(target)
    } catch ControlFlow.continueLoop(let target) {
      if target == nil || target?.lowercased() == label?.lowercased() { return false }
      throw ControlFlow.continueLoop(target)
    }
    return false
  }

  func executeSwitch(_ ast: SwitchAst, sink: @escaping Sink) throws {
    let value = try pipelineValue(ast.value)
    let items: [PSValue] = value.enumeratedItems ?? [value]
    let savedDollar = current.variables["_"]
    defer { current.variables["_"] = savedDollar }
    itemLoop: for item in items {
      setLocal("_", item)
      var matched = false
      do {
        for clause in ast.clauses {
          if try switchClauseMatches(clause.pattern, item: item, ast: ast) {
            matched = true
            try executeStatements(clause.body, sink: sink)
          }
        }
        if !matched, let defaultBody = ast.defaultBody { try executeStatements(defaultBody, sink: sink) }
      } catch ControlFlow.breakLoop(let target) {
        if target == nil || target?.lowercased() == ast.label?.lowercased() { break itemLoop }
        throw ControlFlow.breakLoop(target)
      } catch ControlFlow.continueLoop(let target) {
        if target == nil || target?.lowercased() == ast.label?.lowercased() { continue itemLoop }
        throw ControlFlow.continueLoop(target)
      }
    }
  }

  func switchClauseMatches(_ pattern: Expr, item: PSValue, ast: SwitchAst) throws -> Bool {
    let patternValue = try evaluate(pattern)
    if case .scriptBlock(let block) = patternValue {
      let result = try invokeScriptBlockCollecting(block, dollarUnder: item, arguments: [], newScope: false)
      return PSConvert.toBool(collapse(result))
    }
    if ast.isWildcard {
      return PSWildcard.matches(
        PSConvert.toString(item), pattern: PSConvert.toString(patternValue), caseSensitive: ast.isCaseSensitive)
    }
    if ast.isRegex {
      return try regexMatch(
        PSConvert.toString(item), pattern: PSConvert.toString(patternValue), caseSensitive: ast.isCaseSensitive,
        setMatches: true)
    }
    if case .string = patternValue {
      let lhs = PSConvert.toString(item)
      let rhs = PSConvert.toString(patternValue)
      return ast.isCaseSensitive ? lhs == rhs : lhs.caseInsensitiveCompare(rhs) == .orderedSame
    }
    return try compareEqual(item, patternValue, caseSensitive: ast.isCaseSensitive)
  }

  func executeTry(body: [Statement], catches: [CatchClause], finallyBody: [Statement]?, sink: @escaping Sink) throws {
    var pending: Error?
    tryDepth += 1
    do {
      try executeStatements(body, sink: sink)
      tryDepth -= 1
    } catch let record as PSErrorRecord {
      tryDepth -= 1
      var handled = false
      for clause in catches where try catchMatches(clause, record) {
        handled = true
        reportError(record, print: false)
        let saved = current.variables["_"]
        setLocal("_", .object(Builtins.errorRecordObject(record)))
        do {
          try executeStatements(clause.body, sink: sink)
        } catch {
          pending = error
        }
        current.variables["_"] = saved
        break
      }
      if !handled { pending = record }
    } catch {
      tryDepth -= 1
      pending = error
    }
    if let finallyBody {
      try executeStatements(finallyBody, sink: sink)
    }
    if let pending { throw pending }
  }

  func catchMatches(_ clause: CatchClause, _ record: PSErrorRecord) throws -> Bool {
    if clause.typeNames.isEmpty { return true }
    for type in clause.typeNames {
      guard let resolved = PSExceptionTypes.resolve(type.name) ?? PSTypes.resolve(type.name) else {
        currentExtent = type.extent
        throw typeNotFound(type.name)
      }
      if record.exception.isOfType(resolved) { return true }
      if record.stoppedByPreference
        && PSExceptionTypes.chain("System.Management.Automation.ActionPreferenceStopException").contains(resolved)
      {
        return true
      }
    }
    return false
  }

  func makeThrownRecord(_ pipeline: PipelineAst?, extent: Extent) throws -> PSErrorRecord {
    var value: PSValue = .null
    if let pipeline { value = try pipelineValue(pipeline) }
    if case .object(let object) = value {
      if let record = object.native as? PSErrorRecord {
        record.terminatesScript = true
        return record
      }
      if let exception = object.native as? PSException {
        let record = PSErrorRecord(
          exception: exception, errorId: exception.message, category: .operationStopped, targetObject: .null)
        record.invocation = extent.invocationInfo(commandName: "")
        record.terminatesScript = true
        return record
      }
    }
    if value.isNull {
      // `throw` alone inside a catch rethrows the current error.
      if pipeline == nil, case .object(let object) = lookup(VariableRef(scope: nil, name: "_")),
        let record = object.native as? PSErrorRecord
      {
        record.terminatesScript = true
        return record
      }
      let record = PSErrorRecord(
        exceptionType: "System.Management.Automation.RuntimeException", message: "ScriptHalted",
        errorId: "ScriptHalted",
        category: .operationStopped)
      record.invocation = extent.invocationInfo(commandName: "")
      record.terminatesScript = true
      return record
    }
    let message = PSConvert.toString(value)
    let record = PSErrorRecord(
      exceptionType: "System.Management.Automation.RuntimeException", message: message, errorId: message,
      category: .operationStopped, targetObject: value)
    record.invocation = extent.invocationInfo(commandName: "")
    record.terminatesScript = true
    return record
  }

  // MARK: values of pipelines and statements

  /// 0 items -> $null, 1 -> the item, more -> object[].
  func collapse(_ items: [PSValue]) -> PSValue {
    switch items.count {
    case 0: return .null
    case 1: return items[0]
    default: return .array(PSArray(items))
    }
  }

  /// The value of a pipeline used as a value (conditions, assignment right-hand sides): a lone expression keeps its
  /// value (an empty array stays an array); a command pipeline's output collapses.
  func pipelineValue(_ pipeline: PipelineAst) throws -> PSValue {
    if pipeline.elements.count == 1, case .expression(let expression, let redirections, _) = pipeline.elements[0],
      redirections.isEmpty
    {
      let value = try evaluate(expression)
      lastSuccess = true
      return value
    }
    var items: [PSValue] = []
    try runPipeline(pipeline, sink: { items.append($0) })
    return collapse(items)
  }

  func statementValue(_ statement: Statement) throws -> PSValue {
    switch statement {
    case .pipeline(let pipeline): return try pipelineValue(pipeline)
    case .assignment(let target, let op, let value, let extent):
      let assigned = try statementValue(value)
      try performAssignment(target: target, op: op, value: assigned, extent: extent)
      return try evaluate(target)
    default:
      var items: [PSValue] = []
      try executeStatement(statement, sink: { items.append($0) })
      return collapse(items)
    }
  }
}
