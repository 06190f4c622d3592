import Foundation

/// A variable slot; `typeConstraint` is set by `[int]$x = ...` and converts later assignments.
final class Variable {
  var value: PSValue
  var typeConstraint: String?
  init(_ value: PSValue, typeConstraint: String? = nil) {
    self.value = value
    self.typeConstraint = typeConstraint
  }
}

/// A variable scope (global, script, function or script block).
final class Scope {
  let parent: Scope?
  var variables: [String: Variable] = [:]
  var functions: [String: ScriptBlockAst] = [:]
  init(parent: Scope?) { self.parent = parent }

  func find(_ key: String) -> Variable? {
    var scope: Scope? = self
    while let current = scope {
      if let variable = current.variables[key] { return variable }
      scope = current.parent
    }
    return nil
  }

  func findFunction(_ key: String) -> ScriptBlockAst? {
    var scope: Scope? = self
    while let current = scope {
      if let function = current.functions[key] { return function }
      scope = current.parent
    }
    return nil
  }
}

/// break / continue / return / exit unwinding.
enum ControlFlow: Error {
  case breakLoop(String?)
  case continueLoop(String?)
  case returnFlow
  case exit(Int32)
}

typealias Sink = (PSValue) throws -> Void

/// The evaluator: scopes, commands, error handling and output for one runspace (one powershell.exe).
final class Engine {
  let host: PSHostEnvironment
  let global = Scope(parent: nil)
  var current: Scope
  var scriptScope: Scope
  var commands: [String: PSCommandDefinition] = [:]
  var aliases: [String: String] = [:]
  var natives: [String: PSNativeCommandDefinition] = [:]
  let errorList = PSArray([], kind: .arrayList)
  var lastSuccess = true
  var tryDepth = 0
  var callDepth = 0
  var functionNames: [String] = []
  var outputEncodingIsUTF8 = false
  var standardInputConsumed = false
  var environmentOverrides: [String: String?] = [:]
  /// The extent being evaluated, for error positions.
  var currentExtent: Extent?
  /// Output state of the current run.
  var stdoutText = ""
  var stderrText = ""
  var printedErrors: [PSErrorRecord] = []
  var outputObjects: [PSValue] = []
  var pendingFormat: [PSValue] = []
  var regexCache: [String: NSRegularExpression] = [:]
  var typeCache: [String: String] = [:]
  /// Stack of `-WarningAction`/`-Verbose` overrides for the command running now.
  var streamPreferences: [(warning: String?, verbose: Bool?)] = []
  /// Script blocks and functions running with `2>&1` / `3>&1` (`*>&1`): where the error and warning records written
  /// anywhere inside them go, as ErrorRecord and WarningRecord objects in their output (the innermost applies).
  var mergedErrors: [Sink] = []
  var mergedWarnings: [Sink] = []

  init(host: PSHostEnvironment) {
    self.host = host
    current = global
    scriptScope = global
    installAutomaticVariables()
    registerLanguageCommands()
    registerUtilityCommands()
  }

  func installAutomaticVariables() {
    let set = { (name: String, value: PSValue) in self.global.variables[name.lowercased()] = Variable(value) }
    set("ErrorActionPreference", .string("Continue"))
    set("WarningPreference", .string("Continue"))
    set("VerbosePreference", .string("SilentlyContinue"))
    set("DebugPreference", .string("SilentlyContinue"))
    set("ProgressPreference", .string("Continue"))
    set("InformationPreference", .string("SilentlyContinue"))
    set("ConfirmPreference", .string("High"))
    set("WhatIfPreference", .bool(false))
    set("PSCulture", .string("en-US"))
    set("PSUICulture", .string("en-US"))
    set("PID", .int(4242))
    set("HOME", .string("C:\\Users\\\(host.userName)"))
    set("PSHOME", .string("C:\\Windows\\System32\\WindowsPowerShell\\v1.0"))
    set("PSScriptRoot", .string(""))
    set("PSCommandPath", .string(""))
    set("MaximumHistoryCount", .int(4096))
    let table = PSHashtable()
    table["PSVersion"] = .object(Builtins.version(host.psVersion))
    table["PSEdition"] = .string("Desktop")
    table["PSCompatibleVersions"] = .array(
      ["1.0", "2.0", "3.0", "4.0", "5.0", "5.1"].map { .object(Builtins.version($0)) })
    table["BuildVersion"] = .object(Builtins.version(host.osVersion))
    table["CLRVersion"] = .object(Builtins.version("4.0.30319.42000"))
    table["WSManStackVersion"] = .object(Builtins.version("3.0"))
    table["PSRemotingProtocolVersion"] = .object(Builtins.version("2.3"))
    table["SerializationVersion"] = .object(Builtins.version("1.1.0.1"))
    set("PSVersionTable", .hashtable(table))
  }

  // MARK: registration

  func registerCommand(_ command: PSCommandDefinition) {
    commands[command.name.lowercased()] = command
    for alias in command.aliases { aliases[alias.lowercased()] = command.name }
  }

  func registerNative(_ native: PSNativeCommandDefinition) {
    var name = native.name.lowercased()
    natives[name] = native
    if name.hasSuffix(".exe") {
      name.removeLast(4)
      natives[name] = native
    }
  }

  func setGlobal(_ name: String, _ value: PSValue) { global.variables[name.lowercased()] = Variable(value) }
  func globalValue(_ name: String) -> PSValue? { global.variables[name.lowercased()]?.value }

  // MARK: variables

  func lookupVariable(_ name: String) -> PSValue? {
    let ref = Parser.splitScope(name)
    let value = lookup(ref)
    if value.isNull && current.find(ref.name.lowercased()) == nil && ref.scope == nil { return nil }
    return value
  }

  func assignVariable(_ name: String, _ value: PSValue) {
    try? assign(Parser.splitScope(name), value)
  }

  func environmentVariable(_ name: String) -> String? {
    if let override = environmentOverrides.first(where: { $0.key.caseInsensitiveCompare(name) == .orderedSame }) {
      return override.value
    }
    if name.caseInsensitiveCompare("COMPUTERNAME") == .orderedSame,
      !host.environmentVariables.keys.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame })
    {
      return host.machineName
    }
    return host.environmentVariables.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
  }

  func lookup(_ ref: VariableRef) -> PSValue {
    let key = ref.name.lowercased()
    switch ref.scope {
    case nil, "local", "private", "using", "variable":
      switch key {
      case "true": return .bool(true)
      case "false": return .bool(false)
      case "null": return .null
      case "?": return .bool(lastSuccess)
      case "error": return .array(errorList)
      case "psitem": return current.find("_")?.value ?? .null
      case "executioncontext", "host": return .null
      default: break
      }
      if ref.scope == "local" || ref.scope == "private" { return current.variables[key]?.value ?? .null }
      return current.find(key)?.value ?? .null
    case "global": return global.variables[key]?.value ?? .null
    case "script": return scriptScope.find(key)?.value ?? .null
    case "env": return environmentVariable(ref.name).map { .string($0) } ?? .null
    default: return .null
    }
  }

  func assign(_ ref: VariableRef, _ value: PSValue) throws {
    let key = ref.name.lowercased()
    if ref.scope == "env" {
      environmentOverrides[ref.name] = value.isNull ? .some(nil) : PSConvert.toString(value)
      return
    }
    if ref.scope == nil {
      if ["true", "false", "null", "?", "error"].contains(key) {
        if key == "null" { return }
        throw runtimeError(
          "Cannot overwrite variable \(ref.name) because it is read-only or constant.", id: "VariableNotWritable",
          category: .writeError, exceptionType: "System.Management.Automation.SessionStateUnauthorizedAccessException")
      }
      if key == "psitem" { return try assign(VariableRef(scope: nil, name: "_"), value) }
    }
    let scope: Scope
    switch ref.scope {
    case "global": scope = global
    case "script": scope = scriptScope
    default: scope = current
    }
    if let existing = scope.variables[key] {
      if let constraint = existing.typeConstraint {
        existing.value = try convert(value, to: constraint)
      } else {
        existing.value = value
      }
    } else {
      scope.variables[key] = Variable(value)
    }
  }

  func setLocal(_ name: String, _ value: PSValue) { current.variables[name.lowercased()] = Variable(value) }

  var errorActionPreference: String {
    PSConvert.toString(lookup(VariableRef(scope: nil, name: "ErrorActionPreference")))
  }

  // MARK: errors

  func runtimeError(
    _ message: String, id: String, category: PSErrorCategory = .notSpecified,
    exceptionType: String = "System.Management.Automation.RuntimeException", target: PSValue = .null
  ) -> PSErrorRecord {
    let record = PSErrorRecord(
      exceptionType: exceptionType, message: message, errorId: id, category: category, targetObject: target)
    attachPosition(record, commandName: "")
    return record
  }

  /// "Unable to find type [name]", or not modelled for .NET types 5.1 has that WinLab lacks (multidimensional arrays,
  /// generic types other than List[T]).
  func typeNotFound(_ name: String) -> PSErrorRecord {
    let compact = name.replacingOccurrences(of: " ", with: "")
    if compact.contains("[,") || compact.lowercased().hasPrefix("system.collections.generic.")
      || compact.lowercased().hasPrefix("collections.generic.")
    {
      return notModelled("the type [\(name)]")
    }
    return runtimeError("Unable to find type [\(name)].", id: "TypeNotFound", category: .invalidOperation)
  }

  /// The error for a construct Windows PowerShell 5.1 has but WinLab does not model: it fails loudly rather than
  /// answer with a plausible but wrong value. `what` completes "WinLab does not model ...".
  func notModelled(_ what: String) -> PSErrorRecord {
    runtimeError("WinLab does not model \(what).", id: "NotModelled", category: .notImplemented)
  }

  func attachPosition(_ record: PSErrorRecord, commandName: String) {
    if record.invocation == nil, let extent = currentExtent {
      record.invocation = extent.invocationInfo(commandName: commandName)
    }
  }

  /// Records an error in `$Error` and prints it (ErrorAction Continue) — what happens to non-terminating errors and
  /// to terminating errors nobody caught.
  func reportError(_ record: PSErrorRecord, print: Bool = true) {
    errorList.items.insert(.object(Builtins.errorRecordObject(record)), at: 0)
    if errorList.items.count > 256 { errorList.items.removeLast() }
    if print {
      flushFormatted()
      printedErrors.append(record)
      emitText(.stderr, ErrorFormatter.format(record, newline: host.newline))
    }
  }

  // MARK: output text

  func emitText(_ stream: PSTextStream, _ text: String) {
    if stream == .stdout { stdoutText += text } else { stderrText += text }
    host.textSink?(stream, text)
  }

  func writeHostLine(_ text: String) {
    flushFormatted()
    emitText(.stdout, text + host.newline)
  }

  func writeWarning(_ text: String) {
    let preference =
      streamPreferences.last?.warning ?? PSConvert.toString(lookup(VariableRef(scope: nil, name: "WarningPreference")))
    guard !["silentlycontinue", "ignore"].contains(preference.lowercased()) else { return }
    if let merged = mergedWarnings.last {
      // 3>&1: a WarningRecord object in the output instead of the host's "WARNING:" line.
      let record = PSObject(
        typeName: "System.Management.Automation.WarningRecord",
        baseTypes: ["System.Management.Automation.InformationalRecord", "System.Object"])
      record.addProperty("Message", .string(text))
      record.toStringHandler = { text }
      try? merged(.object(record))
      return
    }
    writeHostLine("WARNING: " + text)
  }

  func writeVerbose(_ text: String) {
    let enabled =
      streamPreferences.last?.verbose
      ?? (PSConvert.toString(lookup(VariableRef(scope: nil, name: "VerbosePreference"))).lowercased() == "continue")
    guard enabled else { return }
    writeHostLine("VERBOSE: " + text)
  }

  /// Objects reaching Out-Default.
  func outDefault(_ value: PSValue) {
    outputObjects.append(value)
    // Scalars print at once (live output for the shell); tables wait for the rest of their rows.
    let formatter = OutputFormatter(newline: host.newline)
    let shape = formatter.shape(value)
    if let previous = pendingFormat.last, formatter.shape(previous) != shape { flushFormatted() }
    pendingFormat.append(value)
    if shape == .scalar { flushFormatted() }
  }

  func flushFormatted() {
    guard !pendingFormat.isEmpty else { return }
    let text = OutputFormatter(newline: host.newline).format(pendingFormat)
    pendingFormat = []
    if !text.isEmpty { emitText(.stdout, text) }
  }
}
