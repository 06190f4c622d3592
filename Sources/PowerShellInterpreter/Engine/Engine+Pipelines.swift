import Foundation

/// One element of a running pipeline (begin / process each item / end), pushing its output downstream.
class CommandProcessor {
  let engine: Engine
  let downstream: Sink
  let expectingInput: Bool
  var failed = false

  init(engine: Engine, downstream: @escaping Sink, expectingInput: Bool) {
    self.engine = engine
    self.downstream = downstream
    self.expectingInput = expectingInput
  }

  func begin() throws {}
  func process(_ item: PSValue) throws {}
  func end() throws {}
}

/// Common parameters the engine handles for cmdlets and advanced functions.
struct CommonParameters {
  var errorAction: String?
  var errorVariable: String?
  var warningAction: String?
  var verbose: Bool?
  var whatIf = false
  var outVariable: String?
}

/// A parameter as the binder sees it, for cmdlets and script functions alike.
struct ParameterSpec {
  var name: String
  var aliases: [String]
  var type: PSParameterType?
  var typeName: String?
  var isSwitch: Bool
  var isMandatory: Bool
  var position: Int?
  var fromPipeline: Bool
  var fromPipelineByPropertyName: Bool
  var validateSet: [String]?
  var takesRemaining = false
}

/// The result of binding a command's arguments.
struct BoundArguments {
  var parameters = PSBoundParameters()
  var common = CommonParameters()
  var remaining: [PSValue] = []
}

/// A command argument after evaluation.
enum EvaluatedElement {
  case parameter(name: String, value: PSValue?, text: String)
  case argument(PSValue)
}

extension Engine {
  static let commonParameterNames: [(String, [String])] = [
    ("ErrorAction", ["ea"]), ("ErrorVariable", ["ev"]), ("WarningAction", ["wa"]), ("WarningVariable", ["wv"]),
    ("InformationAction", ["infa"]), ("InformationVariable", ["iv"]), ("Verbose", ["vb"]), ("Debug", ["db"]),
    ("OutVariable", ["ov"]), ("OutBuffer", ["ob"]), ("PipelineVariable", ["pv"]),
  ]

  // MARK: running pipelines

  func runPipeline(_ pipeline: PipelineAst, sink: @escaping Sink) throws {
    var processors: [CommandProcessor] = []
    var next: Sink = sink
    for (offset, element) in pipeline.elements.enumerated().reversed() {
      guard case .command(let command) = element else { continue }
      let processor = try makeProcessor(command, downstream: next, expectingInput: offset > 0)
      processors.insert(processor, at: 0)
      let captured = processor
      next = { try captured.process($0) }
    }
    let savedExtent = currentExtent
    defer { currentExtent = savedExtent }
    for processor in processors { try processor.begin() }
    if case .expression(let expression, let redirections, let extent) = pipeline.elements[0] {
      currentExtent = extent
      let discard = redirections.contains { ($0.stream == 1 || $0.stream == 0) && isNullTarget($0.target) }
      for redirection in redirections {
        if case .file = redirection.target { throw fileRedirectionError() }
      }
      let items = try outputItems(of: expression)
      if !discard {
        for item in items { try next(item) }
      }
    }
    for processor in processors { try processor.end() }
    lastSuccess = !processors.contains { $0.failed }
  }

  func isNullTarget(_ target: RedirectionTarget) -> Bool {
    if case .null = target { return true }
    return false
  }

  func fileRedirectionError() -> PSErrorRecord {
    runtimeError(
      "Redirecting output to a file is not modelled by this PowerShell host; use Set-Content or Out-File.",
      id: "RedirectionNotSupported", category: .notImplemented,
      exceptionType: "System.Management.Automation.PSNotSupportedException")
  }

  /// What an expression at the start of a pipeline writes: its value enumerated, nothing for void results.
  func outputItems(of expression: Expr) throws -> [PSValue] {
    switch expression {
    case .subexpression(let statements):
      var items: [PSValue] = []
      try executeStatements(statements, sink: { items.append($0) })
      return items.flatMap { $0.enumeratedItems ?? [$0] }
    case .paren(.pipeline(let inner)):
      if inner.elements.count == 1, case .expression = inner.elements[0] { break }
      var items: [PSValue] = []
      try runPipeline(inner, sink: { items.append($0) })
      return items.flatMap { $0.enumeratedItems ?? [$0] }
    case .invokeMember:
      let value = try evaluate(expression)
      if value.isNull { return [] }
      return value.enumeratedItems ?? [value]
    case .cast(let type, _) where type.name.lowercased() == "void":
      _ = try evaluate(expression)
      return []
    case .unary(let op, _, _) where [.preIncrement, .preDecrement, .postIncrement, .postDecrement].contains(op):
      _ = try evaluate(expression)
      return []
    default: break
    }
    let value = try evaluate(expression)
    return value.enumeratedItems ?? [value]
  }

  // MARK: command resolution

  static let languageAliases: [String: String] = [
    "%": "ForEach-Object", "foreach": "ForEach-Object", "?": "Where-Object", "where": "Where-Object",
    "select": "Select-Object", "sort": "Sort-Object", "measure": "Measure-Object", "group": "Group-Object",
    "echo": "Write-Output", "write": "Write-Output", "sleep": "Start-Sleep", "gv": "Get-Variable", "sv": "Set-Variable",
    "set": "Set-Variable", "oh": "Out-Host",
  ]

  func commandNotFound(_ name: String, extent: Extent) -> PSErrorRecord {
    let record = PSErrorRecord(
      exceptionType: "System.Management.Automation.CommandNotFoundException",
      message:
        "The term '\(name)' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
      errorId: "CommandNotFoundException", category: .objectNotFound, targetObject: .string(name))
    record.invocation = extent.invocationInfo(commandName: name)
    record.isFinalized = true
    return record
  }

  func makeProcessor(_ command: CommandAst, downstream: @escaping Sink, expectingInput: Bool) throws -> CommandProcessor
  {
    currentExtent = command.nameExtent
    let nameValue = try evaluate(command.name)
    let dotSource = command.invocationOperator == "."
    if case .scriptBlock(let block) = nameValue {
      return ScriptProcessor(
        engine: self, body: block.body, name: "", command: command, dotSource: dotSource, downstream: downstream,
        expectingInput: expectingInput)
    }
    if case .object(let object) = nameValue, object.typeName == "System.Management.Automation.CmdletInfo" {
      return try makeProcessor(
        named: PSConvert.toString(nameValue), command, downstream: downstream, expectingInput: expectingInput,
        dotSource: dotSource)
    }
    let name = PSConvert.toString(nameValue)
    return try makeProcessor(
      named: name, command, downstream: downstream, expectingInput: expectingInput, dotSource: dotSource)
  }

  func makeProcessor(
    named rawName: String, _ command: CommandAst, downstream: @escaping Sink, expectingInput: Bool, dotSource: Bool
  ) throws -> CommandProcessor {
    var name = rawName
    if let slash = name.firstIndex(of: "\\"), !name.contains(":"), !name.hasPrefix("."),
      name[..<slash].lowercased().hasPrefix("microsoft.powershell")
    {
      name = String(name[name.index(after: slash)...])
    }
    let lowered = name.lowercased()
    if let target = aliases[lowered] ?? Engine.languageAliases[lowered], lowered != target.lowercased() {
      if current.findFunction(lowered) == nil {
        return try makeProcessor(
          named: target, command, downstream: downstream, expectingInput: expectingInput, dotSource: dotSource)
      }
    }
    if let function = current.findFunction(lowered) {
      return ScriptProcessor(
        engine: self, body: function, name: name, command: command, dotSource: dotSource, downstream: downstream,
        expectingInput: expectingInput)
    }
    if let definition = commands[lowered] {
      return CmdletProcessor(
        engine: self, definition: definition, command: command, invokedAs: name, downstream: downstream,
        expectingInput: expectingInput)
    }
    let fileName = String(lowered.split(separator: "\\").last ?? Substring(lowered))
    if let native = natives[fileName] ?? natives[fileName + ".exe"] {
      return NativeProcessor(
        engine: self, definition: native, command: command, downstream: downstream, expectingInput: expectingInput)
    }
    throw commandNotFound(name, extent: command.nameExtent)
  }

  // MARK: argument evaluation and binding

  func evaluateElements(_ command: CommandAst) throws -> [EvaluatedElement] {
    var result: [EvaluatedElement] = []
    for element in command.elements {
      switch element {
      case .parameter(let name, let argument, let extent):
        currentExtent = extent
        result.append(.parameter(name: name, value: try argument.map { try evaluate($0) }, text: extent.text))
      case .argument(let expression):
        result.append(.argument(try evaluate(expression)))
      case .splat(let variable, let extent):
        currentExtent = extent
        let value = lookup(VariableRef(scope: nil, name: variable))
        switch value {
        case .hashtable(let table):
          for (key, item) in table.entries {
            let keyName = PSConvert.toString(key)
            if case .bool(true) = item {
              result.append(.parameter(name: keyName, value: .bool(true), text: "-\(keyName)"))
            } else {
              result.append(.parameter(name: keyName, value: item, text: "-\(keyName)"))
            }
          }
        case .array(let array):
          result += array.items.map { .argument($0) }
        case .null: break
        default: result.append(.argument(value))
        }
      }
    }
    return result
  }

  func bindingError(
    _ message: String, id: String, category: PSErrorCategory = .invalidArgument, target: PSValue = .null
  ) -> PSErrorRecord {
    let record = PSErrorRecord(
      exceptionType: "System.Management.Automation.ParameterBindingException", message: message, errorId: id,
      category: category, targetObject: target)
    return record
  }

  func convertArgument(
    _ value: PSValue, _ spec: ParameterSpec, commandIsCmdlet: Bool, isAdvanced: Bool = false
  ) throws -> PSValue {
    // An advanced function refuses an array for a [string] parameter; a simple one joins it ('1 2').
    if isAdvanced && !commandIsCmdlet && spec.typeName == "System.String", case .array(let array) = value,
      array.items.count != 1
    {
      throw bindingError(
        "Cannot process argument transformation on parameter '\(spec.name)'. Cannot convert value to type System.String.",
        id: "ParameterArgumentTransformationError", category: .invalidData)
    }
    do {
      var converted = value
      if let type = spec.type {
        converted = try convertParameter(value, type, spec.name)
      } else if let typeName = spec.typeName {
        converted = try convert(value, to: typeName)
      }
      if let set = spec.validateSet {
        for item in converted.enumeratedItems ?? [converted] {
          let text = PSConvert.toString(item)
          if !set.contains(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) {
            throw bindingError(
              "Cannot validate argument on parameter '\(spec.name)'. The argument \"\(text)\" does not belong to the set \"\(set.joined(separator: ","))\" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.",
              id: "ParameterArgumentValidationError", category: .invalidData)
          }
        }
      }
      return converted
    } catch let record as PSErrorRecord
      where record.exception.typeName != "System.Management.Automation.ParameterBindingException"
    {
      if commandIsCmdlet {
        throw bindingError(
          "Cannot bind parameter '\(spec.name)'. \(record.exception.message)", id: "CannotConvertArgumentNoMessage",
          target: value)
      }
      throw bindingError(
        "Cannot process argument transformation on parameter '\(spec.name)'. \(record.exception.message)",
        id: "ParameterArgumentTransformationError", category: .invalidData)
    }
  }

  func convertParameter(_ value: PSValue, _ type: PSParameterType, _ name: String) throws -> PSValue {
    switch type {
    case .object: return value
    case .string:
      if case .array(let array) = value, array.items.count != 1 {
        throw PSConvert.invalidCast(
          value, "System.String", "Specified method is not supported.", errorId: "CannotConvertArgument")
      }
      return try convert(value, to: "System.String")
    case .stringArray: return try convert(value, to: "System.String[]")
    case .int: return try convert(value, to: "System.Int32")
    case .long: return try convert(value, to: "System.Int64")
    case .intArray: return try convert(value, to: "System.Int32[]")
    case .double: return try convert(value, to: "System.Double")
    case .bool: return try convert(value, to: "System.Boolean")
    case .switchParameter: return .bool(PSConvert.toBool(value))
    case .dateTime: return try convert(value, to: "System.DateTime")
    case .scriptBlock:
      if case .scriptBlock = value { return value }
      throw PSConvert.invalidCast(
        value, "System.Management.Automation.ScriptBlock", "", errorId: "CannotConvertArgument")
    case .hashtable:
      if case .hashtable = value { return value }
      throw PSConvert.invalidCast(value, "System.Collections.Hashtable", "", errorId: "CannotConvertArgument")
    case .byteArray: return try convert(value, to: "System.Byte[]")
    case .enumeration(let enumType):
      if case .enumValue(let e) = value, e.type.fullName == enumType.fullName { return value }
      if case .string(let s) = value {
        if let converted = enumType.value(named: s) { return .enumValue(converted) }
        let names = enumType.members.map { $0.name }.joined(separator: ", ")
        throw runtimeError(
          "Cannot convert value \"\(s)\" to type \"\(enumType.fullName)\". Error: \"Unable to match the identifier name \(s) to a valid enumerator name. Specify one of the following enumerator names and try again:\n\(names)\"",
          id: "CannotConvertArgument", category: .invalidArgument)
      }
      if case .array(let array) = value, enumType.isFlags {
        var total: Int64 = 0
        for item in array.items {
          guard case .enumValue(let e) = try convertParameter(item, type, name) else { continue }
          total |= e.value
        }
        return .enumValue(enumType.value(total))
      }
      if let number = try PSConvert.toInt64(value) { return .enumValue(enumType.value(number)) }
      return value
    case .typed(let typeName):
      if case .array(let array) = value, array.items.count == 1 {
        return try convertParameter(array.items[0], type, name)
      }
      if case .object(let object) = value, object.isOfType(typeName) { return value }
      if PSTypes.typeChain(of: value).contains(where: { $0.caseInsensitiveCompare(typeName) == .orderedSame }) {
        return value
      }
      throw PSConvert.invalidCast(value, typeName, "", errorId: "CannotConvertArgument")
    case .typedArray(let typeName):
      let items = value.enumeratedItems ?? [value]
      return .array(PSArray(try items.map { try convertParameter($0, .typed(typeName), name) }))
    }
  }

  /// Binds named, switch and positional arguments (and splats) to `specs`.
  func bind(
    _ elements: [EvaluatedElement], specs: [ParameterSpec], isAdvanced: Bool, isCmdlet: Bool,
    supportsShouldProcess: Bool
  ) throws -> BoundArguments {
    var bound = BoundArguments()
    var positional: [PSValue] = []
    var index = 0
    func resolve(_ name: String) throws -> (spec: ParameterSpec?, common: String?) {
      let lowered = name.lowercased()
      if let exact = specs.first(where: {
        $0.name.lowercased() == lowered || $0.aliases.contains { $0.lowercased() == lowered }
      }) {
        return (exact, nil)
      }
      var commons = isAdvanced ? Engine.commonParameterNames : []
      if isAdvanced && supportsShouldProcess { commons += [("WhatIf", ["wi"]), ("Confirm", ["cf"])] }
      if let common = commons.first(where: { $0.0.lowercased() == lowered || $0.1.contains(lowered) }) {
        return (nil, common.0)
      }
      let prefixed = specs.filter { $0.name.lowercased().hasPrefix(lowered) }
      let commonPrefixed = commons.filter { $0.0.lowercased().hasPrefix(lowered) }
      if prefixed.count + commonPrefixed.count > 1 {
        let names = (prefixed.map { "-" + $0.name } + commonPrefixed.map { "-" + $0.0 }).joined(separator: " ")
        throw bindingError(
          "Parameter cannot be processed because the parameter name '\(name)' is ambiguous. Possible matches include: \(names).",
          id: "AmbiguousParameter")
      }
      if let spec = prefixed.first { return (spec, nil) }
      if let common = commonPrefixed.first { return (nil, common.0) }
      return (nil, nil)
    }
    while index < elements.count {
      let element = elements[index]
      index += 1
      switch element {
      case .argument(let value):
        positional.append(value)
      case .parameter(let name, let attached, let text):
        let (spec, common) = try resolve(name)
        if let common {
          var value = attached
          let isSwitch = ["Verbose", "Debug", "WhatIf", "Confirm"].contains(common)
          if value == nil && !isSwitch {
            guard index < elements.count, case .argument(let next) = elements[index] else {
              throw bindingError(
                "Missing an argument for parameter '\(common)'. Specify a parameter of type '\(common.hasSuffix("Action") ? "System.Management.Automation.ActionPreference" : "System.String")' and try again.",
                id: "MissingArgument")
            }
            value = next
            index += 1
          }
          let resolved = value ?? .bool(true)
          switch common {
          case "ErrorAction", "WarningAction", "InformationAction":
            let text = PSConvert.toString(resolved)
            guard
              let preference = Builtins.enumType(named: "System.Management.Automation.ActionPreference")?.value(
                named: text)
            else {
              throw bindingError(
                "Cannot bind parameter '\(common)'. Cannot convert value \"\(text)\" to type \"System.Management.Automation.ActionPreference\". Error: \"Unable to match the identifier name \(text) to a valid enumerator name. Specify one of the following enumerator names and try again:\nSilentlyContinue, Stop, Continue, Inquire, Ignore, Suspend\"",
                id: "CannotConvertArgumentNoMessage")
            }
            if common == "ErrorAction" { bound.common.errorAction = preference.name }
            if common == "WarningAction" { bound.common.warningAction = preference.name }
          case "ErrorVariable": bound.common.errorVariable = PSConvert.toString(resolved)
          case "OutVariable": bound.common.outVariable = PSConvert.toString(resolved)
          case "Verbose": bound.common.verbose = PSConvert.toBool(resolved)
          case "WhatIf": bound.common.whatIf = PSConvert.toBool(resolved)
          default: break
          }
          continue
        }
        guard let spec else {
          if !isAdvanced {
            positional.append(.string(text))
            if let attached { positional.append(attached) }
            continue
          }
          throw bindingError(
            "A parameter cannot be found that matches parameter name '\(name)'.", id: "NamedParameterNotFound")
        }
        var value: PSValue
        if spec.isSwitch {
          value = attached ?? .bool(true)
        } else if let attached {
          value = attached
        } else {
          guard index < elements.count, case .argument(let next) = elements[index] else {
            let typeName = spec.typeName ?? Engine.displayTypeName(spec.type)
            throw bindingError(
              "Missing an argument for parameter '\(spec.name)'. Specify a parameter of type '\(typeName)' and try again.",
              id: "MissingArgument")
          }
          value = next
          index += 1
        }
        if bound.parameters.has(spec.name) {
          throw bindingError(
            "Cannot bind parameter because parameter '\(spec.name)' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\".",
            id: "ParameterAlreadyBound")
        }
        bound.parameters[spec.name] = try convertArgument(
          value, spec, commandIsCmdlet: isCmdlet, isAdvanced: isAdvanced)
      }
    }
    var positionalSpecs: [ParameterSpec]
    if isCmdlet || isAdvanced && specs.contains(where: { $0.position != nil }) {
      positionalSpecs = specs.filter { $0.position != nil }.sorted { $0.position! < $1.position! }
    } else {
      positionalSpecs = specs.filter { !$0.isSwitch }
    }
    positionalSpecs.removeAll { bound.parameters.has($0.name) }
    for (offset, value) in positional.enumerated() {
      if let spec = positionalSpecs.first, spec.takesRemaining {
        bound.parameters[spec.name] = .array(PSArray(Array(positional[offset...])))
        break
      }
      if !positionalSpecs.isEmpty {
        let spec = positionalSpecs.removeFirst()
        bound.parameters[spec.name] = try convertArgument(
          value, spec, commandIsCmdlet: isCmdlet, isAdvanced: isAdvanced)
      } else if !isAdvanced {
        bound.remaining.append(value)
      } else {
        throw bindingError(
          "A positional parameter cannot be found that accepts argument '\(PSConvert.toString(value))'.",
          id: "PositionalParameterNotFound", target: value)
      }
    }
    return bound
  }

  static func displayTypeName(_ type: PSParameterType?) -> String {
    switch type {
    case .string: return "System.String"
    case .stringArray: return "System.String[]"
    case .int: return "System.Int32"
    case .long: return "System.Int64"
    case .intArray: return "System.Int32[]"
    case .double: return "System.Double"
    case .bool: return "System.Boolean"
    case .dateTime: return "System.DateTime"
    case .scriptBlock: return "System.Management.Automation.ScriptBlock"
    case .hashtable: return "System.Collections.Hashtable"
    case .byteArray: return "System.Byte[]"
    case .enumeration(let e): return e.fullName
    case .typed(let name): return name
    case .typedArray(let name): return name + "[]"
    default: return "System.Object"
    }
  }

  /// True when `value` fits the parameter without type coercion (the first binding pass PowerShell tries).
  func fitsWithoutCoercion(_ value: PSValue, _ spec: ParameterSpec) -> Bool {
    func isString(_ v: PSValue) -> Bool {
      if case .string = v { return true }
      return false
    }
    func chainContains(_ v: PSValue, _ name: String) -> Bool {
      PSTypes.typeChain(of: v).contains { $0.caseInsensitiveCompare(name) == .orderedSame }
    }
    guard let type = spec.type else {
      guard let typeName = spec.typeName else { return true }
      return chainContains(value, typeName)
    }
    switch type {
    case .object: return true
    case .string: return isString(value)
    case .stringArray: return isString(value) || (value.enumeratedItems?.allSatisfy(isString) ?? false)
    case .int:
      if case .int = value { return true }
      return false
    case .long, .intArray:
      switch value {
      case .int, .long: return true
      default: return false
      }
    case .double:
      if case .double = value { return true }
      return false
    case .bool, .switchParameter:
      if case .bool = value { return true }
      return false
    case .dateTime:
      if case .dateTime = value { return true }
      return false
    case .scriptBlock:
      if case .scriptBlock = value { return true }
      return false
    case .hashtable:
      if case .hashtable = value { return true }
      return false
    case .byteArray: return value.enumeratedItems != nil
    case .enumeration(let enumType):
      if case .enumValue(let e) = value { return e.type.fullName == enumType.fullName }
      return false
    case .typed(let name), .typedArray(let name):
      if let items = value.enumeratedItems { return !items.isEmpty && items.allSatisfy { chainContains($0, name) } }
      return chainContains(value, name)
    }
  }

  /// Binds the current pipeline item the way PowerShell tries it: by value without coercion, by property name,
  /// then by value with coercion. False when nothing binds.
  func bindPipelineItem(
    _ item: PSValue, specs: [ParameterSpec], into parameters: inout PSBoundParameters, isCmdlet: Bool
  ) -> Bool {
    let open = specs.filter { !parameters.has($0.name) }
    for spec in open where spec.fromPipeline && fitsWithoutCoercion(item, spec) {
      if let converted = try? convertArgument(item, spec, commandIsCmdlet: isCmdlet) {
        parameters[spec.name] = converted
        return true
      }
    }
    var boundAny = false
    for spec in open where spec.fromPipelineByPropertyName {
      for name in [spec.name] + spec.aliases {
        guard hasProperty(item, name), let value = try? getMember(item, name) else { continue }
        if let converted = try? convertArgument(value, spec, commandIsCmdlet: isCmdlet) {
          parameters[spec.name] = converted
          boundAny = true
          break
        }
      }
    }
    if boundAny { return true }
    for spec in open where spec.fromPipeline {
      if case .typed = spec.type ?? .object { continue }
      if case .typedArray = spec.type ?? .object { continue }
      if let converted = try? convertArgument(item, spec, commandIsCmdlet: isCmdlet) {
        parameters[spec.name] = converted
        return true
      }
    }
    return false
  }

  func hasProperty(_ value: PSValue, _ name: String) -> Bool {
    switch value {
    case .object(let object): return object.property(named: name) != nil
    case .hashtable: return false
    default: return !((try? getMember(value, name)) ?? .null).isNull
    }
  }

  /// Finalizes an error written or thrown by a command: id suffix, activity, position.
  func finalize(_ record: PSErrorRecord, commandName: String, implementingType: String?, extent: Extent) {
    guard !record.isFinalized else { return }
    record.isFinalized = true
    if let implementingType, !implementingType.isEmpty, !record.fullyQualifiedErrorId.contains(",") {
      record.fullyQualifiedErrorId += "," + implementingType
    }
    if record.activity.isEmpty { record.activity = commandName }
    if record.invocation == nil { record.invocation = extent.invocationInfo(commandName: commandName) }
  }

  /// Routes a non-terminating error according to the effective ErrorAction.
  func writeNonTerminating(
    _ record: PSErrorRecord, common: CommonParameters, redirections: [Redirection], downstream: Sink
  ) throws -> Bool {
    if let variable = common.errorVariable {
      let append = variable.hasPrefix("+")
      let name = append ? String(variable.dropFirst()) : variable
      let existing = lookup(VariableRef(scope: nil, name: name))
      let list: PSArray
      if case .array(let array) = existing, append || array.kind == .arrayList {
        list = array
      } else {
        list = PSArray([], kind: .arrayList)
        try? assign(VariableRef(scope: nil, name: name), .array(list))
      }
      list.items.append(.object(Builtins.errorRecordObject(record)))
    }
    let preference = (common.errorAction ?? errorActionPreference).lowercased()
    switch preference {
    case "stop":
      record.stoppedByPreference = true
      record.terminatesScript = true
      throw record
    case "ignore":
      return true
    case "silentlycontinue":
      reportError(record, print: false)
      return true
    default:
      let suppressed = redirections.contains { ($0.stream == 2 || $0.stream == 0) && isNullTarget($0.target) }
      let merged = redirections.contains {
        $0.stream == 2 && { if case .mergeToOutput = $0.target { return true } else { return false } }($0)
      }
      if merged {
        reportError(record, print: false)
        try downstream(.object(Builtins.errorRecordObject(record)))
      } else if !suppressed, let outer = mergedErrors.last {
        // Inside a script block or function invoked with 2>&1: the record joins that invocation's output.
        reportError(record, print: false)
        try outer(.object(Builtins.errorRecordObject(record)))
      } else {
        reportError(record, print: !suppressed)
      }
      return true
    }
  }

  // MARK: script blocks

  func invokeScriptBlockCollecting(_ block: PSScriptBlock, dollarUnder: PSValue?, arguments: [PSValue]) throws
    -> [PSValue]
  {
    try invokeScriptBlockCollecting(block, dollarUnder: dollarUnder, arguments: arguments, newScope: true)
  }

  /// Runs a script block's statements; with `newScope: false` it runs in the caller's scope (ForEach-Object,
  /// Where-Object) with `$_` set for the duration.
  func invokeScriptBlockCollecting(_ block: PSScriptBlock, dollarUnder: PSValue?, arguments: [PSValue], newScope: Bool)
    throws -> [PSValue]
  {
    var items: [PSValue] = []
    let sink: Sink = { items.append($0) }
    let saved = current
    if newScope { current = Scope(parent: current) }
    let savedDollar = current.variables["_"]
    if let dollarUnder { current.variables["_"] = Variable(dollarUnder) }
    if newScope {
      current.variables["args"] = Variable(.array(PSArray(arguments)))
      for (offset, parameter) in block.body.parameters.enumerated() {
        var value: PSValue = offset < arguments.count ? arguments[offset] : .null
        if offset >= arguments.count, let defaultValue = parameter.defaultValue { value = try evaluate(defaultValue) }
        if let type = parameter.typeName, let resolved = resolveType(type.name) {
          value = try convert(value, to: resolved)
        }
        current.variables[parameter.name.lowercased()] = Variable(value)
      }
    }
    defer {
      if newScope {
        current = saved
      } else {
        current.variables["_"] = savedDollar
      }
    }
    do {
      for statements in [block.body.begin, block.body.process, block.body.end] {
        if let statements { try executeStatements(statements, sink: sink) }
      }
    } catch ControlFlow.returnFlow {}
    return items
  }
}
