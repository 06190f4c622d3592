import PowerShellInterpreter

/// The error records Windows PowerShell 5.1's host cmdlets write, with their real messages, ids and categories.
enum HostErrors {
  static func pathNotFound(_ path: String) -> PSErrorRecord { PSErrorRecord.pathNotFound(path) }

  /// Get-ItemProperty -Name / Get-ItemPropertyValue / Remove-ItemProperty on a missing value.
  static func propertyNotFound(_ name: String, at nativePath: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.Management.Automation.PSArgumentException",
      message: "Property \(name) does not exist at path \(nativePath).",
      errorId: "System.Management.Automation.PSArgumentException", category: .invalidArgument,
      targetObject: .string(name))
  }

  static func propertyExists() -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.IO.IOException", message: "The property already exists.",
      errorId: "System.IO.IOException", category: .resourceExists)
  }

  static func itemExists(_ path: String, registry: Bool) -> PSErrorRecord {
    if registry {
      return PSErrorRecord(
        exceptionType: "System.IO.IOException", message: "A key at this path already exists.",
        errorId: "System.IO.IOException", category: .resourceExists, targetObject: .string(path))
    }
    return PSErrorRecord(
      exceptionType: "System.IO.IOException", message: "An item with the specified name \(path) already exists.",
      errorId: "DirectoryExist", category: .resourceExists, targetObject: .string(path))
  }

  static func invalidArgument(_ message: String, target: PSValue = .null) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.Management.Automation.PSArgumentException", message: message,
      errorId: "Argument", category: .invalidArgument, targetObject: target)
  }

  static func notSupported(_ message: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.Management.Automation.PSNotSupportedException", message: message,
      errorId: "NotSupported", category: .invalidOperation)
  }

  /// Get-Acl / Set-Acl without READ_CONTROL or WRITE_DAC on the item.
  static func unauthorizedOperation(_ target: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.UnauthorizedAccessException", message: "Attempted to perform an unauthorized operation.",
      errorId: "System.UnauthorizedAccessException", category: .permissionDenied, targetObject: .string(target))
  }

  /// What the lab cannot answer truthfully: a terminating error, never a plausible value.
  static func notModelled(_ what: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.NotImplementedException", message: "WinLab does not model \(what).",
      errorId: "NotModelled", category: .notImplemented)
  }

  static func hasChildren(_ path: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.Management.Automation.PSInvalidOperationException",
      message: "The item at \(path) has children and the Recurse parameter was not specified. Windows PowerShell is "
        + "in NonInteractive mode. Read and Prompt functionality is not available.",
      errorId: "RemoveItemUnauthorizedAccessError", category: .invalidOperation, targetObject: .string(path))
  }

  /// "No MSFT_X objects found with property 'P' equal to 'V'. ..." (Get-NetFirewallRule, Get-NetTCPConnection).
  static func cimNotFound(className: String, property: String, value: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "Microsoft.Management.Infrastructure.CimException",
      message: "No \(className) objects found with property '\(property)' equal to '\(value)'. Verify the value of "
        + "the property and retry.",
      errorId: "CmdletizationQuery_NotFound_\(property)", category: .objectNotFound, targetObject: .string(value))
  }

  static func accessDenied(_ target: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "Microsoft.Management.Infrastructure.CimException", message: "Access is denied. ",
      errorId: "Windows System Error 5", category: .permissionDenied, targetObject: .string(target))
  }

  static func invalidClass(_ className: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "Microsoft.Management.Infrastructure.CimException", message: "Invalid class ",
      errorId: "HRESULT 0x80041010", category: .metadataError, targetObject: .string(className))
  }

  static func invalidNamespace(_ namespace: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "Microsoft.Management.Infrastructure.CimException", message: "Invalid namespace ",
      errorId: "HRESULT 0x8004100e", category: .metadataError, targetObject: .string(namespace))
  }

  static func serviceNotFound(_ name: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "Microsoft.PowerShell.Commands.ServiceCommandException",
      message: "Cannot find any service with service name '\(name)'.", errorId: "NoServiceFoundForGivenName",
      category: .objectNotFound, targetObject: .string(name))
  }

  static func service(_ error: ServiceControlError) -> PSErrorRecord {
    switch error {
    case .notFound(let name):
      return serviceNotFound(name)
    case .cannotStart(let name, let display):
      return PSErrorRecord(
        exceptionType: "Microsoft.PowerShell.Commands.ServiceCommandException",
        message: "Service '\(display) (\(name))' cannot be started due to the following error: Cannot start service "
          + "\(name) on computer '.'.",
        errorId: "CouldNotStartService", category: .openError, targetObject: .string(name))
    case .hasDependents(let name, let display):
      return PSErrorRecord(
        exceptionType: "Microsoft.PowerShell.Commands.ServiceCommandException",
        message: "Cannot stop service '\(display) (\(name))' because it has dependent services. It can only be "
          + "stopped if the Force flag is set.",
        errorId: "ServiceHasDependentServices", category: .invalidOperation, targetObject: .string(name))
    }
  }
}
