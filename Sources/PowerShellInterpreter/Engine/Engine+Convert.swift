import Foundation

extension Engine {
  /// `[Type]$value`: PowerShell's conversion to the resolved full type name.
  func convert(_ value: PSValue, to typeName: String) throws -> PSValue {
    switch typeName {
    case "System.Object", "System.Management.Automation.PSObject":
      return value
    case "System.Void":
      return .null
    case "System.String":
      if value.isNull { return .string("") }
      return .string(stringForExpansion(value))
    case "System.Int16", "System.UInt16", "System.SByte", "System.UInt32", "System.UInt64", "System.Single",
      "System.Decimal":
      // Their ranges, arithmetic and formatting differ from Int32, Int64 and Double; converting to those instead
      // would answer with the wrong type (and for Decimal, the wrong value).
      throw notModelled(
        "the [\(typeName)] type (its numbers are Int32, Int64, Byte and Double); convert with [int], [long] or [double]"
      )
    case "System.Int32":
      if value.isNull { return .int(0) }
      guard let number = try PSConvert.toInt64(value) else { return .int(0) }
      guard let small = Int32(exactly: number) else {
        throw PSConvert.invalidCast(
          value, "System.Int32", "Value was either too large or too small for an Int32.",
          errorId: "InvalidCastIConvertible", valueForm: true)
      }
      return .int(small)
    case "System.Int64":
      if value.isNull { return .long(0) }
      return .long((try PSConvert.toInt64(value)) ?? 0)
    case "System.Byte":
      if value.isNull { return .byte(0) }
      let number = (try PSConvert.toInt64(value)) ?? 0
      guard let byte = UInt8(exactly: number) else {
        throw PSConvert.invalidCast(
          value, "System.Byte", "Value was either too large or too small for an unsigned byte.",
          errorId: "InvalidCastIConvertible", valueForm: true)
      }
      return .byte(byte)
    case "System.Double":
      if value.isNull { return .double(0) }
      return .double((try PSConvert.toDouble(value)) ?? 0)
    case "System.Boolean":
      if case .array(let a) = value, a.items.count == 1 { return .bool(PSConvert.toBool(a.items[0])) }
      return .bool(PSConvert.toBool(value))
    case "System.Management.Automation.SwitchParameter":
      return .bool(PSConvert.toBool(value))
    case "System.Char":
      switch value {
      case .char: return value
      case .string(let s) where s.count == 1: return .char(s.first!)
      case .int(let i):
        if let scalar = Unicode.Scalar(UInt32(max(0, i))) { return .char(Character(scalar)) }
      default: break
      }
      throw PSConvert.invalidCast(
        value, "System.Char", "String must be exactly one character long.", errorId: "InvalidCastParseTargetInvocation")
    case "System.DateTime":
      switch value {
      case .dateTime(var date):
        date.fromGetDate = false
        return .dateTime(date)
      case .string(let s):
        guard let date = Builtins.parseDate(s) else {
          if !Builtins.isModelledDateShape(s) {
            throw notModelled(
              "reading '\(s)' as a DateTime (it reads yyyy-MM-dd[THH:mm[:ss]] and M/d/yyyy [h:mm[:ss] [AM|PM]])")
          }
          throw PSConvert.invalidCast(
            value, "System.DateTime", "String was not recognized as a valid DateTime.",
            errorId: "InvalidCastParseTargetInvocationWithFormatProvider")
        }
        return .dateTime(date)
      case .null: return .dateTime(PSDateTime(ticks: 0, kind: .unspecified))
      case .long(let ticks): return .dateTime(PSDateTime(ticks: ticks, kind: .unspecified))
      default: break
      }
    case "System.TimeSpan":
      switch value {
      case .timeSpan: return value
      case .int, .long: return .timeSpan(PSTimeSpan(ticks: (try PSConvert.toInt64(value)) ?? 0))
      case .string(let s):
        if let span = Builtins.parseTimeSpan(s) { return .timeSpan(span) }
      default: break
      }
    case "System.Array", "System.Object[]":
      if value.isNull { return .null }
      if case .array(let array) = value {
        if typeName == "System.Object[]", case .array(let element) = array.kind, element != "System.Object" {
          return .array(PSArray(array.items))
        }
        if case .array = array.kind { return value }
        return .array(PSArray(array.items))
      }
      if case .hashtable = value { return .array(PSArray([value])) }
      return .array(PSArray([value]))
    case "System.Collections.Hashtable", "System.Collections.IDictionary":
      if case .hashtable(let table) = value {
        if !table.isOrdered { return value }
        let copy = PSHashtable()
        for (key, item) in table.entries { copy.set(key, item) }
        return .hashtable(copy)
      }
    case "System.Collections.Specialized.OrderedDictionary":
      if case .hashtable(let table) = value {
        let copy = PSHashtable(ordered: true)
        for (key, item) in table.entries { copy.set(key, item) }
        return .hashtable(copy)
      }
    case "System.Management.Automation.PSCustomObject":
      if case .hashtable(let table) = value {
        let object = PSObject.customObject()
        for (key, item) in table.entries { object.addProperty(PSConvert.toString(key), item) }
        return .object(object)
      }
      return value
    case "System.Management.Automation.ScriptBlock":
      if case .scriptBlock = value { return value }
    case "System.Version":
      if case .object(let o) = value, o.native is Builtins.VersionBox { return value }
      let text = PSConvert.toString(value)
      let parts = Builtins.parseVersionParts(text)
      if parts.count >= 2 && parts.count <= 4 && !parts.contains(where: { $0 < 0 }) {
        return .object(Builtins.version(text))
      }
      throw PSConvert.invalidCast(
        value, "System.Version", "Version string portion was too short or too long.",
        errorId: "InvalidCastParseTargetInvocation")
    case "System.Guid":
      if case .object(let o) = value, o.native is Builtins.GuidBox { return value }
      if let uuid = UUID(uuidString: PSConvert.toString(value).trimmingCharacters(in: CharacterSet(charactersIn: "{}")))
      {
        return .object(Builtins.guid(uuid.uuidString.lowercased()))
      }
    case "System.Text.RegularExpressions.Regex":
      return .object(try Builtins.regexObject(PSConvert.toString(value), engine: self))
    case "System.Security.Principal.WindowsPrincipal":
      return try Builtins.principal(of: value, engine: self)
    case "System.Security.Principal.SecurityIdentifier":
      return try Builtins.securityIdentifier(value, engine: self)
    case "System.Collections.ArrayList":
      if case .array(let array) = value { return .array(PSArray(array.items, kind: .arrayList)) }
      if value.isNull { return .array(PSArray([], kind: .arrayList)) }
      return .array(PSArray([value], kind: .arrayList))
    default:
      break
    }
    if typeName.hasSuffix("[]") {
      let element = String(typeName.dropLast(2))
      if value.isNull { return .null }
      var items = value.enumeratedItems ?? [value]
      // A string converts to char[] character by character.
      if element == "System.Char", case .string(let text) = value { items = text.map { .char($0) } }
      if element == "System.Byte", case .string = value {
        throw PSConvert.invalidCast(
          value, "System.Byte[]", "Input string was not in a correct format.", errorId: "InvalidCastFromStringToInteger"
        )
      }
      let converted = try items.map { try convert($0, to: element) }
      return .array(PSArray(converted, kind: .array(elementType: element)))
    }
    if typeName.hasPrefix("System.Collections.Generic.List[") {
      let element = String(typeName.dropFirst("System.Collections.Generic.List[".count).dropLast())
      let items = value.isNull ? [] : (value.enumeratedItems ?? [value])
      let converted = element == "System.Object" ? items : try items.map { try convert($0, to: element) }
      return .array(PSArray(converted, kind: .genericList(elementType: element)))
    }
    if let enumType = Builtins.enumType(named: typeName) {
      switch value {
      case .enumValue(let e) where e.type.fullName == enumType.fullName: return value
      case .string(let s):
        if let converted = enumType.value(named: s) { return .enumValue(converted) }
        if !enumType.isFlags && s.contains(",") {
          throw notModelled("converting the list '\(s)' to [\(enumType.fullName)], which is not a [Flags] enum")
        }
        let names = enumType.members.map { $0.name }.joined(separator: ", ")
        throw runtimeError(
          "Cannot convert value \"\(s)\" to type \"\(enumType.fullName)\". Error: \"Unable to match the identifier name \(s) to a valid enumerator name. Specify one of the following enumerator names and try again:\n\(names)\"",
          id: "InvalidCastFromStringToEnum", category: .invalidArgument)
      default:
        if let number = try PSConvert.toInt64(value) { return .enumValue(enumType.value(number)) }
      }
    }
    if PSTypes.typeChain(of: value).contains(where: { $0.caseInsensitiveCompare(typeName) == .orderedSame }) {
      return value
    }
    throw PSConvert.invalidCast(value, typeName, "", errorId: "ConvertToFinalInvalidCastException")
  }
}
