import Foundation

/// Type names of values and the type accelerators scripts use (`[int]`, `[pscustomobject]`...).
public enum PSTypes {
  static let accelerators: [String: String] = [
    "int": "System.Int32", "int32": "System.Int32", "long": "System.Int64", "int64": "System.Int64",
    "string": "System.String", "bool": "System.Boolean", "boolean": "System.Boolean", "double": "System.Double",
    "float": "System.Single", "single": "System.Single", "decimal": "System.Decimal", "byte": "System.Byte",
    "char": "System.Char", "datetime": "System.DateTime", "timespan": "System.TimeSpan", "array": "System.Array",
    "object": "System.Object", "psobject": "System.Management.Automation.PSObject",
    "pscustomobject": "System.Management.Automation.PSCustomObject", "hashtable": "System.Collections.Hashtable",
    "ordered": "System.Collections.Specialized.OrderedDictionary",
    "scriptblock": "System.Management.Automation.ScriptBlock",
    "regex": "System.Text.RegularExpressions.Regex", "guid": "System.Guid", "version": "System.Version",
    "math": "System.Math", "convert": "System.Convert", "console": "System.Console",
    "environment": "System.Environment", "void": "System.Void",
    "switch": "System.Management.Automation.SwitchParameter",
    "type": "System.Type", "uint32": "System.UInt32", "uint64": "System.UInt64", "int16": "System.Int16",
    "uint16": "System.UInt16", "sbyte": "System.SByte", "errorrecord": "System.Management.Automation.ErrorRecord",
    "ipaddress": "System.Net.IPAddress", "text.encoding": "System.Text.Encoding",
    "collections.arraylist": "System.Collections.ArrayList",
    "wildcardpattern": "System.Management.Automation.WildcardPattern", "uri": "System.Uri",
    "xml": "System.Xml.XmlDocument",
    "securestring": "System.Security.SecureString", "cultureinfo": "System.Globalization.CultureInfo",
  ]

  static let knownTypes: Set<String> = [
    "System.Int32", "System.Int64", "System.String", "System.Boolean", "System.Double", "System.Byte", "System.Char",
    "System.DateTime", "System.TimeSpan", "System.Array", "System.Object", "System.Management.Automation.PSObject",
    "System.Management.Automation.PSCustomObject", "System.Collections.Hashtable",
    "System.Collections.Specialized.OrderedDictionary", "System.Management.Automation.ScriptBlock",
    "System.Text.RegularExpressions.Regex", "System.Guid", "System.Version", "System.Math", "System.Convert",
    "System.Console", "System.Environment", "System.Void", "System.Management.Automation.SwitchParameter",
    "System.Collections.ArrayList", "System.Text.Encoding", "System.Management.Automation.ErrorRecord",
    "System.String[]", "System.Object[]", "System.Byte[]", "System.Int32[]", "System.Collections.IDictionary",
    "System.Collections.IEnumerable", "System.Collections.ICollection", "System.Collections.IList", "System.ValueType",
    "System.Enum", "System.IO.Path", "System.Single", "System.Decimal", "System.Type", "System.UInt32", "System.UInt64",
    "System.Int16", "System.UInt16", "System.SByte", "System.BitConverter", "System.Security.Principal.WindowsIdentity",
    "System.Management.Automation.WildcardPattern", "System.Text.RegularExpressions.RegexOptions", "System.IO.File",
    "System.Net.Dns", "System.Environment+SpecialFolder", "System.StringComparison", "System.Threading.Thread",
    "System.IO.Directory", "System.Globalization.CultureInfo", "System.Uri",
    "System.Management.Automation.LanguagePrimitives",
    "System.Collections.Generic.List[System.Object]", "System.Collections.Generic.List[System.String]",
    "System.Security.Principal.WindowsPrincipal", "System.Security.Principal.SecurityIdentifier",
    "System.Security.Principal.WindowsBuiltInRole", "System.Security.Cryptography.X509Certificates.X509Certificate2",
    "System.Text.UTF8Encoding", "System.Text.StringBuilder", "System.StringSplitOptions",
    "System.Management.Automation.WarningRecord",
  ]

  private static let hostTypeRegistry = LockedRegistry<Set<String>>([])
  static var hostTypes: Set<String> { hostTypeRegistry.read { $0 } }

  /// Lets a host declare a .NET type name scripts may use in `[Type]` literals, `-is` and casts to objects.
  public static func registerType(_ fullName: String) { hostTypeRegistry.update { _ = $0.insert(fullName) } }

  /// Lets a host answer `[fullName]::method(...)` for a type it declared with `registerType`.
  public static func registerStaticMethod(_ fullName: String, _ method: String, _ body: @escaping PSMethodBody) {
    Builtins.hostStaticMethods.update { $0[fullName.lowercased() + "::" + method.lowercased()] = body }
  }

  /// Lets a host declare a .NET enum type so scripts can write `[Full.Enum.Name]'Member'` and `[Full.Enum.Name]::Member`.
  public static func registerEnum(_ type: PSEnumType) {
    Builtins.enumRegistry.update { $0[type.fullName.lowercased()] = type }
  }

  /// Resolves a written type name (`int`, `Int32`, `System.Int32`, `byte[]`, `Collections.Generic.List[object]`)
  /// to its full name, or nil when PowerShell would report "Unable to find type".
  static func resolve(_ written: String) -> String? {
    var name = written.replacingOccurrences(of: " ", with: "")
    if name.hasSuffix("[]") {
      name.removeLast(2)
      guard let element = resolve(name) else { return nil }
      return element + "[]"
    }
    let lowered = name.lowercased()
    if let generic = resolveGeneric(name) { return generic }
    if let full = accelerators[lowered] { return full }
    for candidate in [name, "System." + name] {
      if let match = knownTypes.first(where: { $0.caseInsensitiveCompare(candidate) == .orderedSame }) { return match }
      if let match = hostTypes.first(where: { $0.caseInsensitiveCompare(candidate) == .orderedSame }) { return match }
      if let match = PSExceptionTypes.resolve(candidate) { return match }
    }
    return nil
  }

  static func resolveGeneric(_ name: String) -> String? {
    guard let open = name.firstIndex(of: "["), name.hasSuffix("]") else { return nil }
    let base = String(name[..<open]).lowercased()
    guard base == "system.collections.generic.list" || base == "collections.generic.list"
    else { return nil }
    let argument = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
    guard let element = resolve(argument) else { return nil }
    return "System.Collections.Generic.List[\(element)]"
  }

  /// The .NET full type name of a value, as `.GetType().FullName` reports it.
  public static func typeName(of value: PSValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "System.Boolean"
    case .int: return "System.Int32"
    case .long: return "System.Int64"
    case .byte: return "System.Byte"
    case .double: return "System.Double"
    case .char: return "System.Char"
    case .string: return "System.String"
    case .dateTime: return "System.DateTime"
    case .timeSpan: return "System.TimeSpan"
    case .enumValue(let e): return e.type.fullName
    case .array(let a): return a.typeName
    case .hashtable(let h): return h.typeName
    case .object(let o):
      if let exception = o.native as? PSException { return exception.typeName }
      return o.typeName
    case .scriptBlock: return "System.Management.Automation.ScriptBlock"
    case .type: return "System.RuntimeType"
    }
  }

  /// `.PSObject.TypeNames` / `.pstypenames`: the type and its base classes, without interfaces
  /// (`System.Object[]`, `System.Array`, `System.Object`).
  static func psTypeNames(of value: PSValue) -> [String] {
    var names = typeChain(of: value).filter { name in
      let last = name.split(separator: ".").last.map(String.init) ?? name
      let scalars = Array(last.unicodeScalars)
      let isInterface =
        scalars.count > 1 && scalars[0] == "I" && CharacterSet.uppercaseLetters.contains(scalars[1])
      return !isInterface
    }
    if case .object(let object) = value, object.isCustomObject {
      names.removeAll { $0 == "System.Management.Automation.PSObject" }
    }
    return names
  }

  /// The type and its base types / interfaces relevant to `-is` and typed catch.
  static func typeChain(of value: PSValue) -> [String] {
    switch value {
    case .null: return []
    case .int, .long, .byte, .double, .bool, .char, .dateTime, .timeSpan:
      return [typeName(of: value), "System.ValueType", "System.Object"]
    case .enumValue(let e): return [e.type.fullName, "System.Enum", "System.ValueType", "System.Object"]
    case .string: return ["System.String", "System.Object"]
    case .array(let a):
      var chain = [a.typeName]
      if case .genericList(let element) = a.kind { chain.append("System.Collections.Generic.List[\(element)]") }
      if a.isFixedSize { chain.append("System.Array") }
      return chain + [
        "System.Collections.IList", "System.Collections.ICollection", "System.Collections.IEnumerable", "System.Object",
      ]
    case .hashtable(let h):
      return [
        h.typeName, "System.Collections.IDictionary", "System.Collections.ICollection",
        "System.Collections.IEnumerable", "System.Object",
      ]
    case .object(let o):
      if let exception = o.native as? PSException { return exception.typeChain }
      var chain = o.typeNames
      if o.isCustomObject { chain.append("System.Management.Automation.PSObject") }
      return chain
    case .scriptBlock: return ["System.Management.Automation.ScriptBlock", "System.Object"]
    case .type: return ["System.RuntimeType", "System.Type", "System.Object"]
    }
  }
}
