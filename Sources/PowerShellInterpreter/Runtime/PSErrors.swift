import Foundation

/// `System.Management.Automation.ErrorCategory`, with the numbers 5.1 uses (ConvertTo-Json writes the number).
public enum PSErrorCategory: Int, Sendable, CaseIterable {
  case notSpecified = 0, openError, closeError, deviceError, deadlockDetected, invalidArgument, invalidData
  case invalidOperation, invalidResult, invalidType, metadataError, notImplemented, notInstalled, objectNotFound
  case operationStopped, operationTimeout, syntaxError, parserError, permissionDenied, resourceBusy, resourceExists
  case resourceUnavailable, readError, writeError, fromStdErr, securityError, protocolError, connectionError
  case authenticationError, limitsExceeded, quotaExceeded, notEnabled

  /// The name as PowerShell prints it (`ObjectNotFound`).
  public var name: String {
    let raw = String(describing: self)
    return raw.prefix(1).uppercased() + raw.dropFirst()
  }

  /// The enum type exposed to scripts as `$_.CategoryInfo.Category`.
  public static let enumType = PSEnumType(
    fullName: "System.Management.Automation.ErrorCategory",
    members: allCases.map { ($0.name, Int64($0.rawValue)) })
}

/// The .NET exception class hierarchy the interpreter knows, so that `catch [System.SystemException]` also catches
/// an ItemNotFoundException and `$_.Exception.GetType().FullName` is the real name. Hosts may register more types.
public enum PSExceptionTypes {
  private static let registry = LockedRegistry<[String: String]>([
    "System.SystemException": "System.Exception",
    "System.ApplicationException": "System.Exception",
    "System.Management.Automation.RuntimeException": "System.SystemException",
    "System.Management.Automation.SessionStateException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.ItemNotFoundException": "System.Management.Automation.SessionStateException",
    "System.Management.Automation.DriveNotFoundException": "System.Management.Automation.SessionStateException",
    "System.Management.Automation.ProviderNotFoundException": "System.Management.Automation.SessionStateException",
    "System.Management.Automation.CommandNotFoundException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.ParameterBindingException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.MethodException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.MethodInvocationException": "System.Management.Automation.MethodException",
    "System.Management.Automation.PropertyNotFoundException":
      "System.Management.Automation.ExtendedTypeSystemException",
    "System.Management.Automation.ExtendedTypeSystemException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.GetValueInvocationException": "System.Management.Automation.GetValueException",
    "System.Management.Automation.GetValueException": "System.Management.Automation.ExtendedTypeSystemException",
    "System.Management.Automation.SetValueInvocationException": "System.Management.Automation.SetValueException",
    "System.Management.Automation.SetValueException": "System.Management.Automation.ExtendedTypeSystemException",
    "System.Management.Automation.ParseException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.IncompleteParseException": "System.Management.Automation.ParseException",
    "System.Management.Automation.ActionPreferenceStopException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.PipelineStoppedException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.ValidationMetadataException": "System.Management.Automation.MetadataException",
    "System.Management.Automation.MetadataException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.PSInvalidCastException": "System.InvalidCastException",
    "System.Management.Automation.PSArgumentException": "System.ArgumentException",
    "System.Management.Automation.PSArgumentNullException": "System.ArgumentNullException",
    "System.Management.Automation.PSArgumentOutOfRangeException": "System.ArgumentOutOfRangeException",
    "System.Management.Automation.PSInvalidOperationException": "System.InvalidOperationException",
    "System.Management.Automation.PSNotSupportedException": "System.NotSupportedException",
    "System.Management.Automation.PSSecurityException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.WildcardPatternException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.PSNotImplementedException": "System.NotImplementedException",
    "Microsoft.PowerShell.Commands.WriteErrorException": "System.SystemException",
    "Microsoft.PowerShell.Commands.ServiceCommandException": "System.SystemException",
    "Microsoft.Management.Infrastructure.CimException": "System.Exception",
    "System.ArgumentException": "System.SystemException",
    "System.ArgumentNullException": "System.ArgumentException",
    "System.ArgumentOutOfRangeException": "System.ArgumentException",
    "System.InvalidCastException": "System.SystemException",
    "System.InvalidOperationException": "System.SystemException",
    "System.NotSupportedException": "System.SystemException",
    "System.NotImplementedException": "System.SystemException",
    "System.FormatException": "System.SystemException",
    "System.OverflowException": "System.ArithmeticException",
    "System.DivideByZeroException": "System.ArithmeticException",
    "System.ArithmeticException": "System.SystemException",
    "System.IndexOutOfRangeException": "System.SystemException",
    "System.NullReferenceException": "System.SystemException",
    "System.UnauthorizedAccessException": "System.SystemException",
    "System.TimeoutException": "System.SystemException",
    "System.IO.IOException": "System.SystemException",
    "System.IO.FileNotFoundException": "System.IO.IOException",
    "System.IO.DirectoryNotFoundException": "System.IO.IOException",
    "System.IO.PathTooLongException": "System.IO.IOException",
    "System.Security.SecurityException": "System.SystemException",
    "System.Security.Cryptography.CryptographicException": "System.SystemException",
    "System.Runtime.InteropServices.ExternalException": "System.SystemException",
    "System.Runtime.InteropServices.COMException": "System.Runtime.InteropServices.ExternalException",
    "System.ComponentModel.Win32Exception": "System.Runtime.InteropServices.ExternalException",
    "System.Management.ManagementException": "System.SystemException",
  ])

  /// Registers an exception type and its direct base type (full names).
  public static func register(_ typeName: String, base: String) {
    registry.update { $0[typeName] = base }
  }

  private static var baseOf: [String: String] { registry.read { $0 } }

  /// True when the type is known (registered or built in).
  public static func isKnown(_ typeName: String) -> Bool {
    typeName == "System.Exception" || baseOf[typeName] != nil
  }

  /// The type and its base types up to `System.Exception`, most derived first.
  public static func chain(_ typeName: String) -> [String] {
    var result = [typeName]
    var current = typeName
    while let base = baseOf[current], !result.contains(base) {
      result.append(base)
      current = base
    }
    if result.last != "System.Exception" && typeName != "System.Exception" { result.append("System.Exception") }
    return result + ["System.Object"]
  }

  /// The full name for a name given with or without the `System.` prefix, if known.
  public static func resolve(_ name: String) -> String? {
    let candidates = [name, "System." + name]
    if name.caseInsensitiveCompare("System.Exception") == .orderedSame
      || name.caseInsensitiveCompare("Exception") == .orderedSame
    {
      return "System.Exception"
    }
    for candidate in candidates {
      if let known = baseOf.keys.first(where: { $0.caseInsensitiveCompare(candidate) == .orderedSame }) {
        return known
      }
    }
    return nil
  }
}

/// A .NET exception as scripts see it through `$_.Exception`: a type name, a message and an optional inner
/// exception.
public final class PSException: @unchecked Sendable {
  /// Full .NET type name, e.g. `System.Management.Automation.ItemNotFoundException`.
  public let typeName: String
  public var message: String
  public var innerException: PSException?
  /// Extra properties (e.g. `ItemName`, `NativeErrorCode`) shown on `$_.Exception`.
  public var extraProperties: [(String, PSValue)] = []
  /// The error record a RuntimeException carries (`$_.Exception.ErrorRecord`).
  public weak var errorRecord: PSErrorRecord?

  public init(typeName: String, message: String, innerException: PSException? = nil) {
    self.typeName = typeName
    self.message = message
    self.innerException = innerException
  }

  /// The type and its base types, most derived first.
  public var typeChain: [String] { PSExceptionTypes.chain(typeName) }

  /// The type name without its namespace (`ItemNotFoundException`), as CategoryInfo prints it.
  public var shortTypeName: String { String(typeName.split(separator: ".").last ?? Substring(typeName)) }

  public func isOfType(_ name: String) -> Bool {
    typeChain.contains { $0.caseInsensitiveCompare(name) == .orderedSame }
  }
}

/// Where an error happened: the command name and the script position (for "At line:N char:M" and the `+ ~~~` line).
public struct PSInvocationInfo: Sendable {
  /// The command's name (`Get-Item`), empty for errors not raised by a command.
  public var commandName: String
  /// 1-based line and column of the failing element in its script text.
  public var line: Int
  public var column: Int
  /// The full text of that line and the length of the failing element on it (for the `~~~` underline).
  public var lineText: String
  public var length: Int

  public init(commandName: String, line: Int, column: Int, lineText: String, length: Int) {
    self.commandName = commandName
    self.line = line
    self.column = column
    self.lineText = lineText
    self.length = length
  }
}

/// A `System.Management.Automation.ErrorRecord`: what `Write-Error` and cmdlets write, what `$Error` holds and what
/// `catch` binds to `$_`. Throw one from a host cmdlet to raise a terminating error.
public final class PSErrorRecord: Error, @unchecked Sendable {
  public var exception: PSException
  /// `FullyQualifiedErrorId`; the engine appends `,<implementing type>` for errors a cmdlet writes.
  public var fullyQualifiedErrorId: String
  public var category: PSErrorCategory
  public var targetObject: PSValue
  /// `CategoryInfo.Activity`: the command name (`Get-Item`); filled in by the engine when empty.
  public var activity: String
  public var invocation: PSInvocationInfo?
  /// `ErrorDetails.Message`, which replaces the exception message when printed.
  public var errorDetailsMessage: String?
  /// True once the engine has fixed the id/activity/position; hosts leave this alone.
  var isFinalized = false
  /// True for errors that came from `-ErrorAction Stop` / `$ErrorActionPreference = 'Stop'`.
  var stoppedByPreference = false
  /// Parse errors print without the "X : " prefix and with ParentContainsErrorRecordException as reason.
  var isParseError = false
  /// `throw` and Stop errors end the whole script unless caught; other terminating errors end one statement.
  var terminatesScript = false
  /// The object scripts see as `$_` / in `$Error` (created once so identity holds).
  var scriptObject: PSObject?

  public init(
    exception: PSException, errorId: String, category: PSErrorCategory, targetObject: PSValue = .null,
    activity: String = ""
  ) {
    self.exception = exception
    self.fullyQualifiedErrorId = errorId
    self.category = category
    self.targetObject = targetObject
    self.activity = activity
    if exception.errorRecord == nil { exception.errorRecord = self }
  }

  /// Convenience: a record around a new exception of `exceptionType` (full .NET name).
  public convenience init(
    exceptionType: String, message: String, errorId: String, category: PSErrorCategory,
    targetObject: PSValue = .null
  ) {
    self.init(
      exception: PSException(typeName: exceptionType, message: message), errorId: errorId, category: category,
      targetObject: targetObject)
  }

  /// The message as printed: ErrorDetails when present, else the exception message.
  public var message: String { errorDetailsMessage ?? exception.message }

  /// `CategoryInfo.Reason`: the exception's short type name.
  public var reason: String { exception.shortTypeName }

  /// `ItemNotFoundException` as Get-Item and friends write it for a missing path.
  public static func pathNotFound(_ path: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.Management.Automation.ItemNotFoundException",
      message: "Cannot find path '\(path)' because it does not exist.", errorId: "PathNotFound",
      category: .objectNotFound, targetObject: .string(path))
  }
}
