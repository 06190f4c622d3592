import Foundation

/// ConvertTo-Json as Windows PowerShell 5.1 does it: JavaScriptSerializer output (dates as `\/Date(ms)\/`, `<>&'`
/// escaped), objects deeper than -Depth written as their string form, then 5.1's own pretty printer.
struct JSONWriter {
  let engine: Engine
  let maxDepth: Int

  func serialize(_ value: PSValue) throws -> String {
    var out = ""
    try write(value, depth: 0, into: &out)
    return out
  }

  static func escape(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "<", ">", "&", "'":
        out += String(format: "\\u%04x", scalar.value)
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  static func number(_ d: Double) -> String {
    if d.isNaN || d.isInfinite { return "\"\(PSConvert.formatDouble(d))\"" }
    if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
    var text = "\(d)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text.replacingOccurrences(of: "e", with: "E")
  }

  func dateJSON(_ d: PSDateTime) -> String { "\"\\/Date(\(d.unixMilliseconds))\\/\"" }

  func writeObject(_ members: [(String, PSValue)], depth: Int, into out: inout String) throws {
    out += "{"
    for (offset, member) in members.enumerated() {
      if offset > 0 { out += "," }
      out += JSONWriter.escape(member.0) + ":"
      try write(member.1, depth: depth + 1, into: &out)
    }
    out += "}"
  }

  func write(_ value: PSValue, depth: Int, into out: inout String) throws {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .long(let i): out += String(i)
    case .byte(let b): out += String(b)
    case .double(let d): out += JSONWriter.number(d)
    case .char(let c): out += JSONWriter.escape(String(c))
    case .string(let s): out += JSONWriter.escape(s)
    case .enumValue(let e): out += String(e.value)
    case .dateTime(let d):
      if d.fromGetDate {
        try writeObject(
          [
            ("value", .dateTime(PSDateTime(ticks: d.ticks, kind: d.kind))), ("DisplayHint", .int(2)),
            ("DateTime", .string(PSDateFormatter.format(d, "dddd, MMMM d, yyyy h:mm:ss tt"))),
          ],
          depth: depth, into: &out)
      } else {
        out += dateJSON(d)
      }
    default:
      if depth > maxDepth {
        out += JSONWriter.escape(PSConvert.toString(value))
        return
      }
      switch value {
      case .array(let array):
        out += "["
        for (offset, item) in array.items.enumerated() {
          if offset > 0 { out += "," }
          try write(item, depth: depth + 1, into: &out)
        }
        out += "]"
      case .hashtable(let table):
        var members: [(String, PSValue)] = []
        for (key, item) in table.entries {
          guard case .string(let name) = key else {
            throw PSErrorRecord(
              exceptionType: "System.InvalidOperationException",
              message:
                "The type '\(table.typeName)' is not supported for serialization or deserialization of a dictionary. Keys must be strings.",
              errorId: "NonStringKeyInDictionary", category: .invalidOperation, targetObject: value)
          }
          members.append((name, item))
        }
        try writeObject(members, depth: depth, into: &out)
      case .object(let object):
        if let exception = object.native as? PSException {
          try writeObject(
            [
              ("Message", .string(exception.message)), ("Data", .hashtable(PSHashtable())), ("InnerException", .null),
              ("TargetSite", .null), ("StackTrace", .null), ("HelpLink", .null), ("Source", .null),
              ("HResult", .int(-2_146_233_087)),
            ], depth: depth, into: &out)
          return
        }
        if object.native is Builtins.GuidBox {
          out += JSONWriter.escape(PSConvert.toString(value))
          return
        }
        var members: [(String, PSValue)] = []
        for property in object.properties {
          members.append((property.name, (try? property.get()) ?? .null))
        }
        try writeObject(members, depth: depth, into: &out)
      case .timeSpan(let t):
        let names = [
          "Ticks", "Days", "Hours", "Milliseconds", "Minutes", "Seconds", "TotalDays", "TotalHours",
          "TotalMilliseconds", "TotalMinutes", "TotalSeconds",
        ]
        try writeObject(
          names.map { ($0, Builtins.timeSpanProperty(t, $0.lowercased()) ?? .null) }, depth: depth, into: &out)
      case .scriptBlock(let block):
        out += JSONWriter.escape(block.text)
      case .type(let type):
        out += JSONWriter.escape(type.fullName)
      default:
        out += JSONWriter.escape(PSConvert.toString(value))
      }
    }
  }

  /// Windows PowerShell 5.1's ConvertToPrettyJsonString: 4-space indentation, two spaces after a colon, nested
  /// containers indented under their key.
  static func prettyPrint(_ json: String) -> String {
    let chars = Array(json.utf16)
    guard let first = chars.first, first == 0x7B || first == 0x5B else { return json }
    var result: [UInt16] = [first]
    if first == 0x7B {
      _ = convertDictionary(chars, 1, &result, pad: 0, spaces: 0)
    } else {
      _ = convertList(chars, 1, &result, pad: 0, spaces: 0)
    }
    return String(decoding: result, as: UTF16.self)
  }

  static let newline: [UInt16] = [13, 10]

  static func appendSpaces(_ count: Int, _ result: inout [UInt16]) {
    result.append(contentsOf: repeatElement(32, count: max(0, count)))
  }

  static func convertQuoted(_ json: [UInt16], _ index: Int, _ result: inout [UInt16]) -> Int {
    var i = index
    while i < json.count {
      result.append(json[i])
      if json[i] == 0x22 {
        var j = i
        var escaped = false
        while j > 0 {
          j -= 1
          if json[j] != 0x5C { break }
          escaped.toggle()
        }
        if !escaped { return i }
      }
      i += 1
    }
    return json.count - 1
  }

  static func convertList(_ json: [UInt16], _ index: Int, _ result: inout [UInt16], pad: Int, spaces: Int) -> Int {
    result += newline
    let newPad = pad + spaces + 4
    var headChar = true
    var i = index
    while i < json.count {
      let c = json[i]
      switch c {
      case 0x7B:
        appendSpaces(newPad, &result)
        result.append(c)
        i = convertDictionary(json, i + 1, &result, pad: newPad, spaces: 0)
        headChar = false
      case 0x5B:
        appendSpaces(newPad, &result)
        result.append(c)
        i = convertList(json, i + 1, &result, pad: newPad, spaces: 0)
        headChar = false
      case 0x5D:
        result += newline
        appendSpaces(pad + spaces, &result)
        result.append(c)
        return i
      case 0x22:
        if headChar { appendSpaces(newPad, &result) }
        result.append(c)
        i = convertQuoted(json, i + 1, &result)
        headChar = false
      case 0x2C:
        result.append(c)
        result += newline
        headChar = true
      default:
        if headChar { appendSpaces(newPad, &result) }
        result.append(c)
        headChar = false
      }
      i += 1
    }
    return json.count - 1
  }

  static func convertDictionary(_ json: [UInt16], _ index: Int, _ result: inout [UInt16], pad: Int, spaces: Int) -> Int
  {
    result += newline
    let newPad = pad + spaces + 4
    var headChar = true
    var beforeQuote = true
    var newSpaceCount = 0
    var i = index
    while i < json.count {
      let c = json[i]
      switch c {
      case 0x7B:
        result.append(c)
        i = convertDictionary(json, i + 1, &result, pad: newPad, spaces: newSpaceCount)
        headChar = false
      case 0x5B:
        result.append(c)
        i = convertList(json, i + 1, &result, pad: newPad, spaces: newSpaceCount)
        headChar = false
      case 0x7D:
        result += newline
        appendSpaces(pad + spaces, &result)
        result.append(c)
        return i
      case 0x22:
        if headChar { appendSpaces(newPad, &result) }
        result.append(c)
        let end = convertQuoted(json, i + 1, &result)
        if beforeQuote { newSpaceCount += end - i + 1 }
        i = end
        headChar = false
      case 0x3A:
        result.append(c)
        appendSpaces(2, &result)
        newSpaceCount += 3
        headChar = false
        beforeQuote = false
      case 0x2C:
        result.append(c)
        result += newline
        headChar = true
        beforeQuote = true
        newSpaceCount = 0
      default:
        if headChar { appendSpaces(newPad, &result) }
        result.append(c)
        if beforeQuote { newSpaceCount += 1 }
        headChar = false
      }
      i += 1
    }
    return json.count - 1
  }
}

/// ConvertFrom-Json's parser: objects become PSCustomObjects, `\/Date(ms)\/` strings become dates.
struct JSONReader {
  struct Failure: Error { let text: String }

  let chars: [UInt16]
  var pos = 0

  init(_ text: String) { chars = Array(text.utf16) }

  mutating func skip() {
    while pos < chars.count, [32, 9, 10, 13, 0xFEFF].contains(chars[pos]) { pos += 1 }
  }

  func invalid() -> Failure {
    var end = pos
    while end < chars.count && ![32, 9, 10, 13, 44, 93, 125].contains(chars[end]) { end += 1 }
    let token = String(decoding: chars[min(pos, chars.count)..<end], as: UTF16.self)
    return Failure(text: "Invalid JSON primitive: \(token).")
  }

  mutating func parseDocument() throws -> PSValue {
    skip()
    let value = try parseValue()
    skip()
    if pos < chars.count { throw invalid() }
    return value
  }

  mutating func parseValue() throws -> PSValue {
    skip()
    guard pos < chars.count else { throw Failure(text: "Invalid JSON primitive: .") }
    switch chars[pos] {
    case 0x7B:
      pos += 1
      let object = PSObject.customObject()
      skip()
      if pos < chars.count && chars[pos] == 0x7D {
        pos += 1
        return .object(object)
      }
      while true {
        skip()
        guard pos < chars.count, chars[pos] == 0x22 || chars[pos] == 0x27 else { throw invalid() }
        let key = try parseString()
        skip()
        guard pos < chars.count, chars[pos] == 0x3A else { throw invalid() }
        pos += 1
        object.addProperty(key, try parseValue())
        skip()
        guard pos < chars.count else { throw Failure(text: "Invalid object passed in, '}' expected.") }
        if chars[pos] == 0x2C {
          pos += 1
          continue
        }
        if chars[pos] == 0x7D {
          pos += 1
          return .object(object)
        }
        throw invalid()
      }
    case 0x5B:
      pos += 1
      var items: [PSValue] = []
      skip()
      if pos < chars.count && chars[pos] == 0x5D {
        pos += 1
        return .array(PSArray(items))
      }
      while true {
        items.append(try parseValue())
        skip()
        guard pos < chars.count else { throw Failure(text: "Invalid array passed in, ']' expected.") }
        if chars[pos] == 0x2C {
          pos += 1
          continue
        }
        if chars[pos] == 0x5D {
          pos += 1
          return .array(PSArray(items))
        }
        throw invalid()
      }
    case 0x22, 0x27:
      let text = try parseString()
      if text.hasPrefix("/Date("), text.hasSuffix(")/"),
        let ms = Int64(text.dropFirst(6).dropLast(2).prefix { $0 == "-" || $0.isNumber })
      {
        return .dateTime(PSDateTime(ticks: PSDateTime.unixEpochTicks + ms * 10_000, kind: .utc))
      }
      return .string(text)
    default:
      var end = pos
      while end < chars.count && ![32, 9, 10, 13, 44, 93, 125].contains(chars[end]) { end += 1 }
      let token = String(decoding: chars[pos..<end], as: UTF16.self)
      switch token {
      case "true":
        pos = end
        return .bool(true)
      case "false":
        pos = end
        return .bool(false)
      case "null":
        pos = end
        return .null
      default:
        if let integer = Int64(token) {
          pos = end
          return Int32(exactly: integer).map { .int($0) } ?? .long(integer)
        }
        if let real = Double(token), token.first.map({ $0 == "-" || $0.isNumber }) == true {
          pos = end
          return .double(real)
        }
        throw invalid()
      }
    }
  }

  mutating func parseString() throws -> String {
    let quote = chars[pos]
    pos += 1
    var units: [UInt16] = []
    while pos < chars.count {
      let c = chars[pos]
      if c == quote {
        pos += 1
        return String(decoding: units, as: UTF16.self)
      }
      if c == 0x5C && pos + 1 < chars.count {
        let next = chars[pos + 1]
        pos += 2
        switch next {
        case 0x6E: units.append(10)
        case 0x72: units.append(13)
        case 0x74: units.append(9)
        case 0x62: units.append(8)
        case 0x66: units.append(12)
        case 0x75:
          guard pos + 4 <= chars.count,
            let code = UInt16(String(decoding: chars[pos..<(pos + 4)], as: UTF16.self), radix: 16)
          else {
            throw Failure(text: "Invalid JSON primitive: .")
          }
          units.append(code)
          pos += 4
        default: units.append(next)
        }
        continue
      }
      units.append(c)
      pos += 1
    }
    throw Failure(text: "Invalid string passed in, '\"' expected.")
  }
}
