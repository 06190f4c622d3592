import Foundation

/// The declared type of a cmdlet parameter; the engine converts arguments to it with PowerShell's rules and reports
/// a ParameterBindingException when it cannot.
public enum PSParameterType: Sendable {
  /// Any value, passed as is (arrays stay arrays).
  case object
  case string
  /// `string[]`: a single value becomes a one-element array.
  case stringArray
  case int
  case long
  case intArray
  case double
  case bool
  /// `[switch]`: present means true; `-Name:$false` gives false.
  case switchParameter
  case dateTime
  case scriptBlock
  case hashtable
  case byteArray
  /// A .NET enum; strings convert by member name (case-insensitive).
  case enumeration(PSEnumType)
  /// An object whose `typeNames` contain this name (e.g. a CimInstance of MSFT_NetFirewallRule); pipeline binding
  /// by value only binds objects of this type.
  case typed(String)
  /// An array of `typed` objects.
  case typedArray(String)
}

/// One declared parameter of a host or language cmdlet.
public struct PSParameterInfo: Sendable {
  public var name: String
  public var aliases: [String]
  public var type: PSParameterType
  public var isMandatory: Bool
  /// 0-based position for positional arguments, nil for named-only.
  public var position: Int?
  public var valueFromPipeline: Bool
  public var valueFromPipelineByPropertyName: Bool
  /// `[ValidateSet(...)]` (case-insensitive), nil for none.
  public var validateSet: [String]?
  /// ValueFromRemainingArguments: takes every positional argument left over, as an array.
  public var takesRemainingArguments = false

  public init(
    _ name: String, type: PSParameterType = .object, aliases: [String] = [], mandatory: Bool = false,
    position: Int? = nil, fromPipeline: Bool = false, fromPipelineByPropertyName: Bool = false,
    validateSet: [String]? = nil
  ) {
    self.name = name
    self.aliases = aliases
    self.type = type
    self.isMandatory = mandatory
    self.position = position
    self.valueFromPipeline = fromPipeline
    self.valueFromPipelineByPropertyName = fromPipelineByPropertyName
    self.validateSet = validateSet
  }
}

/// The parameters bound for one invocation, keyed by the declared (canonical) name, case-insensitive.
public struct PSBoundParameters: Sendable {
  /// Name/value pairs in binding order.
  public private(set) var values: [(name: String, value: PSValue)] = []
  private var index: [String: Int] = [:]

  public init() {}

  public subscript(name: String) -> PSValue? {
    get { index[name.lowercased()].map { values[$0].value } }
    set {
      let key = name.lowercased()
      if let position = index[key] {
        if let newValue {
          values[position] = (values[position].name, newValue)
        } else {
          values.remove(at: position)
          index = [:]
          for (offset, entry) in values.enumerated() { index[entry.name.lowercased()] = offset }
        }
      } else if let newValue {
        index[key] = values.count
        values.append((name, newValue))
      }
    }
  }

  /// True when the parameter was given (or bound from the pipeline).
  public func has(_ name: String) -> Bool { self[name] != nil }

  /// The value converted to a string, nil when absent or `$null`.
  public func string(_ name: String) -> String? {
    guard let value = self[name], !value.isNull else { return nil }
    return PSConvert.toString(value)
  }

  /// The value as a list of strings (a single value gives one element), nil when absent.
  public func strings(_ name: String) -> [String]? {
    guard let value = self[name], !value.isNull else { return nil }
    return (value.enumeratedItems ?? [value]).map { PSConvert.toString($0) }
  }

  /// The value converted to an integer, nil when absent.
  public func int(_ name: String) -> Int? {
    guard let value = self[name], !value.isNull else { return nil }
    return try? PSConvert.toInt64(value).map { Int($0) }
  }

  /// A switch parameter: false when absent.
  public func isSet(_ name: String) -> Bool {
    guard let value = self[name] else { return false }
    return PSConvert.toBool(value)
  }

  /// The value as a list (a single value gives one element), nil when absent.
  public func list(_ name: String) -> [PSValue]? {
    guard let value = self[name], !value.isNull else { return nil }
    return value.enumeratedItems ?? [value]
  }
}

/// What a cmdlet body uses to produce output, report errors and reach the session.
///
/// Writing errors goes through the engine's error handling: with `-ErrorAction Stop` (or
/// `$ErrorActionPreference = 'Stop'`) `writeError` throws, so call it with `try` and let the error propagate.
public final class PSCommandContext {
  /// The bound parameters (for per-item commands: including the values bound from the current pipeline item).
  public let parameters: PSBoundParameters
  /// The current pipeline item (per-item commands), nil when the command is not receiving pipeline input.
  public let inputObject: PSValue?
  /// Every pipeline item (commands declared with `inputMode: .all`).
  public let inputObjects: [PSValue]
  /// True when the command is not first in a pipeline.
  public let expectingInput: Bool
  /// The command name as invoked.
  public let commandName: String
  public let host: PSHostEnvironment
  let engine: Engine
  let emit: (PSValue) throws -> Void
  let writeErrorHandler: (PSErrorRecord) throws -> Void
  let whatIf: Bool

  init(
    parameters: PSBoundParameters, inputObject: PSValue?, inputObjects: [PSValue], expectingInput: Bool,
    commandName: String, engine: Engine, whatIf: Bool, emit: @escaping (PSValue) throws -> Void,
    writeError: @escaping (PSErrorRecord) throws -> Void
  ) {
    self.parameters = parameters
    self.inputObject = inputObject
    self.inputObjects = inputObjects
    self.expectingInput = expectingInput
    self.commandName = commandName
    self.engine = engine
    self.host = engine.host
    self.whatIf = whatIf
    self.emit = emit
    self.writeErrorHandler = writeError
  }

  /// Writes one object to the output pipeline (an array is written as one object, like `WriteObject(x)`).
  public func writeObject(_ value: PSValue) throws { try emit(value) }

  /// Writes each element of a collection (like `WriteObject(x, true)`); a non-collection is written as is.
  public func writeEnumerated(_ value: PSValue) throws {
    if let items = value.enumeratedItems {
      for item in items { try emit(item) }
    } else {
      try emit(value)
    }
  }

  /// Writes a non-terminating error. Throws when the effective ErrorAction is Stop.
  public func writeError(_ record: PSErrorRecord) throws { try writeErrorHandler(record) }

  /// `Write-Warning`: printed as "WARNING: text" unless `-WarningAction SilentlyContinue`.
  public func writeWarning(_ text: String) { engine.writeWarning(text) }

  /// `Write-Verbose`: printed as "VERBOSE: text" only with `-Verbose` / `$VerbosePreference = 'Continue'`.
  public func writeVerbose(_ text: String) { engine.writeVerbose(text) }

  /// Text straight to the host (like Write-Host).
  public func writeHost(_ text: String) { engine.writeHostLine(text) }

  /// `ShouldProcess`: false (after printing "What if: ...") when -WhatIf was given.
  public func shouldProcess(target: String, action: String) -> Bool {
    if whatIf {
      engine.writeHostLine("What if: Performing the operation \"\(action)\" on target \"\(target)\".")
      return false
    }
    return true
  }

  /// A variable as the script sees it (nil when not set).
  public func variable(_ name: String) -> PSValue? { engine.lookupVariable(name) }

  /// Sets a variable in the caller's scope.
  public func setVariable(_ name: String, _ value: PSValue) { engine.assignVariable(name, value) }

  /// Runs a script block with `$_` set to `input`; returns what it outputs.
  public func invoke(_ block: PSScriptBlock, input: PSValue? = nil, arguments: [PSValue] = []) throws -> [PSValue] {
    try engine.invokeScriptBlockCollecting(block, dollarUnder: input, arguments: arguments)
  }
}

/// A cmdlet implemented in Swift: a host cmdlet (Get-Service, Get-ItemProperty...) or a language cmdlet.
///
/// Per-item commands (`inputMode: .perItem`) run `body` once per pipeline item, with parameters bound from that item
/// (ValueFromPipeline / ValueFromPipelineByPropertyName), or once when nothing is piped in. `.all` commands run `body`
/// once with every item in `inputObjects` (for commands that need the whole input, like Sort-Object).
public struct PSCommandDefinition: @unchecked Sendable {
  /// Whether `body` runs once per pipeline item (`perItem`) or once with every item (`all`).
  public enum InputMode: Sendable { case perItem, all }

  public var name: String
  /// The .NET class, appended to FullyQualifiedErrorId (`PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand`).
  public var implementingType: String
  /// Alternative names (`gci`, `?`).
  public var aliases: [String]
  public var parameters: [PSParameterInfo]
  /// Accepts -WhatIf / -Confirm (use `context.shouldProcess`).
  public var supportsShouldProcess: Bool
  public var inputMode: InputMode
  public var body: (PSCommandContext) throws -> Void
  /// Language cmdlets only: runs before the first item / after the last (ForEach-Object -Begin/-End).
  var beginHook: ((PSCommandContext) throws -> Void)?
  var endHook: ((PSCommandContext) throws -> Void)?

  public init(
    name: String, implementingType: String, aliases: [String] = [], parameters: [PSParameterInfo],
    supportsShouldProcess: Bool = false, inputMode: InputMode = .perItem,
    body: @escaping (PSCommandContext) throws -> Void
  ) {
    self.name = name
    self.implementingType = implementingType
    self.aliases = aliases
    self.parameters = parameters
    self.supportsShouldProcess = supportsShouldProcess
    self.inputMode = inputMode
    self.body = body
  }
}

/// What a native command (an .exe) receives and how it writes output.
public final class PSNativeCommandContext {
  /// Arguments as the program's C runtime would parse them from the command line 5.1 builds.
  public let arguments: [String]
  /// The command line 5.1 passes to CreateProcess (after the program name).
  public let commandLine: String
  /// Pipeline input, converted to lines.
  public let standardInput: [String]
  public let host: PSHostEnvironment
  var stdoutLines: [String] = []
  var stderrLines: [String] = []

  init(arguments: [String], commandLine: String, standardInput: [String], host: PSHostEnvironment) {
    self.arguments = arguments
    self.commandLine = commandLine
    self.standardInput = standardInput
    self.host = host
  }

  /// One line of standard output (becomes a string in the pipeline).
  public func writeLine(_ line: String) { stdoutLines.append(line) }

  /// One line of standard error (goes to the process's stderr).
  public func writeErrorLine(_ line: String) { stderrLines.append(line) }
}

/// A native program (e.g. `icacls.exe`) provided by the host. Found as `icacls`, `icacls.exe` or by full path.
/// A non-zero exit code sets `$LASTEXITCODE` and `$?` but never throws, as in 5.1.
public struct PSNativeCommandDefinition: @unchecked Sendable {
  /// The file name, e.g. `icacls.exe`.
  public var name: String
  public var body: (PSNativeCommandContext) -> Int32

  public init(name: String, body: @escaping (PSNativeCommandContext) -> Int32) {
    self.name = name
    self.body = body
  }
}
