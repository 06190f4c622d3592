import Foundation

/// PowerShell wildcard matching (`*`, `?`, `[a-z]`, backtick escapes), case-insensitive by default, as `-like`,
/// `switch -wildcard` and Select-Object use it. Public so host cmdlets match -Name/-Path patterns the same way.
public enum PSWildcard {
  public static func matches(_ text: String, pattern: String, caseSensitive: Bool = false) -> Bool {
    let t = Array(caseSensitive ? text : text.lowercased())
    let p = Array(caseSensitive ? pattern : pattern.lowercased())
    return match(t, 0, p, 0)
  }

  public static func hasWildcards(_ pattern: String) -> Bool {
    pattern.contains("*") || pattern.contains("?") || pattern.contains("[")
  }

  private static func match(_ t: [Character], _ ti: Int, _ p: [Character], _ pi: Int) -> Bool {
    var ti = ti
    var pi = pi
    while pi < p.count {
      let c = p[pi]
      switch c {
      case "*":
        while pi < p.count && p[pi] == "*" { pi += 1 }
        if pi == p.count { return true }
        var k = ti
        while k <= t.count {
          if match(t, k, p, pi) { return true }
          k += 1
        }
        return false
      case "?":
        if ti >= t.count { return false }
        ti += 1
        pi += 1
      case "[":
        guard let close = p[(pi + 1)...].firstIndex(of: "]") else {
          if ti >= t.count || t[ti] != c { return false }
          ti += 1
          pi += 1
          continue
        }
        if ti >= t.count { return false }
        let set = Array(p[(pi + 1)..<close])
        var ok = false
        var k = 0
        while k < set.count {
          if k + 2 < set.count && set[k + 1] == "-" {
            if set[k] <= t[ti] && t[ti] <= set[k + 2] { ok = true }
            k += 3
          } else {
            if set[k] == t[ti] { ok = true }
            k += 1
          }
        }
        if !ok { return false }
        ti += 1
        pi = close + 1
      case "`":
        pi += 1
        if pi < p.count {
          if ti >= t.count || t[ti] != p[pi] { return false }
          ti += 1
          pi += 1
        }
      default:
        if ti >= t.count || t[ti] != c { return false }
        ti += 1
        pi += 1
      }
    }
    return ti == t.count
  }
}

extension Engine {
  func evaluateBinary(_ op: String, _ lhsExpr: Expr, _ rhsExpr: Expr, _ extent: Extent) throws -> PSValue {
    if op == "and" {
      guard PSConvert.toBool(try evaluate(lhsExpr)) else { return .bool(false) }
      return .bool(PSConvert.toBool(try evaluate(rhsExpr)))
    }
    if op == "or" {
      if PSConvert.toBool(try evaluate(lhsExpr)) { return .bool(true) }
      return .bool(PSConvert.toBool(try evaluate(rhsExpr)))
    }
    let lhs = try evaluate(lhsExpr)
    let rhs = try evaluate(rhsExpr)
    currentExtent = extent
    return try binary(op, lhs, rhs)
  }

  func binary(_ op: String, _ lhs: PSValue, _ rhs: PSValue) throws -> PSValue {
    switch op {
    case "xor": return .bool(PSConvert.toBool(lhs) != PSConvert.toBool(rhs))
    case "+": return try add(lhs, rhs)
    case "*": return try multiply(lhs, rhs)
    case "-", "/", "%": return try arithmetic(op, lhs, rhs)
    case "..": return try range(lhs, rhs)
    case "f": return .string(try Formatting.format(PSConvert.toString(lhs), rhs.enumeratedItems ?? [rhs], engine: self))
    case "band", "bor", "bxor", "shl", "shr": return try bitwise(op, lhs, rhs)
    case "is", "isnot":
      let result = try isOfType(lhs, rhs)
      return .bool(op == "is" ? result : !result)
    case "as":
      guard let typeName = try typeNameOperand(rhs) else { return .null }
      do {
        return try convert(lhs, to: typeName)
      } catch let record as PSErrorRecord where record.fullyQualifiedErrorId == "NotModelled" {
        throw record
      } catch {
        return .null
      }
    default: break
    }
    var name = op
    var caseSensitive = false
    if name.hasPrefix("c") && name != "contains" {
      caseSensitive = true
      name.removeFirst()
    } else if name.hasPrefix("i") && name != "in" && name != "is" && name != "isnot" {
      name.removeFirst()
    }
    switch name {
    case "replace": return try replace(lhs, rhs, caseSensitive: caseSensitive)
    case "split": return try split(lhs, rhs, caseSensitive: caseSensitive)
    case "join":
      let items = lhs.enumeratedItems ?? [lhs]
      return .string(items.map { PSConvert.toString($0) }.joined(separator: PSConvert.toString(rhs)))
    case "contains", "notcontains":
      let items = lhs.enumeratedItems ?? [lhs]
      let found = try items.contains { try compareEqual($0, rhs, caseSensitive: caseSensitive) }
      return .bool(name == "contains" ? found : !found)
    case "in", "notin":
      let items = rhs.enumeratedItems ?? [rhs]
      let found = try items.contains { try compareEqual($0, lhs, caseSensitive: caseSensitive) }
      return .bool(name == "in" ? found : !found)
    default: break
    }
    if case .array(let array) = lhs {
      var result: [PSValue] = []
      for item in array.items where try compareScalar(name, item, rhs, caseSensitive: caseSensitive, setMatches: false)
      {
        result.append(item)
      }
      return .array(PSArray(result))
    }
    return .bool(try compareScalar(name, lhs, rhs, caseSensitive: caseSensitive, setMatches: true))
  }

  func compareScalar(_ op: String, _ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool, setMatches: Bool) throws -> Bool
  {
    switch op {
    case "eq": return try compareEqual(lhs, rhs, caseSensitive: caseSensitive)
    case "ne": return !(try compareEqual(lhs, rhs, caseSensitive: caseSensitive))
    case "gt": return try compareOrder(lhs, rhs, caseSensitive: caseSensitive) > 0
    case "ge": return try compareOrder(lhs, rhs, caseSensitive: caseSensitive) >= 0
    case "lt": return try compareOrder(lhs, rhs, caseSensitive: caseSensitive) < 0
    case "le": return try compareOrder(lhs, rhs, caseSensitive: caseSensitive) <= 0
    case "like", "notlike":
      let result = PSWildcard.matches(
        PSConvert.toString(lhs), pattern: PSConvert.toString(rhs), caseSensitive: caseSensitive)
      return op == "like" ? result : !result
    case "match", "notmatch":
      let result = try regexMatch(
        PSConvert.toString(lhs), pattern: PSConvert.toString(rhs), caseSensitive: caseSensitive, setMatches: setMatches)
      return op == "match" ? result : !result
    default:
      throw runtimeError(
        "The operator '-\(op)' is not supported.", id: "OperatorNotSupported", category: .invalidOperation)
    }
  }

  // MARK: equality and ordering

  func compareEqual(_ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool) throws -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.null, _), (_, .null): return false
    default: break
    }
    switch lhs {
    case .string(let l):
      let r = PSConvert.toString(rhs)
      return caseSensitive ? l == r : l.caseInsensitiveCompare(r) == .orderedSame
    case .char(let c):
      let r = PSConvert.toString(rhs)
      return caseSensitive ? String(c) == r : String(c).caseInsensitiveCompare(r) == .orderedSame
    case .bool(let l):
      return l == PSConvert.toBool(rhs)
    case .int, .long, .byte, .double:
      guard let r = numericValue(rhs) else { return false }
      // NaN equals nothing, itself included.
      if case .double(let d) = lhs, d.isNaN { return false }
      if case .double(let d) = r, d.isNaN { return false }
      return compareNumbers(lhs, r) == 0
    case .enumValue(let e):
      if case .string(let s) = rhs {
        guard let other = e.type.value(named: s) else { return false }
        return other.value == e.value
      }
      guard let r = try? PSConvert.toInt64(rhs) else { return false }
      return r == e.value
    case .dateTime(let d):
      guard let other = try? convert(rhs, to: "System.DateTime"), case .dateTime(let r) = other else { return false }
      return d.ticks == r.ticks
    case .timeSpan(let t):
      if case .timeSpan(let r) = rhs { return t == r }
      return false
    case .object(let l):
      if case .object(let r) = rhs {
        if l === r { return true }
        if let lv = l.native as? Builtins.VersionBox, let rv = r.native as? Builtins.VersionBox {
          return lv.parts == rv.parts
        }
        if let lg = l.native as? Builtins.GuidBox, let rg = r.native as? Builtins.GuidBox { return lg.text == rg.text }
        return false
      }
      if let lv = l.native as? Builtins.VersionBox, case .string(let s) = rhs {
        return lv.parts == Builtins.parseVersionParts(s)
      }
      if let lg = l.native as? Builtins.GuidBox {
        return lg.text.caseInsensitiveCompare(PSConvert.toString(rhs)) == .orderedSame
      }
      return false
    case .hashtable(let l):
      if case .hashtable(let r) = rhs { return l === r }
      return false
    case .array(let l):
      if case .array(let r) = rhs { return l === r }
      return false
    case .scriptBlock(let l):
      if case .scriptBlock(let r) = rhs { return l === r }
      return false
    case .type(let l):
      if case .type(let r) = rhs { return l.fullName == r.fullName }
      return l.fullName.caseInsensitiveCompare(PSConvert.toString(rhs)) == .orderedSame
    case .null: return false
    }
  }

  /// A number for comparison with a numeric left operand, nil when `value` does not convert.
  func numericValue(_ value: PSValue) -> PSValue? {
    switch value {
    case .int, .long, .byte, .double: return value
    case .bool(let b): return .int(b ? 1 : 0)
    case .string(let s): return PSConvert.parseNumber(s)
    case .char(let c): return .int(Int32(c.unicodeScalars.first!.value))
    case .enumValue(let e): return .long(e.value)
    case .array(let a) where a.items.count == 1: return numericValue(a.items[0])
    default: return nil
    }
  }

  func compareNumbers(_ lhs: PSValue, _ rhs: PSValue) -> Int {
    func asDouble(_ v: PSValue) -> Double {
      switch v {
      case .int(let i): return Double(i)
      case .long(let i): return Double(i)
      case .byte(let b): return Double(b)
      case .double(let d): return d
      default: return 0
      }
    }
    func asLong(_ v: PSValue) -> Int64? {
      switch v {
      case .int(let i): return Int64(i)
      case .long(let i): return i
      case .byte(let b): return Int64(b)
      default: return nil
      }
    }
    if let l = asLong(lhs), let r = asLong(rhs) { return l < r ? -1 : l > r ? 1 : 0 }
    let l = asDouble(lhs)
    let r = asDouble(rhs)
    return l < r ? -1 : l > r ? 1 : 0
  }

  func compareOrder(_ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool) throws -> Int {
    switch (lhs, rhs) {
    case (.null, .null): return 0
    case (.null, _): return -1
    case (_, .null):
      if case .string(let s) = lhs { return s.isEmpty ? 0 : 1 }
      return 1
    default: break
    }
    switch lhs {
    case .string(let l):
      return Engine.cultureCompare(l, PSConvert.toString(rhs), ignoreCase: !caseSensitive)
    case .int, .long, .byte, .double:
      guard let r = numericValue(rhs) else {
        throw PSConvert.invalidCast(
          rhs, PSTypes.typeName(of: lhs), "Input string was not in a correct format.",
          errorId: "InvalidCastFromStringToInteger")
      }
      return compareNumbers(lhs, r)
    case .bool(let l):
      let r = PSConvert.toBool(rhs)
      return l == r ? 0 : (l ? 1 : -1)
    case .dateTime(let d):
      guard case .dateTime(let r) = try convert(rhs, to: "System.DateTime") else { return 0 }
      return d.ticks < r.ticks ? -1 : d.ticks > r.ticks ? 1 : 0
    case .timeSpan(let t):
      guard case .timeSpan(let r) = try convert(rhs, to: "System.TimeSpan") else { return 0 }
      return t.ticks < r.ticks ? -1 : t.ticks > r.ticks ? 1 : 0
    case .enumValue(let e):
      let r: Int64
      if case .string(let s) = rhs, let named = e.type.value(named: s) {
        r = named.value
      } else {
        r = (try PSConvert.toInt64(rhs)) ?? 0
      }
      return e.value < r ? -1 : e.value > r ? 1 : 0
    case .char(let c):
      return Engine.cultureCompare(String(c), PSConvert.toString(rhs), ignoreCase: !caseSensitive)
    case .object(let o):
      if let version = o.native as? Builtins.VersionBox {
        let other: [Int]
        if case .object(let ro) = rhs, let rv = ro.native as? Builtins.VersionBox {
          other = rv.parts
        } else {
          other = Builtins.parseVersionParts(PSConvert.toString(rhs))
        }
        for i in 0..<max(version.parts.count, other.count) {
          let a = i < version.parts.count ? version.parts[i] : -1
          let b = i < other.count ? other[i] : -1
          if a != b { return a < b ? -1 : 1 }
        }
        return 0
      }
      fallthrough
    default:
      throw runtimeError(
        "Cannot compare \"\(PSConvert.toString(lhs))\" because it is not IComparable.", id: "NotIcomparable",
        category: .invalidOperation)
    }
  }

  /// String comparison as .NET's culture-aware compare orders ASCII text: punctuation and symbols before digits,
  /// digits before letters, letters alphabetically ignoring case; strings that differ only in case put lower case
  /// first (`'a' -clt 'A'`). Symbols compare among themselves by code point, and other characters as Foundation
  /// orders them, which approximates .NET's tables.
  static func cultureCompare(_ l: String, _ r: String, ignoreCase: Bool) -> Int {
    if l == r { return 0 }
    let a = Array(l)
    let b = Array(r)
    func rank(_ c: Character) -> (Int, String)? {
      guard c.isASCII else { return nil }
      if c.isLetter { return (3, c.lowercased()) }
      if c.isNumber { return (2, String(c)) }
      return (1, String(c))
    }
    for (x, y) in zip(a, b) where x != y {
      if let rx = rank(x), let ry = rank(y) {
        if rx.0 != ry.0 { return rx.0 < ry.0 ? -1 : 1 }
        if rx.1 != ry.1 { return rx.1 < ry.1 ? -1 : 1 }
        continue
      }
      let result = String(x).caseInsensitiveCompare(String(y))
      if result != .orderedSame { return result == .orderedAscending ? -1 : 1 }
    }
    if a.count != b.count { return a.count < b.count ? -1 : 1 }
    if ignoreCase { return 0 }
    for (x, y) in zip(a, b) where x != y {
      if x.isLowercase && y.isUppercase { return -1 }
      if x.isUppercase && y.isLowercase { return 1 }
    }
    return 0
  }

  // MARK: regex

  func regex(_ pattern: String, caseSensitive: Bool) throws -> NSRegularExpression {
    let key = (caseSensitive ? "c:" : "i:") + pattern
    if let cached = regexCache[key] { return cached }
    do {
      // .NET accepts the empty pattern (it matches everywhere); ICU needs it spelled as an empty group.
      let compiled = try NSRegularExpression(
        pattern: pattern.isEmpty ? "(?:)" : pattern, options: caseSensitive ? [] : [.caseInsensitive])
      regexCache[key] = compiled
      return compiled
    } catch {
      throw runtimeError(
        "The regular expression pattern \(pattern) is not valid.", id: "InvalidRegularExpression",
        category: .invalidOperation, target: .string(pattern))
    }
  }

  func regexMatch(_ text: String, pattern: String, caseSensitive: Bool, setMatches: Bool) throws -> Bool {
    let expression = try regex(pattern, caseSensitive: caseSensitive)
    let ns = text as NSString
    guard let match = expression.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else {
      return false
    }
    if setMatches {
      let table = PSHashtable()
      table.set(.int(0), .string(ns.substring(with: match.range)))
      // Unnamed groups by their .NET number, named groups by name only, as in .NET.
      for group in Builtins.dotNetGroups(pattern) where group.icu < match.numberOfRanges {
        let range = match.range(at: group.icu)
        guard range.location != NSNotFound else { continue }
        let key: PSValue = group.name.map { .string($0) } ?? .int(Int32(group.number))
        table.set(key, .string(ns.substring(with: range)))
      }
      current.variables["matches"] = Variable(.hashtable(table))
    }
    return true
  }

  func replace(_ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool) throws -> PSValue {
    let operands = rhs.enumeratedItems ?? [rhs]
    guard operands.count <= 2 else {
      throw runtimeError(
        "The -replace operator allows only two elements to follow it, not \(operands.count).", id: "BadReplaceArgument",
        category: .invalidOperation)
    }
    let pattern = operands.isEmpty ? "" : PSConvert.toString(operands[0])
    let replacement = operands.count > 1 ? PSConvert.toString(operands[1]) : ""
    let expression = try regex(pattern, caseSensitive: caseSensitive)
    func apply(_ text: String) -> String { Builtins.regexReplace(expression, text, replacement) }
    if case .array(let array) = lhs {
      return .array(PSArray(array.items.map { .string(apply(PSConvert.toString($0))) }))
    }
    return .string(apply(PSConvert.toString(lhs)))
  }

  func split(_ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool) throws -> PSValue {
    let operands = rhs.enumeratedItems ?? [rhs]
    let limit = operands.count > 1 ? Int((try PSConvert.toInt64(operands[1])) ?? 0) : 0
    if limit < 0 {
      // PowerShell 7 splits from the end for a negative count; what 5.1 does with it is not modelled.
      throw notModelled("a negative maximum number of substrings for -split")
    }
    let texts = (lhs.enumeratedItems ?? [lhs]).map { PSConvert.toString($0) }
    if case .scriptBlock(let predicate) = operands.first ?? .null {
      return .array(PSArray.strings(try splitWithPredicate(texts, predicate, limit: limit)))
    }
    var pattern = operands.isEmpty ? " " : PSConvert.toString(operands[0])
    var options: NSRegularExpression.Options = caseSensitive ? [] : [.caseInsensitive]
    if operands.count > 2 {
      var simpleMatch = false
      var regexOptions = false
      var singleline = false
      var multiline = false
      for option in PSConvert.toString(operands[2]).split(separator: ",") {
        switch option.trimmingCharacters(in: .whitespaces).lowercased() {
        case "simplematch": simpleMatch = true
        case "regexmatch": break
        case "ignorecase": options.insert(.caseInsensitive)
        case "cultureinvariant": regexOptions = true
        case "ignorepatternwhitespace":
          regexOptions = true
          options.insert(.allowCommentsAndWhitespace)
        case "explicitcapture":
          throw notModelled("the ExplicitCapture option of -split")
        case "multiline":
          regexOptions = true
          multiline = true
          options.insert(.anchorsMatchLines)
        case "singleline":
          regexOptions = true
          singleline = true
          options.insert(.dotMatchesLineSeparators)
        case "none", "": break
        default:
          throw runtimeError(
            "Cannot convert value \"\(option)\" to type \"System.Management.Automation.SplitOptions\". Error: \"Unable to match the identifier name \(option) to a valid enumerator name. Specify one of the following enumerator names and try again:\nSimpleMatch, RegexMatch, CultureInvariant, IgnorePatternWhitespace, Multiline, Singleline, IgnoreCase, ExplicitCapture\"",
            id: "InvalidCastFromStringToEnum", category: .invalidArgument)
        }
      }
      if (simpleMatch && regexOptions) || (singleline && multiline) {
        throw runtimeError(
          "The -split options '\(PSConvert.toString(operands[2]))' cannot be combined: SimpleMatch takes only IgnoreCase, and Singleline excludes Multiline.",
          id: "InvalidSplitOptionCombination", category: .parserError,
          exceptionType: "System.Management.Automation.ParseException")
      }
      if simpleMatch { pattern = NSRegularExpression.escapedPattern(for: pattern) }
    }
    let expression: NSRegularExpression
    if options == [] || options == [.caseInsensitive] {
      expression = try regex(pattern, caseSensitive: options.isEmpty)
    } else {
      do {
        expression = try NSRegularExpression(pattern: pattern, options: options)
      } catch {
        throw runtimeError(
          "The regular expression pattern \(pattern) is not valid.", id: "InvalidRegularExpression",
          category: .invalidOperation, target: .string(pattern))
      }
    }
    var result: [String] = []
    for text in texts { result += Builtins.regexSplit(expression, text, limit: limit) }
    return .array(PSArray.strings(result))
  }

  /// `-split { predicate }`: every character for which the script block is true separates (5.1's SplitWithPredicate).
  func splitWithPredicate(_ texts: [String], _ predicate: PSScriptBlock, limit: Int) throws -> [String] {
    if limit == 1 { return texts }
    var results: [String] = []
    for text in texts {
      let units = Array(text.utf16)
      var split: [String] = []
      var cursor = 0
      var length = 0
      while cursor < units.count {
        let character = String(decoding: units[cursor..<(cursor + 1)], as: UTF16.self)
        let verdict = try invokeScriptBlockCollecting(
          predicate, dollarUnder: .string(character), arguments: [.string(text), .int(Int32(cursor))])
        if !PSConvert.toBool(collapse(verdict)) {
          length += 1
          cursor += 1
          continue
        }
        split.append(String(decoding: units[(cursor - length)..<cursor], as: UTF16.self))
        length = 0
        cursor += 1
        if limit == split.count + 1 { break }
      }
      if cursor == units.count {
        split.append(String(decoding: units[(cursor - length)..<cursor], as: UTF16.self))
      } else {
        split.append(String(decoding: units[cursor...], as: UTF16.self))
      }
      results += split
    }
    return results
  }

  // MARK: arithmetic

  func add(_ lhs: PSValue, _ rhs: PSValue) throws -> PSValue {
    switch lhs {
    case .null:
      if case .array(let array) = rhs { return .array(PSArray(array.items)) }
      return rhs
    case .string(let s): return .string(s + PSConvert.toString(rhs))
    case .char(let c): return .string(String(c) + PSConvert.toString(rhs))
    case .array(let array):
      let extra = rhs.enumeratedItems ?? [rhs]
      let kind: PSArray.Kind =
        array.isFixedSize ? .array(elementType: "System.Object") : .array(elementType: "System.Object")
      return .array(PSArray(array.items + extra, kind: kind))
    case .hashtable(let table):
      guard case .hashtable(let other) = rhs else {
        throw runtimeError(
          "A hash table can only be added to another hash table.", id: "AddHashTableToNonHashTable",
          category: .invalidOperation)
      }
      let result = table.copy()
      for (key, value) in other.entries {
        if result.containsKey(key) {
          throw runtimeError(
            "Item has already been added. Key in dictionary: '\(PSConvert.toString(key))'  Key being added: '\(PSConvert.toString(key))'",
            id: "System.ArgumentException", category: .notSpecified, exceptionType: "System.ArgumentException")
        }
        result.set(key, value)
      }
      return .hashtable(result)
    case .dateTime(var d):
      if case .timeSpan(let t) = rhs {
        d.ticks += t.ticks
        d.fromGetDate = false
        return .dateTime(d)
      }
      let ticks = (try PSConvert.toInt64(rhs)) ?? 0
      d.ticks += ticks
      return .dateTime(d)
    case .timeSpan(let t):
      if case .timeSpan(let r) = rhs { return .timeSpan(PSTimeSpan(ticks: t.ticks + r.ticks)) }
      if case .dateTime(var d) = rhs {
        d.ticks += t.ticks
        return .dateTime(d)
      }
      return try arithmetic("+", lhs, rhs)
    default:
      return try arithmetic("+", lhs, rhs)
    }
  }

  func multiply(_ lhs: PSValue, _ rhs: PSValue) throws -> PSValue {
    if case .bool = lhs, case .bool = rhs {
      // The one arithmetic operation on two Booleans 5.1 refuses (about_Type_Conversion).
      throw runtimeError(
        "The operation '[System.Boolean] * [System.Boolean]' is not defined.", id: "OperatorNotDefined",
        category: .invalidOperation)
    }
    switch lhs {
    case .string(let s):
      let count = Int((try PSConvert.toInt64(rhs)) ?? 0)
      return .string(String(repeating: s, count: max(0, count)))
    case .array(let array):
      let count = Int((try PSConvert.toInt64(rhs)) ?? 0)
      var items: [PSValue] = []
      for _ in 0..<max(0, count) { items += array.items }
      return .array(PSArray(items))
    default:
      return try arithmetic("*", lhs, rhs)
    }
  }

  func numericOperand(_ value: PSValue, other: PSValue, op: String) throws -> PSValue {
    switch value {
    case .int, .long, .double: return value
    case .byte(let b): return .int(Int32(b))
    case .null: return .int(0)
    case .bool(let b): return .int(b ? 1 : 0)
    case .enumValue(let e): return .long(e.value)
    case .char(let c): return .int(Int32(c.unicodeScalars.first!.value))
    case .string(let s):
      guard let number = PSConvert.parseNumber(s) else {
        throw PSConvert.invalidCast(
          value, "System.Int32", "Input string was not in a correct format.", errorId: "InvalidCastFromStringToInteger")
      }
      return number
    default:
      throw runtimeError(
        "Method invocation failed because [\(PSTypes.typeName(of: value))] does not contain a method named 'op_\(Engine.opName(op))'.",
        id: "MethodNotFound", category: .invalidOperation)
    }
  }

  static func opName(_ op: String) -> String {
    switch op {
    case "+": return "Addition"
    case "-": return "Subtraction"
    case "*": return "Multiply"
    case "/": return "Division"
    default: return "Modulus"
    }
  }

  func arithmetic(_ op: String, _ lhsValue: PSValue, _ rhsValue: PSValue) throws -> PSValue {
    if case .dateTime(let d) = lhsValue, op == "-" {
      if case .dateTime(let r) = rhsValue { return .timeSpan(PSTimeSpan(ticks: d.ticks - r.ticks)) }
      if case .timeSpan(let t) = rhsValue {
        var result = d
        result.ticks -= t.ticks
        result.fromGetDate = false
        return .dateTime(result)
      }
    }
    if case .timeSpan(let t) = lhsValue, op == "-", case .timeSpan(let r) = rhsValue {
      return .timeSpan(PSTimeSpan(ticks: t.ticks - r.ticks))
    }
    if case .array = lhsValue, op != "+" {
      throw runtimeError(
        "Method invocation failed because [System.Object[]] does not contain a method named 'op_\(Engine.opName(op))'.",
        id: "MethodNotFound", category: .invalidOperation)
    }
    let lhs = try numericOperand(lhsValue, other: rhsValue, op: op)
    let rhs = try numericOperand(rhsValue, other: lhsValue, op: op)
    func isDouble(_ v: PSValue) -> Bool {
      if case .double = v { return true }
      return false
    }
    func double(_ v: PSValue) -> Double {
      switch v {
      case .int(let i): return Double(i)
      case .long(let i): return Double(i)
      case .double(let d): return d
      default: return 0
      }
    }
    func long(_ v: PSValue) -> Int64 {
      switch v {
      case .int(let i): return Int64(i)
      case .long(let i): return i
      default: return 0
      }
    }
    if isDouble(lhs) || isDouble(rhs) {
      let l = double(lhs)
      let r = double(rhs)
      switch op {
      case "+": return .double(l + r)
      case "-": return .double(l - r)
      case "*": return .double(l * r)
      // Doubles divide by zero as IEEE 754 says (Infinity, NaN); only integer division throws.
      case "/": return .double(l / r)
      default: return .double(l.truncatingRemainder(dividingBy: r))
      }
    }
    let bothInt: Bool = {
      if case .int = lhs, case .int = rhs { return true }
      return false
    }()
    let l = long(lhs)
    let r = long(rhs)
    var result: Int64
    var overflow = false
    switch op {
    case "+": (result, overflow) = l.addingReportingOverflow(r)
    case "-": (result, overflow) = l.subtractingReportingOverflow(r)
    case "*": (result, overflow) = l.multipliedReportingOverflow(by: r)
    case "/":
      if r == 0 { throw divideByZero() }
      if l % r != 0 { return .double(Double(l) / Double(r)) }
      result = l / r
    default:
      if r == 0 { throw divideByZero() }
      result = l % r
    }
    if overflow {
      let value: Double = op == "+" ? Double(l) + Double(r) : op == "-" ? Double(l) - Double(r) : Double(l) * Double(r)
      return .double(value)
    }
    if bothInt {
      if let small = Int32(exactly: result) { return .int(small) }
      return .double(Double(result))
    }
    return .long(result)
  }

  func divideByZero() -> PSErrorRecord {
    let record = runtimeError("Attempted to divide by zero.", id: "RuntimeException", category: .notSpecified)
    record.exception.innerException = PSException(
      typeName: "System.DivideByZeroException", message: "Attempted to divide by zero.")
    return record
  }

  func bitwise(_ op: String, _ lhs: PSValue, _ rhs: PSValue) throws -> PSValue {
    let l = (try PSConvert.toInt64(lhs)) ?? 0
    let r = (try PSConvert.toInt64(rhs)) ?? 0
    func isWide(_ value: PSValue, _ number: Int64) -> Bool {
      switch value {
      case .long, .double: return true
      default: return Int32(exactly: number) == nil
      }
    }
    if !isWide(lhs, l) && !isWide(rhs, r) {
      // Int32 operands give an Int32, as in .NET: the shift count is taken modulo 32 and the sign bit can be set.
      let a = Int32(truncatingIfNeeded: l)
      let b = Int32(truncatingIfNeeded: r)
      switch op {
      case "band": return .int(a & b)
      case "bor": return .int(a | b)
      case "bxor": return .int(a ^ b)
      case "shl": return .int(a << (b & 31))
      default: return .int(a >> (b & 31))
      }
    }
    switch op {
    case "band": return .long(l & r)
    case "bor": return .long(l | r)
    case "bxor": return .long(l ^ r)
    case "shl": return .long(l << (r & 63))
    default: return .long(l >> (r & 63))
    }
  }

  func range(_ lhs: PSValue, _ rhs: PSValue) throws -> PSValue {
    let start = (try PSConvert.toInt64(lhs)) ?? 0
    let end = (try PSConvert.toInt64(rhs)) ?? 0
    let (span, overflow) = end.subtractingReportingOverflow(start)
    guard !overflow, span.magnitude < 50_000_000 else {
      throw runtimeError("The range is too large.", id: "RangeTooBig", category: .invalidArgument)
    }
    let step: Int64 = start <= end ? 1 : -1
    var items: [PSValue] = []
    items.reserveCapacity(Int(span.magnitude) + 1)
    var value = start
    while true {
      items.append(Int32(exactly: value).map { .int($0) } ?? .long(value))
      if value == end { break }
      value += step
    }
    return .array(PSArray(items))
  }

  // MARK: types

  func typeNameOperand(_ value: PSValue) throws -> String? {
    switch value {
    case .type(let type): return type.fullName
    case .string(let name):
      guard let resolved = resolveType(name) else {
        throw typeNotFound(name)
      }
      return resolved
    default:
      throw runtimeError(
        "The right operand of '-is' must be a type.", id: "IsOperatorRequiresType", category: .invalidArgument)
    }
  }

  func isOfType(_ value: PSValue, _ typeValue: PSValue) throws -> Bool {
    guard let typeName = try typeNameOperand(typeValue) else { return false }
    if value.isNull { return false }
    let lowered = typeName.lowercased()
    if lowered == "system.object" { return true }
    if lowered == "system.management.automation.psobject" {
      if case .object = value { return true }
      return false
    }
    if lowered == "system.collections.ienumerable" {
      switch value {
      case .string, .array, .hashtable: return true
      default: break
      }
    }
    if case .array(let array) = value, lowered.hasSuffix("[]") {
      if case .array(let element) = array.kind {
        return element.lowercased() + "[]" == lowered || lowered == "system.object[]" && element == "System.Object"
      }
      return false
    }
    return PSTypes.typeChain(of: value).contains { $0.lowercased() == lowered }
  }
}
