import Foundation

extension Engine {
  // MARK: properties

  func getMember(_ value: PSValue, _ name: String) throws -> PSValue {
    let member = try memberValue(value, name)
    // Every object but $null has an intrinsic Count and Length of 1 (PowerShell 3+), unless it has its own.
    if member.isNull && !value.isNull && !hasOwnMember(value, name) {
      let lowered = name.lowercased()
      if lowered == "count" || lowered == "length" { return .int(1) }
    }
    return member
  }

  private func hasOwnMember(_ value: PSValue, _ name: String) -> Bool {
    switch value {
    case .object(let object): return object.property(named: name) != nil
    case .hashtable(let table): return table.containsKey(.string(name))
    default: return false
    }
  }

  private func memberValue(_ value: PSValue, _ name: String) throws -> PSValue {
    let lowered = name.lowercased()
    if lowered == "pstypenames" && !hasOwnMember(value, name) {
      return .array(PSArray.strings(PSTypes.psTypeNames(of: value)))
    }
    if (lowered == "psadapted" || lowered == "psextended") && !hasOwnMember(value, name) {
      throw notModelled("the intrinsic member \(name)")
    }
    if lowered == "psbase" {
      // The .NET object without PowerShell's adaptation: for a hash table, its own Keys/Values/Count even when
      // keys of those names hide them (about_Hash_Tables).
      guard case .hashtable(let table) = value else { return value }
      let view = PSObject(typeNames: [table.typeName, "System.Object"])
      view.addProperty("Keys", .array(PSArray(table.keys)))
      view.addProperty("Values", .array(PSArray(table.values)))
      view.addProperty("Count", .int(Int32(table.count)))
      view.toStringHandler = { table.typeName }
      return .object(view)
    }
    if lowered == "psobject" { return .object(Builtins.psObjectView(value)) }
    switch value {
    case .null:
      // PowerShell 3+ gives every value a Count (and Length): 0 for $null.
      return lowered == "count" || lowered == "length" ? .int(0) : .null
    case .object(let object):
      if let property = object.property(named: name) {
        do {
          return try property.get()
        } catch let record as PSErrorRecord {
          throw wrapGetterError(record, name)
        }
      }
      if let exception = object.native as? PSException, lowered == "message" { return .string(exception.message) }
      return lowered == "count" || lowered == "length" ? .int(1) : .null
    case .hashtable(let table):
      if let item = table[.string(name)] { return item }
      switch lowered {
      case "count": return .int(Int32(table.count))
      case "keys": return .array(PSArray(table.keys))
      case "values": return .array(PSArray(table.values))
      case "isreadonly", "isfixedsize", "issynchronized": return .bool(false)
      default: return .null
      }
    case .array(let array):
      switch lowered {
      case "count", "length": return .int(Int32(array.items.count))
      case "longlength": return .long(Int64(array.items.count))
      case "rank": return .int(1)
      case "isfixedsize": return .bool(array.isFixedSize)
      case "isreadonly": return .bool(false)
      case "syncroot": return value
      default:
        var results: [PSValue] = []
        for item in array.items {
          let member = try getMember(item, name)
          if case .array(let inner) = member, !(item.enumeratedItems != nil) {
            results.append(contentsOf: inner.items)
          } else if !member.isNull {
            results.append(member)
          }
        }
        return collapse(results)
      }
    case .string(let s):
      if lowered == "length" { return .int(Int32(s.utf16.count)) }
      return lowered == "count" ? .int(1) : .null
    case .dateTime(let d):
      return Builtins.dateProperty(d, lowered) ?? .null
    case .timeSpan(let t):
      return Builtins.timeSpanProperty(t, lowered) ?? .null
    case .enumValue(let e):
      if lowered == "value__" { return .int(Int32(truncatingIfNeeded: e.value)) }
      return .null
    case .type(let type):
      switch lowered {
      case "fullname": return .string(type.fullName)
      case "name": return .string(Builtins.shortTypeName(type.fullName))
      case "namespace":
        let parts = type.fullName.split(separator: ".")
        return .string(parts.dropLast().joined(separator: "."))
      case "isarray": return .bool(type.fullName.hasSuffix("[]"))
      case "basetype", "isvaluetype", "isenum", "isclass", "isinterface", "isgenerictype", "isprimitive", "ispublic",
        "issealed", "isabstract", "assembly", "assemblyqualifiedname", "declaringtype", "guid", "module",
        "underlyingsystemtype", "generictypearguments", "isserializable", "basetypes", "customattributes":
        throw notModelled("the property \(name) of a type ([\(type.fullName)])")
      default: return .null
      }
    case .scriptBlock:
      return .null
    case .int, .long, .byte, .double, .bool, .char:
      if lowered == "length" || lowered == "count" { return .int(1) }
      return .null
    }
  }

  func wrapGetterError(_ record: PSErrorRecord, _ name: String) -> PSErrorRecord {
    let exception = PSException(
      typeName: "System.Management.Automation.GetValueInvocationException",
      message: "Exception getting \"\(name)\": \"\(record.exception.message)\"", innerException: record.exception)
    let wrapped = PSErrorRecord(exception: exception, errorId: "ExceptionWhenGetting", category: .notSpecified)
    attachPosition(wrapped, commandName: "")
    return wrapped
  }

  func setMember(_ target: PSValue, _ name: String, _ value: PSValue) throws {
    switch target {
    case .hashtable(let table):
      table.set(.string(name), value)
    case .object(let object):
      if let property = object.property(named: name) {
        do {
          try property.set(value)
        } catch let record as PSErrorRecord {
          let exception = PSException(
            typeName: "System.Management.Automation.SetValueInvocationException",
            message: "Exception setting \"\(name)\": \"\(record.exception.message)\"", innerException: record.exception)
          let wrapped = PSErrorRecord(exception: exception, errorId: "ExceptionWhenSetting", category: .notSpecified)
          attachPosition(wrapped, commandName: "")
          throw wrapped
        }
        return
      }
      fallthrough
    default:
      if target.isNull {
        throw runtimeError(
          "The property '\(name)' cannot be found on this object. Verify that the property exists and can be set.",
          id: "PropertyNotFound", category: .invalidOperation)
      }
      throw runtimeError(
        "The property '\(name)' cannot be found on this object. Verify that the property exists and can be set.",
        id: "PropertyAssignmentException", category: .invalidOperation)
    }
  }

  // MARK: methods

  /// Public instance methods of the .NET types the interpreter models natively: one it does not answer (or not with
  /// these arguments) is not modelled, which is not the same as "does not contain a method".
  static let dotNetMethods: [String: Set<String>] = {
    let object: Set<String> = ["equals", "gethashcode", "gettype", "tostring"]
    let primitive = object.union(["compareto", "gettypecode"])
    let array = object.union([
      "address", "clone", "copyto", "get", "getenumerator", "getlength", "getlonglength", "getlowerbound",
      "getupperbound", "getvalue", "initialize", "set", "setvalue",
    ])
    let list = object.union([
      "add", "addrange", "binarysearch", "clear", "clone", "contains", "copyto", "getenumerator", "getrange", "indexof",
      "insert", "insertrange", "lastindexof", "remove", "removeat", "removerange", "reverse", "sort", "toarray",
    ])
    return [
      "System.String": primitive.union([
        "clone", "contains", "copyto", "endswith", "getenumerator", "indexof", "indexofany", "insert", "isnormalized",
        "lastindexof", "lastindexofany", "normalize", "padleft", "padright", "remove", "replace", "split",
        "startswith", "substring", "tochararray", "tolower", "tolowerinvariant", "toupper", "toupperinvariant", "trim",
        "trimend", "trimstart", "get_chars", "get_length",
      ]),
      "array": array,
      "System.Collections.ArrayList": list.union(["setrange", "trimtosize"]),
      "list": list.union([
        "asreadonly", "convertall", "exists", "find", "findall", "findindex", "findlast", "findlastindex", "foreach",
        "removeall", "trimexcess", "trueforall",
      ]),
      "System.Collections.Hashtable": object.union([
        "add", "clear", "clone", "contains", "containskey", "containsvalue", "copyto", "getenumerator",
        "getobjectdata", "ondeserialization", "remove",
      ]),
      "System.Collections.Specialized.OrderedDictionary": object.union([
        "add", "asreadonly", "clear", "contains", "copyto", "getenumerator", "getobjectdata", "insert",
        "ondeserialization", "remove", "removeat",
      ]),
      "System.DateTime": primitive.union([
        "add", "adddays", "addhours", "addmilliseconds", "addminutes", "addmonths", "addseconds", "addticks",
        "addyears", "getdatetimeformats", "isdaylightsavingtime", "subtract", "tobinary", "tofiletime",
        "tofiletimeutc", "tolocaltime", "tolongdatestring", "tolongtimestring", "tooadate", "toshortdatestring",
        "toshorttimestring", "touniversaltime",
      ]),
      "System.TimeSpan": primitive.union(["add", "duration", "negate", "subtract"]),
      "System.Int32": primitive, "System.Int64": primitive, "System.Double": primitive, "System.Byte": primitive,
      "System.Boolean": primitive, "System.Char": primitive,
      "System.Management.Automation.ScriptBlock": object.union([
        "checkrestrictedlanguage", "getnewclosure", "getpowershell", "getsteppablepipeline", "invoke",
        "invokereturnasis", "invokewithcontext",
      ]),
    ]
  }()

  func methodNotFound(_ value: PSValue, _ name: String, arguments: Int? = nil) -> PSErrorRecord {
    if value.isNull {
      return runtimeError(
        "You cannot call a method on a null-valued expression.", id: "InvokeMethodOnNull", category: .invalidOperation)
    }
    let typeName = PSTypes.typeName(of: value)
    var key = typeName
    if case .array(let array) = value {
      switch array.kind {
      case .array: key = "array"
      case .genericList: key = "list"
      case .arrayList: break
      }
    }
    if Engine.dotNetMethods[key]?.contains(name.lowercased()) == true {
      let count = arguments.map { " with \($0) argument(s)" } ?? ""
      return notModelled("the method [\(typeName)].\(name)()\(count)")
    }
    return runtimeError(
      "Method invocation failed because [\(PSTypes.typeName(of: value))] does not contain a method named '\(name)'.",
      id: "MethodNotFound", category: .invalidOperation, target: value)
  }

  /// A .NET exception thrown by a method, as PowerShell wraps it.
  func methodException(_ name: String, _ count: Int, _ message: String, innerType: String) -> PSErrorRecord {
    let inner = PSException(typeName: innerType, message: message)
    let exception = PSException(
      typeName: "System.Management.Automation.MethodInvocationException",
      message: "Exception calling \"\(name)\" with \"\(count)\" argument(s): \"\(message)\"", innerException: inner)
    let record = PSErrorRecord(
      exception: exception, errorId: innerType.split(separator: ".").last.map(String.init) ?? "MethodException",
      category: .notSpecified)
    attachPosition(record, commandName: "")
    return record
  }

  func callMethod(_ value: PSValue, _ name: String, _ args: [PSValue]) throws -> PSValue {
    let lowered = name.lowercased()
    if lowered == "gettype" && args.isEmpty && !value.isNull { return .type(PSTypeName(PSTypes.typeName(of: value))) }
    if let result = try callIntrinsicMethod(value, lowered, name, args) { return result }
    switch value {
    case .object(let object):
      if let method = object.method(named: name) {
        do {
          return try method(args)
        } catch let record as PSErrorRecord {
          if record.exception.typeName == "System.Management.Automation.MethodInvocationException" { throw record }
          throw methodException(name, args.count, record.exception.message, innerType: record.exception.typeName)
        }
      }
      if lowered == "tostring" && args.isEmpty { return .string(PSConvert.toString(value)) }
      if lowered == "equals" && args.count == 1 { return .bool(try compareEqual(value, args[0], caseSensitive: true)) }
      if lowered == "gethashcode" { return .int(Int32(truncatingIfNeeded: ObjectIdentifier(object).hashValue)) }
      throw methodNotFound(value, name)
    case .string(let s): return try StringMethods.call(s, lowered, name, args, engine: self)
    case .array(let array): return try callArrayMethod(array, lowered, name, args)
    case .hashtable(let table): return try callHashtableMethod(table, lowered, name, args)
    case .dateTime(let d): return try Builtins.callDateMethod(d, lowered, name, args, engine: self)
    case .timeSpan(let t):
      switch lowered {
      case "tostring":
        guard let format = args.first else { return .string(PSConvert.formatTimeSpan(t)) }
        return .string(try Formatting.formatTimeSpan(t, PSConvert.toString(format), engine: self))
      case "add", "subtract":
        guard args.count == 1, case .timeSpan(let other) = args[0] else { break }
        return .timeSpan(PSTimeSpan(ticks: lowered == "add" ? t.ticks + other.ticks : t.ticks - other.ticks))
      case "negate": return .timeSpan(PSTimeSpan(ticks: -t.ticks))
      case "duration": return .timeSpan(PSTimeSpan(ticks: abs(t.ticks)))
      default: break
      }
      throw methodNotFound(value, name)
    case .scriptBlock(let block):
      switch lowered {
      case "invoke", "invokereturnasis":
        let items = try invokeScriptBlockCollecting(block, dollarUnder: nil, arguments: args)
        return lowered == "invoke" ? .array(PSArray(items)) : collapse(items)
      case "tostring": return .string(block.text)
      case "getnewclosure": return value
      default: throw methodNotFound(value, name)
      }
    case .int, .long, .byte, .double:
      switch lowered {
      case "tostring":
        if args.isEmpty { return .string(PSConvert.toString(value)) }
        return .string(try Formatting.formatItem(value, format: PSConvert.toString(args[0]), engine: self))
      case "equals": return .bool(try args.count == 1 && (compareEqual(value, args[0], caseSensitive: true)))
      case "compareto": return .int(Int32(try compareOrder(value, args.first ?? .null, caseSensitive: true)))
      case "gethashcode": return .int(Int32(truncatingIfNeeded: ((try? PSConvert.toInt64(value)) ?? nil) ?? 0))
      default: throw methodNotFound(value, name)
      }
    case .bool(let b):
      if lowered == "tostring" { return .string(b ? "True" : "False") }
      if lowered == "equals" {
        return .bool(try args.count == 1 && (compareEqual(value, args[0], caseSensitive: true)))
      }
      throw methodNotFound(value, name)
    case .char(let c):
      if lowered == "tostring" { return .string(String(c)) }
      if lowered == "equals" { return .bool(args.count == 1 && PSConvert.toString(args[0]) == String(c)) }
      throw methodNotFound(value, name)
    case .enumValue(let e):
      switch lowered {
      case "tostring": return .string(e.name)
      case "hasflag":
        let flag: Int64
        if case .enumValue(let other) = args.first ?? .null {
          flag = other.value
        } else {
          flag = (try PSConvert.toInt64(args.first ?? .null)) ?? 0
        }
        return .bool(e.value & flag == flag)
      case "equals": return .bool(try args.count == 1 && (compareEqual(value, args[0], caseSensitive: false)))
      default: throw methodNotFound(value, name)
      }
    case .type(let type):
      if lowered == "tostring" { return .string(type.fullName) }
      if lowered == "equals" {
        return .bool(try args.count == 1 && (compareEqual(value, args[0], caseSensitive: false)))
      }
      throw methodNotFound(value, name)
    case .null:
      throw methodNotFound(value, name)
    }
  }

  /// `Object.Equals` as IList.Contains / IndexOf use it: values of different types are never equal (`3` is not
  /// `'3'`), strings compare ordinally.
  static func dotNetEquals(_ a: PSValue, _ b: PSValue, _ engine: Engine) throws -> Bool {
    if a.isNull || b.isNull { return a.isNull && b.isNull }
    guard PSTypes.typeName(of: a) == PSTypes.typeName(of: b) else { return false }
    return try engine.compareEqual(a, b, caseSensitive: true)
  }

  func callArrayMethod(_ array: PSArray, _ lowered: String, _ name: String, _ args: [PSValue]) throws -> PSValue {
    let value = PSValue.array(array)
    var args = args
    // A List[T] method converts its argument to T first, as PowerShell's method binding does.
    if case .genericList(let element) = array.kind, element != "System.Object", args.count == 1,
      ["contains", "indexof", "lastindexof", "remove"].contains(lowered)
    {
      args[0] = try convert(args[0], to: element)
    }
    switch lowered {
    case "add":
      guard args.count == 1 else { break }
      if array.isFixedSize {
        throw methodException(
          name, args.count, "Collection was of a fixed size.", innerType: "System.NotSupportedException")
      }
      array.items.append(args[0])
      if case .arrayList = array.kind { return .int(Int32(array.items.count - 1)) }
      return .null
    case "addrange":
      guard args.count == 1 else { break }
      if array.isFixedSize {
        throw methodException(
          name, args.count, "Collection was of a fixed size.", innerType: "System.NotSupportedException")
      }
      array.items += args[0].enumeratedItems ?? [args[0]]
      return .null
    case "clear" where array.isFixedSize && args.isEmpty:
      // Array.Clear() keeps the length and sets every element to its type's default (about_Arrays).
      var empty: PSValue = .null
      if case .array(let element) = array.kind {
        switch element {
        case "System.Int32": empty = .int(0)
        case "System.Int64": empty = .long(0)
        case "System.Double": empty = .double(0)
        case "System.Byte": empty = .byte(0)
        case "System.Boolean": empty = .bool(false)
        case "System.Object", "System.String": empty = .null
        default: throw notModelled("Clear() on a \(array.typeName)")
        }
      }
      array.items = Array(repeating: empty, count: array.items.count)
      return .null
    case "remove", "removeat", "insert", "clear":
      if array.isFixedSize {
        throw methodException(
          name, args.count, "Collection was of a fixed size.", innerType: "System.NotSupportedException")
      }
      switch lowered {
      case "remove":
        if let position = try array.items.firstIndex(where: { try Engine.dotNetEquals($0, args.first ?? .null, self) })
        {
          array.items.remove(at: position)
          if case .genericList = array.kind { return .bool(true) }
        } else if case .genericList = array.kind {
          return .bool(false)
        }
        return .null
      case "removeat":
        let position = Int((try PSConvert.toInt64(args.first ?? .null)) ?? -1)
        guard position >= 0 && position < array.items.count else {
          throw methodException(
            name, args.count,
            "Index was out of range. Must be non-negative and less than the size of the collection.\r\nParameter name: index",
            innerType: "System.ArgumentOutOfRangeException")
        }
        array.items.remove(at: position)
        return .null
      case "insert":
        let position = Int((try PSConvert.toInt64(args.first ?? .null)) ?? 0)
        guard args.count == 2, position >= 0 && position <= array.items.count else { break }
        array.items.insert(args[1], at: position)
        return .null
      default:
        array.items.removeAll()
        return .null
      }
    case "contains":
      guard args.count == 1 else { break }
      return .bool(try array.items.contains { try Engine.dotNetEquals($0, args[0], self) })
    case "indexof":
      guard args.count == 1 else { break }
      return .int(Int32(try array.items.firstIndex { try Engine.dotNetEquals($0, args[0], self) } ?? -1))
    case "lastindexof":
      guard args.count == 1, !array.isFixedSize else { break }
      return .int(Int32(try array.items.lastIndex { try Engine.dotNetEquals($0, args[0], self) } ?? -1))
    case "getupperbound", "getlowerbound", "getlength":
      guard args.count == 1, array.isFixedSize else { break }
      guard (try PSConvert.toInt64(args[0])) == 0 else {
        throw methodException(
          name, 1, "Index was outside the bounds of the array.", innerType: "System.IndexOutOfRangeException")
      }
      switch lowered {
      case "getupperbound": return .int(Int32(array.items.count - 1))
      case "getlowerbound": return .int(0)
      default: return .int(Int32(array.items.count))
      }
    case "getvalue":
      guard args.count == 1, array.isFixedSize else { break }
      let position = Int((try PSConvert.toInt64(args[0])) ?? -1)
      guard position >= 0 && position < array.items.count else {
        throw methodException(
          name, 1, "Index was outside the bounds of the array.", innerType: "System.IndexOutOfRangeException")
      }
      return array.items[position]
    case "setvalue":
      guard args.count == 2, case .array(let element) = array.kind, element == "System.Object" else { break }
      let position = Int((try PSConvert.toInt64(args[1])) ?? -1)
      guard position >= 0 && position < array.items.count else {
        throw methodException(
          name, 2, "Index was outside the bounds of the array.", innerType: "System.IndexOutOfRangeException")
      }
      array.items[position] = args[0]
      return .null
    case "toarray":
      return .array(PSArray(array.items))
    case "clone":
      return .array(PSArray(array.items, kind: array.kind))
    case "gettype":
      return .type(PSTypeName(array.typeName))
    case "tostring":
      return .string(array.typeName)
    case "getenumerator":
      return value
    case "equals":
      return .bool(try args.count == 1 && (compareEqual(value, args[0], caseSensitive: true)))
    default: break
    }
    // Member enumeration (PowerShell 3+): a method the collection does not have is called on each element.
    var key = "array"
    if case .arrayList = array.kind { key = "System.Collections.ArrayList" }
    if case .genericList = array.kind { key = "list" }
    if Engine.dotNetMethods[key]?.contains(lowered) != true && !array.items.isEmpty {
      var results: [PSValue] = []
      for item in array.items {
        let result = try callMethod(item, name, args)
        if case .array(let inner) = result, item.enumeratedItems == nil {
          results.append(contentsOf: inner.items)
        } else if !result.isNull {
          results.append(result)
        }
      }
      return collapse(results)
    }
    throw methodNotFound(value, name)
  }

  func callHashtableMethod(_ table: PSHashtable, _ lowered: String, _ name: String, _ args: [PSValue]) throws -> PSValue
  {
    switch lowered {
    case "add":
      guard args.count == 2 else { break }
      if args[0].isNull {
        throw methodException(
          name, 2, "Key cannot be null.\r\nParameter name: key", innerType: "System.ArgumentNullException")
      }
      if table.containsKey(args[0]) {
        let key = PSConvert.toString(args[0])
        throw methodException(
          name, 2, "Item has already been added. Key in dictionary: '\(key)'  Key being added: '\(key)'",
          innerType: "System.ArgumentException")
      }
      table.set(args[0], args[1])
      return .null
    case "remove":
      guard args.count == 1 else { break }
      table.remove(args[0])
      return .null
    case "containskey", "contains":
      guard args.count == 1 else { break }
      return .bool(table.containsKey(args[0]))
    case "containsvalue":
      guard args.count == 1 else { break }
      return .bool(try table.values.contains { try compareEqual($0, args[0], caseSensitive: true) })
    case "clear":
      table.removeAll()
      return .null
    case "insert" where table.isOrdered && args.count == 3:
      let position = Int((try PSConvert.toInt64(args[0])) ?? -1)
      guard position >= 0 && position <= table.count else {
        throw methodException(
          name, 3, "Specified argument was out of the range of valid values.\r\nParameter name: index",
          innerType: "System.ArgumentOutOfRangeException")
      }
      if table.containsKey(args[1]) {
        throw methodException(
          name, 3, "An item with the same key has already been added.", innerType: "System.ArgumentException")
      }
      table.insert(args[1], args[2], at: position)
      return .null
    case "removeat" where table.isOrdered && args.count == 1:
      let position = Int((try PSConvert.toInt64(args[0])) ?? -1)
      guard position >= 0 && position < table.count else {
        throw methodException(
          name, 1, "Specified argument was out of the range of valid values.\r\nParameter name: index",
          innerType: "System.ArgumentOutOfRangeException")
      }
      table.remove(table.keys[position])
      return .null
    case "clone":
      return .hashtable(table.copy())
    case "getenumerator":
      return .array(PSArray(table.entries.map { .object(Builtins.dictionaryEntry($0.key, $0.value)) }))
    case "tostring":
      return .string(table.typeName)
    case "get_item":
      return table[args.first ?? .null] ?? .null
    case "set_item":
      guard args.count == 2 else { break }
      table.set(args[0], args[1])
      return .null
    case "equals":
      return .bool(try args.count == 1 && (compareEqual(.hashtable(table), args[0], caseSensitive: true)))
    default: break
    }
    throw methodNotFound(.hashtable(table), name)
  }
}
