import Foundation

/// PowerShell's value conversions (LanguagePrimitives): to string, bool and numbers, with the same rules scripts see.
public enum PSConvert {
  /// String conversion as in `"$x"` / `[string]$x` (invariant culture; arrays joined with a space).
  public static func toString(_ value: PSValue) -> String {
    switch value {
    case .null: return ""
    case .bool(let b): return b ? "True" : "False"
    case .int(let i): return String(i)
    case .long(let i): return String(i)
    case .byte(let b): return String(b)
    case .double(let d): return formatDouble(d)
    case .char(let c): return String(c)
    case .string(let s): return s
    case .dateTime(let d): return PSDateFormatter.format(d, "MM/dd/yyyy HH:mm:ss")
    case .timeSpan(let t): return formatTimeSpan(t)
    case .enumValue(let e): return e.name
    case .array(let a): return a.items.map { toString($0) }.joined(separator: " ")
    case .hashtable(let h): return h.typeName
    case .object(let o): return objectString(o)
    case .scriptBlock(let b): return b.text
    case .type(let t): return t.fullName
    }
  }

  static func objectString(_ object: PSObject) -> String {
    if let handler = object.toStringHandler { return handler() }
    if object.isCustomObject {
      let parts = object.properties.map { property -> String in
        let value = (try? property.get()) ?? .null
        return "\(property.name)=\(toString(value))"
      }
      return "@{" + parts.joined(separator: "; ") + "}"
    }
    if let exception = object.native as? PSException { return exception.message }
    if let record = object.native as? PSErrorRecord { return record.message }
    return object.typeName
  }

  /// .NET Framework's `Double.ToString()`: 15 significant digits, `E+XX` exponents.
  public static func formatDouble(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
    if d == 0 { return "0" }
    if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
    var text = String(format: "%.15G", d)
    if let e = text.firstIndex(of: "E") {
      var mantissa = String(text[..<e])
      var exponent = String(text[text.index(after: e)...])
      if mantissa.contains(".") {
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
      }
      let sign = exponent.hasPrefix("-") ? "-" : "+"
      exponent = String(exponent.drop { $0 == "+" || $0 == "-" })
      while exponent.count < 2 { exponent = "0" + exponent }
      while exponent.count > 2 && exponent.hasPrefix("0") { exponent.removeFirst() }
      return "\(mantissa)E\(sign)\(exponent)"
    }
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }

  /// `TimeSpan.ToString()`: `[-][d.]hh:mm:ss[.fffffff]`.
  public static func formatTimeSpan(_ t: PSTimeSpan) -> String {
    var ticks = t.ticks
    let negative = ticks < 0
    if negative { ticks = -ticks }
    let days = ticks / 864_000_000_000
    let hours = (ticks / 36_000_000_000) % 24
    let minutes = (ticks / 600_000_000) % 60
    let seconds = (ticks / 10_000_000) % 60
    let fraction = ticks % 10_000_000
    var text = negative ? "-" : ""
    if days > 0 { text += "\(days)." }
    text += String(format: "%02lld:%02lld:%02lld", hours, minutes, seconds)
    if fraction > 0 { text += String(format: ".%07lld", fraction) }
    return text
  }

  /// PowerShell truthiness: `$null`, 0, '', empty arrays and `$false` are false; a one-element array is its element.
  public static func toBool(_ value: PSValue) -> Bool {
    switch value {
    case .null: return false
    case .bool(let b): return b
    case .int(let i): return i != 0
    case .long(let i): return i != 0
    case .byte(let b): return b != 0
    case .double(let d): return d != 0
    case .char(let c): return c != "\0"
    case .string(let s): return !s.isEmpty
    case .enumValue(let e): return e.value != 0
    case .array(let a):
      if a.items.isEmpty { return false }
      if a.items.count == 1 { return toBool(a.items[0]) }
      return true
    default: return true
    }
  }

  static func invalidCast(
    _ value: PSValue, _ typeName: String, _ detail: String, errorId: String, valueForm: Bool = false
  ) -> PSErrorRecord {
    let shown: String
    switch value {
    case .string(let s): shown = "\"\(s)\""
    default: shown = "\"\(toString(value))\""
    }
    let inner = PSException(typeName: "System.Management.Automation.PSInvalidCastException", message: detail)
    let message: String
    if case .string = value {
      message = "Cannot convert value \(shown) to type \"\(typeName)\". Error: \"\(detail)\""
    } else if valueForm {
      message = "Cannot convert value \(shown) to type \"\(typeName)\". Error: \"\(detail)\""
    } else {
      message = "Cannot convert the \(shown) value of type \"\(PSTypes.typeName(of: value))\" to type \"\(typeName)\"."
    }
    let exception = PSException(
      typeName: "System.Management.Automation.RuntimeException", message: message, innerException: inner)
    return PSErrorRecord(exception: exception, errorId: errorId, category: .invalidArgument, targetObject: value)
  }

  /// Parses a number the way PowerShell converts strings (`' 42 '`, `0x10`, `1e3`, `1.5`), nil when not numeric.
  static func parseNumber(_ text: String) -> PSValue? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return .int(0) }
    var body = trimmed
    var negative = false
    if body.hasPrefix("-") || body.hasPrefix("+") {
      negative = body.hasPrefix("-")
      body.removeFirst()
    }
    guard let value = Parser.numberValue(body) else { return nil }
    if !negative { return value }
    switch value {
    case .int(let i): return .int(-i)
    case .long(let i): return Int32(exactly: -i).map { .int($0) } ?? .long(-i)
    case .double(let d): return .double(-d)
    default: return value
    }
  }

  /// Converts to a 64-bit integer (banker's rounding for doubles); nil for `$null`, throws when not convertible.
  public static func toInt64(_ value: PSValue) throws -> Int64? {
    switch value {
    case .null: return nil
    case .bool(let b): return b ? 1 : 0
    case .int(let i): return Int64(i)
    case .long(let i): return i
    case .byte(let b): return Int64(b)
    case .double(let d):
      let rounded = d.rounded(.toNearestOrEven)
      guard rounded.isFinite, abs(rounded) < 9.2e18 else {
        throw invalidCast(
          value, "System.Int64", "Value was either too large or too small for an Int64.",
          errorId: "InvalidCastIConvertible")
      }
      return Int64(rounded)
    case .char(let c): return Int64(c.unicodeScalars.first!.value)
    case .enumValue(let e): return e.value
    case .string(let s):
      guard let number = parseNumber(s) else {
        throw invalidCast(
          value, "System.Int32", "Input string was not in a correct format.", errorId: "InvalidCastFromStringToInteger")
      }
      return try toInt64(number)
    case .array(let a) where a.items.count == 1: return try toInt64(a.items[0])
    default:
      throw invalidCast(value, "System.Int32", "", errorId: "InvalidCastException")
    }
  }

  /// Converts to Double; nil for `$null`, throws when not convertible.
  public static func toDouble(_ value: PSValue) throws -> Double? {
    switch value {
    case .null: return nil
    case .double(let d): return d
    case .string(let s):
      guard let number = parseNumber(s) else {
        throw invalidCast(
          value, "System.Double", "Input string was not in a correct format.",
          errorId: "InvalidCastFromStringToDoubleOrSingle")
      }
      return try toDouble(number)
    case .array(let a) where a.items.count == 1: return try toDouble(a.items[0])
    default: return try toInt64(value).map { Double($0) }
    }
  }
}
