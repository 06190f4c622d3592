import Foundation

extension Engine {
  func evaluate(_ expression: Expr) throws -> PSValue {
    switch expression {
    case .constant(let value):
      return value
    case .expandableString(let parts):
      var text = ""
      for part in parts {
        switch part {
        case .literal(let literal): text += literal
        case .variable(let ref): text += stringForExpansion(lookup(ref))
        case .subexpression(let statements):
          var items: [PSValue] = []
          try executeStatements(statements, sink: { items.append($0) })
          text += stringForExpansion(collapse(items))
        }
      }
      return .string(text)
    case .variable(let ref, _):
      return lookup(ref)
    case .arrayLiteral(let items):
      return .array(PSArray(try items.map { try evaluate($0) }))
    case .arraySubexpression(let statements):
      var items: [PSValue] = []
      try executeStatements(statements, sink: { items.append($0) })
      return .array(PSArray(items))
    case .subexpression(let statements):
      var items: [PSValue] = []
      try executeStatements(statements, sink: { items.append($0) })
      return collapse(items)
    case .paren(let statement):
      return try statementValue(statement)
    case .hashtable(let entries, _):
      let table = PSHashtable()
      for entry in entries {
        let key = try evaluate(entry.key)
        if key.isNull {
          throw runtimeError(
            "A null key is not allowed in a hash literal.", id: "InvalidNullKey", category: .invalidOperation)
        }
        if table.containsKey(key) {
          throw runtimeError(
            "Duplicate keys '\(PSConvert.toString(key))' are not allowed in hash literals.",
            id: "DuplicateKeyInHashLiteral",
            category: .parserError, exceptionType: "System.Management.Automation.ParseException")
        }
        table.set(key, try statementValue(entry.value))
      }
      return .hashtable(table)
    case .scriptBlock(let block):
      return .scriptBlock(PSScriptBlock(body: block, text: block.extent.text))
    case .binary(let op, let lhs, let rhs, let extent):
      return try evaluateBinary(op, lhs, rhs, extent)
    case .unary(let op, let operand, let extent):
      return try evaluateUnary(op, operand, extent)
    case .cast(let type, let operand):
      return try evaluateCast(type, operand)
    case .typeLiteral(let type):
      guard let resolved = resolveType(type.name) else {
        currentExtent = type.extent
        throw typeNotFound(type.name)
      }
      return .type(PSTypeName(resolved))
    case .member(let target, let nameExpr, let isStatic, let extent):
      let targetValue = try evaluate(target)
      let name = PSConvert.toString(try evaluate(nameExpr))
      currentExtent = extent
      if isStatic {
        guard case .type(let type) = targetValue else {
          throw runtimeError("Unable to find type.", id: "TypeNotFound", category: .invalidOperation)
        }
        return try Builtins.staticProperty(type.fullName, name, engine: self)
      }
      return try getMember(targetValue, name)
    case .invokeMember(let target, let nameExpr, let argumentExprs, let isStatic, let extent):
      let targetValue = try evaluate(target)
      let name = PSConvert.toString(try evaluate(nameExpr))
      let arguments = try argumentExprs.map { try evaluate($0) }
      currentExtent = extent
      if isStatic {
        guard case .type(let type) = targetValue else {
          throw runtimeError("Unable to find type.", id: "TypeNotFound", category: .invalidOperation)
        }
        return try Builtins.callStatic(type.fullName, name, arguments, engine: self)
      }
      return try callMethod(targetValue, name, arguments)
    case .index(let target, let indexExpr, let extent):
      let targetValue = try evaluate(target)
      let indexValue = try evaluate(indexExpr)
      currentExtent = extent
      return try index(targetValue, indexValue)
    }
  }

  func stringForExpansion(_ value: PSValue) -> String {
    if case .array(let array) = value {
      let separator = lookup(VariableRef(scope: nil, name: "OFS"))
      return array.items.map { PSConvert.toString($0) }.joined(
        separator: separator.isNull ? " " : PSConvert.toString(separator))
    }
    return PSConvert.toString(value)
  }

  func resolveType(_ name: String) -> String? {
    if let cached = typeCache[name] { return cached }
    let resolved = PSTypes.resolve(name) ?? (Builtins.enumType(named: name)?.fullName)
    if resolved != nil { typeCache[name] = resolved }
    return resolved
  }

  func evaluateCast(_ type: TypeNameAst, _ operand: Expr) throws -> PSValue {
    let lowered = type.name.lowercased()
    if lowered == "ordered" {
      guard case .hashtable(let entries, _) = operand else {
        currentExtent = type.extent
        throw runtimeError(
          "The ordered attribute can be specified only on a hash literal node.",
          id: "OrderedAttributeOnlyOnHashLiteralNode", category: .parserError,
          exceptionType: "System.Management.Automation.ParseException")
      }
      let table = PSHashtable(ordered: true)
      for entry in entries { table.set(try evaluate(entry.key), try statementValue(entry.value)) }
      return .hashtable(table)
    }
    let value = try evaluate(operand)
    guard let resolved = resolveType(type.name) else {
      currentExtent = type.extent
      throw typeNotFound(type.name)
    }
    currentExtent = type.extent
    return try convert(value, to: resolved)
  }

  func evaluateUnary(_ op: UnaryOperator, _ operand: Expr, _ extent: Extent) throws -> PSValue {
    switch op {
    case .not: return .bool(!PSConvert.toBool(try evaluate(operand)))
    case .comma: return .array(PSArray([try evaluate(operand)]))
    case .negate:
      let value = try evaluate(operand)
      currentExtent = extent
      return try arithmetic("*", .int(-1), value)
    case .plus:
      let value = try evaluate(operand)
      if case .string(let s) = value { return PSConvert.parseNumber(s) ?? value }
      return value
    case .bnot:
      let value = try evaluate(operand)
      guard let number = try PSConvert.toInt64(value) else { return .int(-1) }
      if case .long = value { return .long(~number) }
      return .int(~Int32(truncatingIfNeeded: number))
    case .split:
      let text = PSConvert.toString(try evaluate(operand))
      return .array(
        PSArray.strings(
          text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)))
    case .join:
      let value = try evaluate(operand)
      return .string((value.enumeratedItems ?? [value]).map { PSConvert.toString($0) }.joined())
    case .preIncrement, .preDecrement, .postIncrement, .postDecrement:
      let old = try evaluate(operand)
      currentExtent = extent
      let delta: PSValue = .int(op == .preIncrement || op == .postIncrement ? 1 : -1)
      let new = try arithmetic("+", old.isNull ? .int(0) : old, delta)
      try assignTo(operand, new)
      return (op == .preIncrement || op == .preDecrement) ? new : (old.isNull ? .int(0) : old)
    }
  }

  // MARK: assignment

  func performAssignment(target: Expr, op: AssignmentOperator, value: PSValue, extent: Extent) throws {
    var newValue = value
    if op != .assign {
      let old = try evaluate(target)
      currentExtent = extent
      switch op {
      case .add: newValue = try add(old, value)
      case .subtract: newValue = try arithmetic("-", old, value)
      case .multiply: newValue = try multiply(old, value)
      case .divide: newValue = try arithmetic("/", old, value)
      case .remainder: newValue = try arithmetic("%", old, value)
      case .assign: break
      }
    }
    currentExtent = extent
    if case .arrayLiteral(let targets) = target {
      let items = value.enumeratedItems ?? [value]
      for (offset, element) in targets.enumerated() {
        if offset == targets.count - 1 {
          let rest = Array(items.dropFirst(offset))
          try assignTo(element, rest.count == 1 ? rest[0] : (rest.isEmpty ? .null : .array(PSArray(rest))))
        } else {
          try assignTo(element, offset < items.count ? items[offset] : .null)
        }
      }
      return
    }
    try assignTo(target, newValue)
  }

  func assignTo(_ target: Expr, _ value: PSValue) throws {
    switch target {
    case .variable(let ref, _):
      try assign(ref, value)
    case .cast(let type, let inner):
      guard case .variable(let ref, _) = inner else { return try assignTo(inner, value) }
      guard let resolved = resolveType(type.name) else {
        throw typeNotFound(type.name)
      }
      let converted = try convert(value, to: resolved)
      let scope: Scope = ref.scope == "global" ? global : ref.scope == "script" ? scriptScope : current
      scope.variables[ref.name.lowercased()] = Variable(converted, typeConstraint: resolved)
    case .member(let targetExpr, let nameExpr, let isStatic, _):
      let object = try evaluate(targetExpr)
      let name = PSConvert.toString(try evaluate(nameExpr))
      if isStatic, case .type(let type) = object {
        return try Builtins.setStaticProperty(type.fullName, name, value, engine: self)
      }
      try setMember(object, name, value)
    case .index(let targetExpr, let indexExpr, _):
      let container = try evaluate(targetExpr)
      let key = try evaluate(indexExpr)
      try setIndex(container, key, value)
    default:
      throw runtimeError(
        "The assignment expression is not valid.", id: "InvalidLeftHandSide", category: .parserError,
        exceptionType: "System.Management.Automation.ParseException")
    }
  }

  // MARK: indexing

  func index(_ target: PSValue, _ indexValue: PSValue) throws -> PSValue {
    switch target {
    case .null:
      throw runtimeError("Cannot index into a null array.", id: "NullArray", category: .invalidOperation)
    case .hashtable(let table):
      if case .array(let keys) = indexValue {
        return .array(PSArray(keys.items.compactMap { table[$0] }))
      }
      if let value = table[indexValue] { return value }
      // An OrderedDictionary also takes a position.
      if table.isOrdered, case .int(let position) = indexValue, position >= 0, Int(position) < table.count {
        return table.values[Int(position)]
      }
      return .null
    case .array(let array):
      if case .array(let indices) = indexValue {
        var result: [PSValue] = []
        for item in indices.items {
          let element = try index(target, item)
          if !element.isNull { result.append(element) }
        }
        return .array(PSArray(result))
      }
      guard let raw = try PSConvert.toInt64(indexValue) else { return .null }
      let position = raw < 0 ? Int(raw) + array.items.count : Int(raw)
      return position >= 0 && position < array.items.count ? array.items[position] : .null
    case .string(let string):
      if case .array(let indices) = indexValue {
        return .array(PSArray(try indices.items.map { try index(target, $0) }.filter { !$0.isNull }))
      }
      guard let raw = try PSConvert.toInt64(indexValue) else { return .null }
      let characters = Array(string)
      let position = raw < 0 ? Int(raw) + characters.count : Int(raw)
      return position >= 0 && position < characters.count ? .char(characters[position]) : .null
    case .object(let object):
      if let indexer = object.method(named: "get_Item") { return try indexer([indexValue]) }
      if case .string(let name) = indexValue, let property = object.property(named: name) { return try property.get() }
      // A single object indexes as a collection of one: [0] and [-1] are the object itself.
      if let position = Engine.scalarIndex(indexValue), position == 0 || position == -1 { return target }
      throw runtimeError(
        "Unable to index into an object of type \(object.typeName).", id: "CannotIndex", category: .invalidOperation)
    default:
      // A scalar indexes as a collection of one (about_Arrays, "Arrays of zero or one"): [0] and [-1].
      if let position = Engine.scalarIndex(indexValue), position == 0 || position == -1 { return target }
      throw runtimeError(
        "Unable to index into an object of type \(PSTypes.typeName(of: target)).", id: "CannotIndex",
        category: .invalidOperation)
    }
  }

  static func scalarIndex(_ value: PSValue) -> Int64? {
    switch value {
    case .int(let i): return Int64(i)
    case .long(let i): return i
    default: return nil
    }
  }

  func setIndex(_ container: PSValue, _ key: PSValue, _ value: PSValue) throws {
    if key.isNull, case .hashtable = container {
      throw runtimeError(
        "Index operation failed; the array index evaluated to null.", id: "NullArrayIndex",
        category: .invalidOperation)
    }
    if key.isNull, case .array = container {
      throw runtimeError(
        "Index operation failed; the array index evaluated to null.", id: "NullArrayIndex",
        category: .invalidOperation)
    }
    switch container {
    case .hashtable(let table):
      table.set(key, value)
    case .array(let array):
      guard let raw = try PSConvert.toInt64(key) else { return }
      let position = raw < 0 ? Int(raw) + array.items.count : Int(raw)
      guard position >= 0 && position < array.items.count else {
        throw runtimeError(
          "Index was outside the bounds of the array.", id: "System.IndexOutOfRangeException",
          category: .invalidOperation, exceptionType: "System.IndexOutOfRangeException")
      }
      array.items[position] = value
    case .null:
      throw runtimeError("Cannot index into a null array.", id: "NullArray", category: .invalidOperation)
    case .object(let object):
      if let setter = object.method(named: "set_Item") {
        _ = try setter([key, value])
        return
      }
      try setMember(container, PSConvert.toString(key), value)
    default:
      throw runtimeError(
        "Unable to index into an object of type \(PSTypes.typeName(of: container)).", id: "CannotIndex",
        category: .invalidOperation)
    }
  }
}
