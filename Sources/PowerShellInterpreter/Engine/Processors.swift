import Foundation

extension PSParameterType {
  var isSwitch: Bool {
    if case .switchParameter = self { return true }
    return false
  }
}

/// Runs a `PSCommandDefinition` (host or language cmdlet).
final class CmdletProcessor: CommandProcessor {
  let definition: PSCommandDefinition
  let command: CommandAst
  let invokedAs: String
  let specs: [ParameterSpec]
  let pipelineSpecs: [ParameterSpec]
  let mandatorySpecs: [ParameterSpec]
  var bound = BoundArguments()
  var inputs: [PSValue] = []
  var discardOutput = false

  init(
    engine: Engine, definition: PSCommandDefinition, command: CommandAst, invokedAs: String, downstream: @escaping Sink,
    expectingInput: Bool
  ) {
    self.definition = definition
    self.command = command
    self.invokedAs = invokedAs
    specs = definition.parameters.map {
      ParameterSpec(
        name: $0.name, aliases: $0.aliases, type: $0.type, typeName: nil, isSwitch: $0.type.isSwitch,
        isMandatory: $0.isMandatory, position: $0.position, fromPipeline: $0.valueFromPipeline,
        fromPipelineByPropertyName: $0.valueFromPipelineByPropertyName, validateSet: $0.validateSet,
        takesRemaining: $0.takesRemainingArguments)
    }
    pipelineSpecs = specs.filter { $0.fromPipeline || $0.fromPipelineByPropertyName }
    mandatorySpecs = specs.filter { $0.isMandatory }
    super.init(engine: engine, downstream: downstream, expectingInput: expectingInput)
  }

  func fail(_ record: PSErrorRecord) -> PSErrorRecord {
    engine.finalize(
      record, commandName: definition.name, implementingType: definition.implementingType, extent: command.extent)
    failed = true
    return record
  }

  override func begin() throws {
    engine.currentExtent = command.extent
    for redirection in command.redirections {
      if case .file = redirection.target { throw engine.fileRedirectionError() }
      if (redirection.stream == 1 || redirection.stream == 0) && engine.isNullTarget(redirection.target) {
        discardOutput = true
      }
    }
    do {
      let elements = try engine.evaluateElements(command)
      bound = try engine.bind(
        elements, specs: specs, isAdvanced: true, isCmdlet: true,
        supportsShouldProcess: definition.supportsShouldProcess)
    } catch let record as PSErrorRecord {
      if record.exception.typeName == "System.Management.Automation.ParameterBindingException" { throw fail(record) }
      throw record
    }
    try engine.initializeCommonVariables(bound.common)
    if let hook = definition.beginHook { try run(hook, parameters: bound.parameters, input: nil, inputs: []) }
  }

  override func process(_ item: PSValue) throws {
    if definition.inputMode == .all {
      inputs.append(item)
      return
    }
    var parameters = bound.parameters
    guard engine.bindPipelineItem(item, specs: pipelineSpecs, into: &parameters, isCmdlet: true) else {
      let record = engine.bindingError(
        "The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.",
        id: "InputObjectNotBound", target: item)
      try writeError(record)
      return
    }
    try run(definition.body, parameters: parameters, input: item, inputs: [])
  }

  override func end() throws {
    if definition.inputMode == .all {
      try run(definition.body, parameters: bound.parameters, input: nil, inputs: inputs)
    } else if !expectingInput {
      try run(definition.body, parameters: bound.parameters, input: nil, inputs: [])
    }
    if let hook = definition.endHook { try run(hook, parameters: bound.parameters, input: nil, inputs: []) }
  }

  func writeError(_ record: PSErrorRecord) throws {
    engine.finalize(
      record, commandName: definition.name, implementingType: definition.implementingType, extent: command.extent)
    failed = true
    _ = try engine.writeNonTerminating(
      record, common: bound.common, redirections: command.redirections, downstream: downstream)
  }

  func emit(_ value: PSValue) throws {
    if let outVariable = bound.common.outVariable,
      case .array(let list) = engine.lookup(VariableRef(scope: nil, name: outVariable))
    {
      list.items.append(value)
    }
    if discardOutput { return }
    try downstream(value)
  }

  func run(_ body: (PSCommandContext) throws -> Void, parameters: PSBoundParameters, input: PSValue?, inputs: [PSValue])
    throws
  {
    let missing = mandatorySpecs.filter {
      !parameters.has($0.name)
        && !(expectingInput && ($0.fromPipeline || $0.fromPipelineByPropertyName))
    }
    if !missing.isEmpty {
      throw fail(
        engine.bindingError(
          "Cannot process command because of one or more missing mandatory parameters: \(missing.map { $0.name }.joined(separator: " ")).",
          id: "MissingMandatoryParameter"))
    }
    let context = PSCommandContext(
      parameters: parameters, inputObject: input, inputObjects: inputs, expectingInput: expectingInput,
      commandName: invokedAs, engine: engine, whatIf: bound.common.whatIf,
      emit: { [unowned self] in try self.emit($0) },
      writeError: { [unowned self] in try self.writeError($0) })
    engine.streamPreferences.append((bound.common.warningAction, bound.common.verbose))
    defer { engine.streamPreferences.removeLast() }
    let savedExtent = engine.currentExtent
    engine.currentExtent = command.extent
    defer { engine.currentExtent = savedExtent }
    do {
      try body(context)
    } catch let record as PSErrorRecord {
      throw fail(record)
    }
  }
}

/// Runs a script function or a script block (`& { }`, `& $sb`, `. $sb`).
final class ScriptProcessor: CommandProcessor {
  let body: ScriptBlockAst
  let name: String
  let command: CommandAst
  let dotSource: Bool
  let specs: [ParameterSpec]
  let isAdvanced: Bool
  var scope: Scope!
  var inputs: [PSValue] = []
  var discardOutput = false
  var bound = BoundArguments()

  init(
    engine: Engine, body: ScriptBlockAst, name: String, command: CommandAst, dotSource: Bool,
    downstream: @escaping Sink, expectingInput: Bool
  ) {
    self.body = body
    self.name = name
    self.command = command
    self.dotSource = dotSource
    specs = body.parameters.map { parameter in
      let typeName = parameter.typeName.flatMap {
        PSTypes.resolve($0.name) ?? Builtins.enumType(named: $0.name)?.fullName
      }
      let isSwitch = parameter.typeName?.name.lowercased() == "switch"
      return ParameterSpec(
        name: parameter.name, aliases: parameter.aliases, type: isSwitch ? .switchParameter : nil,
        typeName: isSwitch ? nil : typeName, isSwitch: isSwitch, isMandatory: parameter.isMandatory,
        position: parameter.position, fromPipeline: parameter.fromPipeline,
        fromPipelineByPropertyName: parameter.fromPipelineByPropertyName, validateSet: parameter.validateSet)
    }
    isAdvanced =
      body.hasCmdletBinding
      || body.parameters.contains {
        $0.isMandatory || $0.fromPipeline || $0.fromPipelineByPropertyName || $0.position != nil
      }
    super.init(engine: engine, downstream: downstream, expectingInput: expectingInput)
  }

  func enter<T>(_ work: () throws -> T) throws -> T {
    let saved = engine.current
    engine.current = scope
    engine.callDepth += 1
    engine.functionNames.append(name)
    defer {
      engine.current = saved
      engine.callDepth -= 1
      engine.functionNames.removeLast()
    }
    if engine.callDepth > 100 {
      throw engine.runtimeError(
        "The script failed due to call depth overflow.", id: "CallDepthOverflow", category: .invalidOperation,
        exceptionType: "System.Management.Automation.ScriptCallDepthException")
    }
    return try work()
  }

  func runBlock(_ statements: [Statement]) throws {
    let sink: Sink = { [unowned self] value in
      if let outVariable = self.bound.common.outVariable,
        case .array(let list) = engine.lookup(VariableRef(scope: nil, name: outVariable))
      {
        list.items.append(value)
      }
      if !self.discardOutput { try self.downstream(value) }
    }
    func merges(_ stream: Int) -> Bool {
      command.redirections.contains {
        guard $0.stream == stream || $0.stream == 0, case .mergeToOutput = $0.target else { return false }
        return true
      }
    }
    let mergeErrors = merges(2)
    let mergeWarnings = merges(3)
    if mergeErrors { engine.mergedErrors.append(sink) }
    if mergeWarnings { engine.mergedWarnings.append(sink) }
    defer {
      if mergeErrors { engine.mergedErrors.removeLast() }
      if mergeWarnings { engine.mergedWarnings.removeLast() }
    }
    do {
      try engine.executeStatements(statements, sink: sink)
    } catch ControlFlow.returnFlow {}
  }

  override func begin() throws {
    engine.currentExtent = command.extent
    for redirection in command.redirections {
      if case .file = redirection.target { throw engine.fileRedirectionError() }
      if (redirection.stream == 1 || redirection.stream == 0) && engine.isNullTarget(redirection.target) {
        discardOutput = true
      }
    }
    let elements = try engine.evaluateElements(command)
    do {
      bound = try engine.bind(
        elements, specs: specs, isAdvanced: isAdvanced, isCmdlet: false, supportsShouldProcess: false)
    } catch let record as PSErrorRecord {
      engine.finalize(record, commandName: name, implementingType: name.isEmpty ? nil : name, extent: command.extent)
      throw record
    }
    if !expectingInput {
      let missing = specs.filter { $0.isMandatory && !bound.parameters.has($0.name) }
      if !missing.isEmpty {
        let record = engine.bindingError(
          "Cannot process command because of one or more missing mandatory parameters: \(missing.map { $0.name }.joined(separator: " ")).",
          id: "MissingMandatoryParameter")
        engine.finalize(record, commandName: name, implementingType: name, extent: command.extent)
        throw record
      }
    }
    try engine.initializeCommonVariables(bound.common)
    scope = dotSource ? engine.current : Scope(parent: engine.current)
    try enter {
      let table = PSHashtable()
      for spec in specs {
        var value: PSValue
        if let given = bound.parameters[spec.name] {
          value = given
          table.set(.string(spec.name), given)
        } else if let parameter = body.parameters.first(where: { $0.name == spec.name }),
          let defaultValue = parameter.defaultValue
        {
          value = try engine.evaluate(defaultValue)
          if let typeName = spec.typeName { value = try engine.convert(value, to: typeName) }
        } else if spec.isSwitch {
          value = .bool(false)
        } else if let typeName = spec.typeName {
          value = (try? engine.convert(.null, to: typeName)) ?? .null
        } else {
          value = .null
        }
        scope.variables[spec.name.lowercased()] = Variable(value, typeConstraint: spec.isSwitch ? nil : spec.typeName)
      }
      scope.variables["args"] = Variable(.array(PSArray(bound.remaining)))
      // An advanced function's -ErrorAction / -Verbose set the preference variables in its own scope.
      if let errorAction = bound.common.errorAction {
        scope.variables["erroractionpreference"] = Variable(.string(errorAction))
      }
      if let verbose = bound.common.verbose {
        scope.variables["verbosepreference"] = Variable(.string(verbose ? "Continue" : "SilentlyContinue"))
      }
      if let warningAction = bound.common.warningAction {
        scope.variables["warningpreference"] = Variable(.string(warningAction))
      }
      scope.variables["psboundparameters"] = Variable(.hashtable(table))
      if let begin = body.begin { try runBlock(begin) }
    }
  }

  override func process(_ item: PSValue) throws {
    guard let processBlock = body.process else {
      inputs.append(item)
      return
    }
    try enter {
      var parameters = PSBoundParameters()
      if engine.bindPipelineItem(
        item, specs: specs.filter { !bound.parameters.has($0.name) }, into: &parameters, isCmdlet: false)
      {
        for (name, value) in parameters.values {
          scope.variables[name.lowercased()] = Variable(
            value, typeConstraint: scope.variables[name.lowercased()]?.typeConstraint)
        }
      }
      scope.variables["_"] = Variable(item)
      try runBlock(processBlock)
    }
  }

  override func end() throws {
    try enter {
      if let processBlock = body.process, !expectingInput { try runBlock(processBlock) }
      scope.variables["input"] = Variable(.array(PSArray(inputs)))
      try runBlock(body.end)
    }
    failed = !engine.lastSuccess
  }
}

/// Runs a host-provided native program with 5.1's argument passing.
final class NativeProcessor: CommandProcessor {
  let definition: PSNativeCommandDefinition
  let command: CommandAst
  var arguments: [String] = []
  var inputs: [String] = []

  init(
    engine: Engine, definition: PSNativeCommandDefinition, command: CommandAst, downstream: @escaping Sink,
    expectingInput: Bool
  ) {
    self.definition = definition
    self.command = command
    super.init(engine: engine, downstream: downstream, expectingInput: expectingInput)
  }

  override func begin() throws {
    engine.currentExtent = command.extent
    for element in try engine.evaluateElements(command) {
      switch element {
      case .parameter(let name, let value, _):
        if let value {
          arguments.append("-\(name):" + PSConvert.toString(value))
        } else {
          arguments.append("-" + name)
        }
      case .argument(let value):
        for item in value.enumeratedItems ?? [value] { arguments.append(PSConvert.toString(item)) }
      }
    }
  }

  override func process(_ item: PSValue) throws { inputs.append(PSConvert.toString(item)) }

  /// The command line Windows PowerShell 5.1 builds: empty arguments dropped, arguments with blanks outside quotes
  /// wrapped in double quotes, embedded quotes left as they are.
  static func commandLine(_ arguments: [String]) -> String {
    arguments.filter { !$0.isEmpty }.map { argument -> String in
      var inQuotes = false
      var needsQuotes = false
      for c in argument {
        if c == "\"" { inQuotes.toggle() }
        if (c == " " || c == "\t") && !inQuotes { needsQuotes = true }
      }
      return needsQuotes ? "\"\(argument)\"" : argument
    }.joined(separator: " ")
  }

  /// How the Microsoft C runtime splits a command line into argv.
  static func parseArguments(_ line: String) -> [String] {
    let chars = Array(line)
    var result: [String] = []
    var i = 0
    while i < chars.count {
      while i < chars.count && (chars[i] == " " || chars[i] == "\t") { i += 1 }
      if i >= chars.count { break }
      var current = ""
      var inQuotes = false
      while i < chars.count {
        let c = chars[i]
        if c == "\\" {
          var count = 0
          while i < chars.count && chars[i] == "\\" {
            count += 1
            i += 1
          }
          if i < chars.count && chars[i] == "\"" {
            current += String(repeating: "\\", count: count / 2)
            if count % 2 == 1 {
              current.append("\"")
              i += 1
            }
          } else {
            current += String(repeating: "\\", count: count)
          }
        } else if c == "\"" {
          if inQuotes && i + 1 < chars.count && chars[i + 1] == "\"" {
            current.append("\"")
            i += 2
          } else {
            inQuotes.toggle()
            i += 1
          }
        } else if (c == " " || c == "\t") && !inQuotes {
          break
        } else {
          current.append(c)
          i += 1
        }
      }
      result.append(current)
    }
    return result
  }

  override func end() throws {
    let line = NativeProcessor.commandLine(arguments)
    let context = PSNativeCommandContext(
      arguments: NativeProcessor.parseArguments(line), commandLine: line, standardInput: inputs, host: engine.host)
    let code = definition.body(context)
    engine.global.variables["lastexitcode"] = Variable(.int(code))
    failed = code != 0
    let discard = command.redirections.contains { ($0.stream == 1 || $0.stream == 0) && engine.isNullTarget($0.target) }
    let mergeErrors = command.redirections.contains {
      $0.stream == 2 && { if case .mergeToOutput = $0.target { return true } else { return false } }($0)
    }
    let dropErrors = command.redirections.contains {
      ($0.stream == 2 || $0.stream == 0) && engine.isNullTarget($0.target)
    }
    if !discard {
      for output in context.stdoutLines { try downstream(.string(output)) }
    }
    // Windows PowerShell 5.1: stderr goes straight to the console unless stream 2 is redirected; then every line
    // becomes a NativeCommandError record (kept in $Error, and fatal under $ErrorActionPreference = 'Stop').
    let redirected = mergeErrors || dropErrors
    for errorLine in context.stderrLines {
      guard redirected else {
        engine.flushFormatted()
        engine.emitText(.stderr, errorLine + engine.host.newline)
        continue
      }
      let record = PSErrorRecord(
        exceptionType: "System.Management.Automation.RemoteException", message: errorLine,
        errorId: "NativeCommandError", category: .notSpecified, targetObject: .string(errorLine))
      engine.finalize(record, commandName: definition.name, implementingType: nil, extent: command.extent)
      let sink: Sink = discard ? { _ in } : downstream
      _ = try engine.writeNonTerminating(
        record, common: CommonParameters(), redirections: command.redirections, downstream: sink)
    }
  }
}

extension Engine {
  /// -ErrorVariable / -OutVariable start as empty lists when the command starts (unless `+name` appends).
  func initializeCommonVariables(_ common: CommonParameters) throws {
    for name in [common.errorVariable, common.outVariable].compactMap({ $0 }) where !name.hasPrefix("+") {
      try assign(VariableRef(scope: nil, name: name), .array(PSArray([], kind: .arrayList)))
    }
  }

  /// Reads all of stdin once (`[Console]::In.ReadToEnd()`); later reads get an empty string.
  func readStandardInput() -> String {
    if standardInputConsumed { return "" }
    standardInputConsumed = true
    return host.readStandardInput()
  }
}
