import Foundation

/// Built-in .NET objects and members the scripts use: versions, GUIDs, dates, error records, regex helpers.
enum Builtins {
  final class VersionBox {
    let parts: [Int]
    init(_ parts: [Int]) { self.parts = parts }
  }

  final class GuidBox {
    let text: String
    init(_ text: String) { self.text = text }
  }

  static let enumRegistry = LockedRegistry<[String: PSEnumType]>(
    {
      var table: [String: PSEnumType] = [:]
      let builtIn = [
        PSEnumType(
          fullName: "System.DayOfWeek",
          members: [
            ("Sunday", 0), ("Monday", 1), ("Tuesday", 2), ("Wednesday", 3), ("Thursday", 4), ("Friday", 5),
            ("Saturday", 6),
          ]),
        PSEnumType(fullName: "System.DateTimeKind", members: [("Unspecified", 0), ("Utc", 1), ("Local", 2)]),
        PSEnumType(fullName: "System.MidpointRounding", members: [("ToEven", 0), ("AwayFromZero", 1)]),
        PSEnumType(fullName: "System.StringSplitOptions", members: [("None", 0), ("RemoveEmptyEntries", 1)]),
        PSEnumType(
          fullName: "System.StringComparison",
          members: [
            ("CurrentCulture", 0), ("CurrentCultureIgnoreCase", 1), ("InvariantCulture", 2),
            ("InvariantCultureIgnoreCase", 3), ("Ordinal", 4), ("OrdinalIgnoreCase", 5),
          ]),
        PSEnumType(
          fullName: "System.Management.Automation.ActionPreference",
          members: [
            ("SilentlyContinue", 0), ("Stop", 1), ("Continue", 2), ("Inquire", 3), ("Ignore", 4), ("Suspend", 5),
          ]),
        PSErrorCategory.enumType,
      ]
      for type in builtIn { table[type.fullName.lowercased()] = type }
      return table
    }())

  static func enumType(named name: String) -> PSEnumType? {
    let lowered = name.lowercased()
    return enumRegistry.read { $0[lowered] ?? $0["system." + lowered] }
  }

  // MARK: version and guid

  static func parseVersionParts(_ text: String) -> [Int] {
    text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false).map {
      Int($0) ?? -1
    }
  }

  static func version(_ text: String) -> PSObject {
    let parts = parseVersionParts(text)
    let object = PSObject(typeName: "System.Version")
    object.native = VersionBox(parts)
    let names = ["Major", "Minor", "Build", "Revision"]
    for (offset, name) in names.enumerated() {
      object.addProperty(name, .int(Int32(offset < parts.count ? parts[offset] : -1)))
    }
    object.addProperty("MajorRevision", .int(0))
    object.addProperty("MinorRevision", .int(Int32(parts.count > 3 ? parts[3] : -1)))
    object.toStringHandler = { parts.map(String.init).joined(separator: ".") }
    object.addMethod("CompareTo") { args in
      let other = parseVersionParts(PSConvert.toString(args.first ?? .null))
      for i in 0..<max(parts.count, other.count) {
        let a = i < parts.count ? parts[i] : -1
        let b = i < other.count ? other[i] : -1
        if a != b { return .int(a < b ? -1 : 1) }
      }
      return .int(0)
    }
    return object
  }

  static func guid(_ text: String) -> PSObject {
    let object = PSObject(typeName: "System.Guid", baseTypes: ["System.ValueType", "System.Object"])
    object.native = GuidBox(text)
    object.addProperty("Guid", .string(text))
    object.toStringHandler = { text }
    object.addMethod("ToString") { args in
      let format = args.first.map { PSConvert.toString($0) } ?? "D"
      switch format {
      case "N": return .string(text.replacingOccurrences(of: "-", with: ""))
      case "B": return .string("{\(text)}")
      default: return .string(text)
      }
    }
    return object
  }

  // MARK: names

  static func shortTypeName(_ fullName: String) -> String {
    if fullName.hasPrefix("System.Collections.Generic.List") { return "List`1" }
    return String(fullName.split(separator: ".").last ?? Substring(fullName))
  }

  // MARK: error records and exceptions

  static func exceptionObject(_ exception: PSException) -> PSObject {
    let object = PSObject(typeNames: exception.typeChain)
    object.native = exception
    object.addProperty("Message", getter: { .string(exception.message) })
    object.addProperty(
      "InnerException", getter: { exception.innerException.map { .object(exceptionObject($0)) } ?? .null })
    if exception.isOfType("System.Management.Automation.RuntimeException") {
      object.addProperty(
        "ErrorRecord", getter: { exception.errorRecord.map { .object(errorRecordObject($0)) } ?? .null })
      object.addProperty(
        "WasThrownFromThrowStatement", getter: { .bool(exception.errorRecord?.terminatesScript ?? false) })
    }
    for (name, value) in exception.extraProperties { object.addProperty(name, value) }
    object.addProperty("Data", .hashtable(PSHashtable()))
    object.addProperty("HResult", .int(-2_146_233_087))
    object.addProperty("Source", .null)
    object.addProperty("StackTrace", .null)
    object.addProperty("HelpLink", .null)
    object.addProperty("TargetSite", .null)
    object.toStringHandler = { "\(exception.typeName): \(exception.message)" }
    object.addMethod("GetBaseException") { _ in
      var innermost = exception
      while let inner = innermost.innerException { innermost = inner }
      return .object(exceptionObject(innermost))
    }
    return object
  }

  static func categoryInfoText(_ record: PSErrorRecord) -> String {
    let target = record.targetObject.isNull ? "" : PSConvert.toString(record.targetObject)
    let targetType = record.targetObject.isNull ? "" : shortTypeName(PSTypes.typeName(of: record.targetObject))
    let reason = record.isParseError ? "ParentContainsErrorRecordException" : record.reason
    return "\(record.category.name): (\(target):\(targetType)) [\(record.activity)], \(reason)"
  }

  static func errorRecordObject(_ record: PSErrorRecord) -> PSObject {
    if let cached = record.scriptObject { return cached }
    let object = PSObject(typeName: "System.Management.Automation.ErrorRecord")
    object.native = record
    record.scriptObject = object
    object.addProperty("Exception", getter: { .object(exceptionObject(record.exception)) })
    object.addProperty("TargetObject", getter: { record.targetObject })
    object.addProperty(
      "CategoryInfo",
      getter: {
        let info = PSObject(typeName: "System.Management.Automation.ErrorCategoryInfo")
        info.addProperty("Category", .enumValue(PSErrorCategory.enumType.value(Int64(record.category.rawValue))))
        info.addProperty("Activity", .string(record.activity))
        info.addProperty("Reason", .string(record.isParseError ? "ParentContainsErrorRecordException" : record.reason))
        info.addProperty(
          "TargetName", .string(record.targetObject.isNull ? "" : PSConvert.toString(record.targetObject)))
        info.addProperty(
          "TargetType",
          .string(record.targetObject.isNull ? "" : shortTypeName(PSTypes.typeName(of: record.targetObject))))
        info.toStringHandler = { categoryInfoText(record) }
        return .object(info)
      })
    object.addProperty("FullyQualifiedErrorId", getter: { .string(record.fullyQualifiedErrorId) })
    object.addProperty(
      "ErrorDetails",
      getter: {
        guard let message = record.errorDetailsMessage else { return .null }
        let details = PSObject(typeName: "System.Management.Automation.ErrorDetails")
        details.addProperty("Message", .string(message))
        details.addProperty("RecommendedAction", .null)
        details.toStringHandler = { message }
        return .object(details)
      })
    object.addProperty(
      "InvocationInfo",
      getter: {
        guard let invocation = record.invocation else { return .null }
        let info = PSObject(typeName: "System.Management.Automation.InvocationInfo")
        info.addProperty("MyCommand", invocation.commandName.isEmpty ? .null : .string(invocation.commandName))
        info.addProperty("ScriptLineNumber", .int(Int32(invocation.line)))
        info.addProperty("OffsetInLine", .int(Int32(invocation.column)))
        info.addProperty("Line", .string(invocation.lineText))
        info.addProperty("PositionMessage", .string(ErrorFormatter.positionMessage(invocation, newline: "\r\n")))
        info.addProperty("ScriptName", .string(""))
        info.addProperty("InvocationName", .string(invocation.commandName))
        return .object(info)
      })
    object.addProperty(
      "ScriptStackTrace", getter: { .string("at <ScriptBlock>, <No file>: line \(record.invocation?.line ?? 1)") })
    object.addProperty("PipelineIterationInfo", .array(PSArray()))
    object.toStringHandler = { record.message }
    return object
  }

  static func dictionaryEntry(_ key: PSValue, _ value: PSValue) -> PSObject {
    let entry = PSObject(
      typeName: "System.Collections.DictionaryEntry", baseTypes: ["System.ValueType", "System.Object"])
    entry.addProperty("Name", key)
    entry.addProperty("Key", key)
    entry.addProperty("Value", value)
    entry.toStringHandler = { "System.Collections.DictionaryEntry" }
    return entry
  }

  /// `$x.PSObject`: Properties (Name/Value/MemberType), TypeNames, BaseObject.
  static func psObjectView(_ value: PSValue) -> PSObject {
    let view = PSObject(typeName: "System.Management.Automation.PSObject")
    view.addProperty("BaseObject", value)
    view.addProperty("ImmediateBaseObject", value)
    view.addProperty("TypeNames", getter: { .array(PSArray.strings(PSTypes.psTypeNames(of: value))) })
    view.addProperty(
      "Properties",
      getter: {
        var items: [PSValue] = []
        func add(_ name: String, _ item: PSValue, _ memberType: String) {
          let property = PSObject(typeName: "System.Management.Automation.PSNoteProperty")
          property.addProperty("Name", .string(name))
          property.addProperty("Value", item)
          property.addProperty("MemberType", .string(memberType))
          property.addProperty("IsSettable", .bool(true))
          property.addProperty("IsGettable", .bool(true))
          property.addProperty("TypeNameOfValue", .string(PSTypes.typeName(of: item)))
          property.toStringHandler = { "\(PSTypes.typeName(of: item)) \(name)=\(PSConvert.toString(item))" }
          items.append(.object(property))
        }
        switch value {
        case .object(let object):
          for property in object.properties {
            add(property.name, (try? property.get()) ?? .null, object.isCustomObject ? "NoteProperty" : "Property")
          }
        case .hashtable(let table):
          add("IsReadOnly", .bool(false), "Property")
          add("IsFixedSize", .bool(false), "Property")
          add("Keys", .array(PSArray(table.keys)), "Property")
          add("Values", .array(PSArray(table.values)), "Property")
          add("Count", .int(Int32(table.count)), "Property")
        case .string(let s):
          add("Length", .int(Int32(s.utf16.count)), "Property")
        default: break
        }
        return .array(PSArray(items))
      })
    for member in ["Methods", "Members"] {
      view.addProperty(
        member,
        getter: {
          throw PSErrorRecord(
            exceptionType: "System.Management.Automation.RuntimeException",
            message: "WinLab does not model .PSObject.\(member).", errorId: "NotModelled", category: .notImplemented,
            targetObject: .null)
        })
    }
    return view
  }

  // MARK: regex helpers

  /// The capturing groups of a pattern in the order ICU numbers them, each with its .NET name or number: .NET numbers
  /// the unnamed groups first (1, 2...) and then the named ones, so `(?<x>a)(b)` has `$1` = `b`, where ICU says `a`.
  static func dotNetGroups(_ pattern: String) -> [(icu: Int, name: String?, number: Int)] {
    let chars = Array(pattern)
    var groups: [(icu: Int, name: String?)] = []
    var i = 0
    var inClass = false
    while i < chars.count {
      let c = chars[i]
      if c == "\\" {
        i += 2
        continue
      }
      if inClass {
        if c == "]" { inClass = false }
        i += 1
        continue
      }
      if c == "[" {
        inClass = true
        i += 1
        if i < chars.count && chars[i] == "^" { i += 1 }
        if i < chars.count && chars[i] == "]" { i += 1 }
        continue
      }
      if c == "(" {
        if i + 1 < chars.count && chars[i + 1] == "?" {
          if i + 3 < chars.count && (chars[i + 2] == "<" || chars[i + 2] == "'") && chars[i + 3] != "="
            && chars[i + 3] != "!"
          {
            let close: Character = chars[i + 2] == "<" ? ">" : "'"
            var j = i + 3
            var name = ""
            while j < chars.count && chars[j] != close {
              name.append(chars[j])
              j += 1
            }
            groups.append((groups.count + 1, name))
          }
        } else if !(i + 1 < chars.count && chars[i + 1] == "*") {
          groups.append((groups.count + 1, nil))
        }
      }
      i += 1
    }
    let unnamed = groups.filter { $0.name == nil }
    let named = groups.filter { $0.name != nil }
    var result: [(icu: Int, name: String?, number: Int)] = []
    for (offset, group) in unnamed.enumerated() { result.append((group.icu, nil, offset + 1)) }
    for (offset, group) in named.enumerated() { result.append((group.icu, group.name, unnamed.count + offset + 1)) }
    return result.sorted { $0.icu < $1.icu }
  }

  /// The ICU group index of the .NET group number `number` in `pattern`.
  static func icuGroup(_ number: Int, in pattern: String) -> Int {
    if number == 0 { return 0 }
    return dotNetGroups(pattern).first { $0.number == number }?.icu ?? Int.max
  }

  /// .NET replacement syntax: `$1`, `${name}`, `$0`/`$&`, `$$`.
  static func regexReplace(_ expression: NSRegularExpression, _ text: String, _ replacement: String) -> String {
    let ns = text as NSString
    let matches = expression.matches(in: text, range: NSRange(location: 0, length: ns.length))
    if matches.isEmpty { return text }
    var result = ""
    var last = 0
    let template = Array(replacement)
    for match in matches {
      result += ns.substring(with: NSRange(location: last, length: match.range.location - last))
      var i = 0
      while i < template.count {
        let c = template[i]
        if c == "$" && i + 1 < template.count {
          let next = template[i + 1]
          if next == "$" {
            result += "$"
            i += 2
            continue
          }
          if next == "&" {
            result += ns.substring(with: match.range)
            i += 2
            continue
          }
          // .NET's other substitutions: $_ the whole input, $` before the match, $' after it, $+ the last group.
          if next == "_" || next == "`" || next == "'" || next == "+" {
            switch next {
            case "_": result += text
            case "`": result += ns.substring(to: match.range.location)
            case "'": result += ns.substring(from: match.range.location + match.range.length)
            default:
              let groups = dotNetGroups(expression.pattern)
              if let last = groups.max(by: { $0.number < $1.number }), last.icu < match.numberOfRanges {
                let range = match.range(at: last.icu)
                if range.location != NSNotFound { result += ns.substring(with: range) }
              } else {
                result += ns.substring(with: match.range)
              }
            }
            i += 2
            continue
          }
          if next.isNumber {
            var j = i + 1
            var digits = ""
            while j < template.count && template[j].isNumber {
              digits.append(template[j])
              j += 1
            }
            if let number = Int(digits), case let group = icuGroup(number, in: expression.pattern),
              group < match.numberOfRanges
            {
              let range = match.range(at: group)
              if range.location != NSNotFound { result += ns.substring(with: range) }
              i = j
              continue
            }
          }
          if next == "{", let close = template[(i + 2)...].firstIndex(of: "}") {
            let name = String(template[(i + 2)..<close])
            var range = NSRange(location: NSNotFound, length: 0)
            if let number = Int(name), case let group = icuGroup(number, in: expression.pattern),
              group < match.numberOfRanges
            {
              range = match.range(at: group)
            } else if Int(name) == nil {
              range = match.range(withName: name)
            }
            if range.location != NSNotFound { result += ns.substring(with: range) }
            i = close + 1
            continue
          }
        }
        result.append(c)
        i += 1
      }
      last = match.range.location + match.range.length
    }
    result += ns.substring(from: last)
    return result
  }

  static func regexSplit(_ expression: NSRegularExpression, _ text: String, limit: Int) -> [String] {
    let ns = text as NSString
    var parts: [String] = []
    var last = 0
    var splits = 0
    for match in expression.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
      // Captured delimiters are returned too but do not count against the limit.
      if limit > 0 && splits >= limit - 1 { break }
      if match.range.length == 0 && (match.range.location == 0 || match.range.location == ns.length) { continue }
      parts.append(ns.substring(with: NSRange(location: last, length: match.range.location - last)))
      splits += 1
      for group in stride(from: 1, to: match.numberOfRanges, by: 1) {
        let range = match.range(at: group)
        if range.location != NSNotFound { parts.append(ns.substring(with: range)) }
      }
      last = match.range.location + match.range.length
    }
    parts.append(ns.substring(from: last))
    return parts
  }

  static func regexObject(_ pattern: String, engine: Engine) throws -> PSObject {
    let expression = try engine.regex(pattern, caseSensitive: true)
    let object = PSObject(typeName: "System.Text.RegularExpressions.Regex")
    object.toStringHandler = { pattern }
    object.addMethod("IsMatch") { args in
      let text = PSConvert.toString(args.first ?? .null)
      return .bool(
        expression.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil)
    }
    object.addMethod("Replace") { args in
      .string(
        regexReplace(
          expression, PSConvert.toString(args.first ?? .null), PSConvert.toString(args.count > 1 ? args[1] : .null)))
    }
    object.addMethod("Match") { args in matchObject(expression, PSConvert.toString(args.first ?? .null)) }
    object.addMethod("Matches") { args in matchesArray(expression, PSConvert.toString(args.first ?? .null)) }
    object.addMethod("Split") { args in
      .array(PSArray.strings(regexSplit(expression, PSConvert.toString(args.first ?? .null), limit: 0)))
    }
    return object
  }

  static func matchPSObject(_ match: NSTextCheckingResult?, _ ns: NSString) -> PSObject {
    let object = PSObject(
      typeName: "System.Text.RegularExpressions.Match",
      baseTypes: ["System.Text.RegularExpressions.Group", "System.Text.RegularExpressions.Capture", "System.Object"])
    let success = match != nil
    let value = match.map { ns.substring(with: $0.range) } ?? ""
    object.addProperty("Success", .bool(success))
    object.addProperty("Value", .string(value))
    object.addProperty("Index", .int(Int32(match?.range.location ?? 0)))
    object.addProperty("Length", .int(Int32(match?.range.length ?? 0)))
    var groups: [PSValue] = []
    if let match {
      for index in 0..<match.numberOfRanges {
        let range = match.range(at: index)
        let group = PSObject(typeName: "System.Text.RegularExpressions.Group")
        let groupValue = range.location == NSNotFound ? "" : ns.substring(with: range)
        group.addProperty("Success", .bool(range.location != NSNotFound))
        group.addProperty("Value", .string(groupValue))
        group.addProperty("Index", .int(Int32(range.location == NSNotFound ? 0 : range.location)))
        group.addProperty("Name", .string(String(index)))
        group.toStringHandler = { groupValue }
        groups.append(.object(group))
      }
    }
    object.addProperty("Groups", .array(PSArray(groups)))
    object.toStringHandler = { value }
    return object
  }

  static func matchObject(_ expression: NSRegularExpression, _ text: String) -> PSValue {
    let ns = text as NSString
    return .object(matchPSObject(expression.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)), ns))
  }

  static func matchesArray(_ expression: NSRegularExpression, _ text: String) -> PSValue {
    let ns = text as NSString
    return .array(
      PSArray(
        expression.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
          .object(matchPSObject($0, ns))
        }))
  }
}
