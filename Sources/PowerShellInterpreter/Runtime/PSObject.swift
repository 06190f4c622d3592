import Foundation

/// A property of a `PSObject`: a stored value (NoteProperty) or Swift closures (ScriptProperty / CodeProperty).
public final class PSProperty: @unchecked Sendable {
  public let name: String
  private var stored: PSValue
  private let getter: (() throws -> PSValue)?
  private let setter: ((PSValue) throws -> Void)?

  public init(name: String, value: PSValue) {
    self.name = name
    self.stored = value
    self.getter = nil
    self.setter = nil
  }

  public init(name: String, getter: @escaping () throws -> PSValue, setter: ((PSValue) throws -> Void)? = nil) {
    self.name = name
    self.stored = .null
    self.getter = getter
    self.setter = setter
  }

  /// True when the property can be assigned.
  public var isSettable: Bool { getter == nil || setter != nil }

  public func get() throws -> PSValue { try getter?() ?? stored }

  public func set(_ value: PSValue) throws {
    if getter != nil {
      guard let setter else {
        throw PSErrorRecord(
          exceptionType: "System.Management.Automation.SetValueInvocationException",
          message: "'\(name)' is a ReadOnly property.", errorId: "PropertyAssignmentException",
          category: .notSpecified)
      }
      try setter(value)
    } else {
      stored = value
    }
  }
}

/// A method of a `PSObject`, implemented in Swift. Receives the evaluated arguments.
public typealias PSMethodBody = ([PSValue]) throws -> PSValue

/// A PowerShell object with an ordered, case-insensitive property list, Swift-implemented methods and a .NET type
/// name.
///
/// Used for `[pscustomobject]@{}` (type name `System.Management.Automation.PSCustomObject`) and for every object a host
/// cmdlet returns (`Microsoft.Win32.RegistryKey`, `System.ServiceProcess.ServiceController`,
/// `Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule`...). `typeNames` lists the
/// type and its base types, most derived first, like `$obj.PSObject.TypeNames`; `-is`, typed `catch` and parameter
/// binding use it.
public final class PSObject: @unchecked Sendable {
  public static let customObjectTypeName = "System.Management.Automation.PSCustomObject"

  public var typeNames: [String]
  public private(set) var properties: [PSProperty] = []
  private var propertyIndex: [String: Int] = [:]
  private var methods: [String: PSMethodBody] = [:]
  /// What `ToString()` and string conversion return; default: `@{a=1; b=2}` for custom objects, else the type name.
  public var toStringHandler: (() -> String)?
  /// The Swift object behind this PowerShell object, for the engine and hosts (an exception, an error record...).
  public var native: AnyObject?

  public init(typeNames: [String]) {
    self.typeNames = typeNames.isEmpty ? ["System.Object"] : typeNames
  }

  /// Convenience: a typed object whose base types are just `System.Object` unless given.
  public convenience init(typeName: String, baseTypes: [String] = ["System.Object"]) {
    self.init(typeNames: [typeName] + baseTypes)
  }

  /// A new, empty PSCustomObject.
  public static func customObject() -> PSObject {
    PSObject(typeNames: [customObjectTypeName, "System.Object"])
  }

  /// The most derived .NET type name.
  public var typeName: String { typeNames[0] }

  public var isCustomObject: Bool { typeNames[0] == Self.customObjectTypeName }

  /// Adds a note property, or replaces the value of an existing one.
  public func addProperty(_ name: String, _ value: PSValue) {
    if let position = propertyIndex[name.lowercased()] {
      properties[position] = PSProperty(name: properties[position].name, value: value)
      return
    }
    propertyIndex[name.lowercased()] = properties.count
    properties.append(PSProperty(name: name, value: value))
  }

  /// Adds a computed property evaluated on each access (e.g. `Status` of a service reading the lab state).
  public func addProperty(
    _ name: String, getter: @escaping () throws -> PSValue, setter: ((PSValue) throws -> Void)? = nil
  ) {
    let property = PSProperty(name: name, getter: getter, setter: setter)
    if let position = propertyIndex[name.lowercased()] {
      properties[position] = property
    } else {
      propertyIndex[name.lowercased()] = properties.count
      properties.append(property)
    }
  }

  /// Adds a method callable as `$obj.Name(args)`; names are case-insensitive.
  public func addMethod(_ name: String, _ body: @escaping PSMethodBody) {
    methods[name.lowercased()] = body
  }

  public func property(named name: String) -> PSProperty? {
    guard let position = propertyIndex[name.lowercased()] else { return nil }
    return properties[position]
  }

  public func method(named name: String) -> PSMethodBody? { methods[name.lowercased()] }

  /// The property value, nil when there is no such property. Getter errors propagate.
  public subscript(name: String) -> PSValue? {
    guard let property = property(named: name) else { return nil }
    return try? property.get()
  }

  public func removeProperty(_ name: String) {
    guard let position = propertyIndex.removeValue(forKey: name.lowercased()) else { return }
    properties.remove(at: position)
    for (key, other) in propertyIndex where other > position { propertyIndex[key] = other - 1 }
  }

  /// True if this object is of `typeName` or derives from it (case-insensitive full names).
  public func isOfType(_ typeName: String) -> Bool {
    typeNames.contains { $0.caseInsensitiveCompare(typeName) == .orderedSame }
  }
}

/// A script block value (`{ ... }`, `[scriptblock]::Create($s)`). Its syntax tree is internal to the interpreter.
public final class PSScriptBlock: @unchecked Sendable {
  let body: ScriptBlockAst
  /// The source text between the braces, as `ToString()` returns it.
  public let text: String

  init(body: ScriptBlockAst, text: String) {
    self.body = body
    self.text = text
  }
}
