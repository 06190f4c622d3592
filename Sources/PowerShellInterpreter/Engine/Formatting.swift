import Foundation

/// .NET composite formatting for `-f` and `[string]::Format`, with the common numeric and date format strings.
enum Formatting {
  static func format(_ template: String, _ args: [PSValue], engine: Engine) throws -> String {
    let chars = Array(template)
    var result = ""
    var i = 0
    func formatError() -> PSErrorRecord {
      engine.runtimeError(
        "Error formatting a string: Input string was not in a correct format..", id: "FormatError",
        category: .invalidOperation, target: .string(template))
    }
    while i < chars.count {
      let c = chars[i]
      if c == "{" {
        if i + 1 < chars.count && chars[i + 1] == "{" {
          result.append("{")
          i += 2
          continue
        }
        guard let close = chars[i...].firstIndex(of: "}") else { throw formatError() }
        let spec = String(chars[(i + 1)..<close])
        var indexPart = spec
        var format = ""
        if let colon = spec.firstIndex(of: ":") {
          indexPart = String(spec[..<colon])
          format = String(spec[spec.index(after: colon)...])
        }
        var alignment = 0
        if let comma = indexPart.firstIndex(of: ",") {
          alignment = Int(indexPart[indexPart.index(after: comma)...].trimmingCharacters(in: .whitespaces)) ?? 0
          indexPart = String(indexPart[..<comma])
        }
        guard let index = Int(indexPart.trimmingCharacters(in: .whitespaces)) else { throw formatError() }
        guard index >= 0 && index < args.count else {
          throw engine.runtimeError(
            "Error formatting a string: Index (zero based) must be greater than or equal to zero and less than the size of the argument list..",
            id: "FormatError", category: .invalidOperation, target: .string(template))
        }
        var text = try formatItem(args[index], format: format, engine: engine)
        let width = abs(alignment)
        if text.count < width {
          let padding = String(repeating: " ", count: width - text.count)
          text = alignment < 0 ? text + padding : padding + text
        }
        result += text
        i = close + 1
        continue
      }
      if c == "}" {
        if i + 1 < chars.count && chars[i + 1] == "}" {
          result.append("}")
          i += 2
          continue
        }
        throw formatError()
      }
      result.append(c)
      i += 1
    }
    return result
  }

  static func group(_ digits: String) -> String {
    var result = ""
    for (offset, c) in digits.reversed().enumerated() {
      if offset > 0 && offset % 3 == 0 { result.append(",") }
      result.append(c)
    }
    return String(result.reversed())
  }

  /// |value| with `decimals` fraction digits as .NET Framework formats a Double: first to 15 significant digits, then
  /// half away from zero, so 1.005 gives "1.01" (the binary value is 1.00499999999999989...).
  static func frameworkDigits(_ magnitude: Double, _ decimals: Int) -> String {
    guard magnitude.isFinite, magnitude < 1e27, decimals <= 20 else {
      return String(format: "%.\(decimals)f", magnitude)
    }
    var source = Decimal(string: String(format: "%.14e", magnitude)) ?? Decimal(magnitude)
    var rounded = Decimal()
    NSDecimalRound(&rounded, &source, decimals, .plain)
    var text = NSDecimalNumber(decimal: rounded).stringValue
    if decimals > 0 {
      if !text.contains(".") { text += "." }
      let have = text.count - 1 - text.distance(from: text.startIndex, to: text.firstIndex(of: ".")!)
      text += String(repeating: "0", count: max(0, decimals - have))
    }
    return text
  }

  static func fixed(_ value: Double, _ decimals: Int, grouping: Bool) -> String {
    let digits = frameworkDigits(abs(value), decimals)
    let rounded = Double(digits) ?? 0
    var text = digits
    if grouping {
      let parts = text.split(separator: ".", maxSplits: 1)
      text = group(String(parts[0])) + (parts.count > 1 ? "." + parts[1] : "")
    }
    return (value < 0 && rounded != 0 ? "-" : "") + text
  }

  /// `TimeSpan.ToString(format)`: the constant format "c" (and "" / "g" for spans without a fraction); custom
  /// formats such as `hh\:mm` are not modelled.
  static func formatTimeSpan(_ t: PSTimeSpan, _ format: String, engine: Engine) throws -> String {
    switch format {
    case "", "c", "t", "T": return PSConvert.formatTimeSpan(t)
    default: throw engine.notModelled("the TimeSpan format '\(format)'")
    }
  }

  static func formatSpecifierInvalid(_ engine: Engine) -> PSErrorRecord {
    engine.runtimeError(
      "Error formatting a string: Format specifier was invalid..", id: "FormatError", category: .invalidOperation)
  }

  static func formatItem(_ value: PSValue, format: String, engine: Engine) throws -> String {
    // .NET's String.Format calls ToString(): an array argument is its type name, not its joined items.
    if case .array(let array) = value { return array.typeName }
    if format.isEmpty { return PSConvert.toString(value) }
    switch value {
    case .dateTime(let d): return PSDateFormatter.format(d, format)
    case .timeSpan(let t): return try formatTimeSpan(t, format, engine: engine)
    case .int, .long, .byte, .double:
      break
    case .object(let object):
      if let method = object.method(named: "ToString") { return PSConvert.toString(try method([.string(format)])) }
      return PSConvert.toString(value)
    default:
      return PSConvert.toString(value)
    }
    let isInteger: Bool
    let integerValue: Int64
    let doubleValue: Double
    switch value {
    case .int(let i):
      isInteger = true
      integerValue = Int64(i)
      doubleValue = Double(i)
    case .long(let i):
      isInteger = true
      integerValue = i
      doubleValue = Double(i)
    case .byte(let b):
      isInteger = true
      integerValue = Int64(b)
      doubleValue = Double(b)
    case .double(let d):
      isInteger = false
      integerValue = Int64(d.isFinite && abs(d) < 9e18 ? d : 0)
      doubleValue = d
    default: return PSConvert.toString(value)
    }
    let kind = format.first!
    let precisionText = format.dropFirst()
    let precision = precisionText.isEmpty ? nil : Int(precisionText)
    if precisionText.isEmpty || precision != nil {
      switch kind {
      case "N", "n": return fixed(doubleValue, precision ?? 2, grouping: true)
      case "F", "f": return fixed(doubleValue, precision ?? 2, grouping: false)
      case "D", "d":
        guard isInteger else { throw formatSpecifierInvalid(engine) }
        let digits = String(abs(integerValue))
        let padded = String(repeating: "0", count: max(0, (precision ?? 0) - digits.count)) + digits
        return (integerValue < 0 ? "-" : "") + padded
      case "X", "x":
        guard isInteger else { throw formatSpecifierInvalid(engine) }
        var hex = String(UInt64(bitPattern: integerValue), radix: 16, uppercase: kind == "X")
        if case .int(let i) = value { hex = String(UInt32(bitPattern: i), radix: 16, uppercase: kind == "X") }
        return String(repeating: "0", count: max(0, (precision ?? 0) - hex.count)) + hex
      case "P", "p": return fixed(doubleValue * 100, precision ?? 2, grouping: true) + " %"
      case "C", "c":
        // The negative currency pattern depends on the Windows build's en-US settings.
        guard doubleValue >= 0 else { throw engine.notModelled("the currency format of a negative number") }
        return "$" + fixed(doubleValue, precision ?? 2, grouping: true)
      case "G", "g", "R", "r":
        guard precision == nil else { throw engine.notModelled("the format '\(format)' (G or R with a precision)") }
        return PSConvert.toString(value)
      case "E", "e":
        let text = String(format: "%.\(precision ?? 6)\(kind == "E" ? "E" : "e")", doubleValue)
        guard let e = text.firstIndex(where: { $0 == "E" || $0 == "e" }) else { return text }
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        let sign = exponent.hasPrefix("-") ? "-" : "+"
        exponent = String(exponent.drop { $0 == "+" || $0 == "-" })
        while exponent.count < 3 { exponent = "0" + exponent }
        return "\(mantissa)\(kind)\(sign)\(exponent)"
      default: break
      }
    }
    // Custom format: 0, #, '.', ','.
    let parts = format.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let integerPattern = String(parts[0])
    let fractionPattern = parts.count > 1 ? String(parts[1]) : ""
    guard integerPattern.allSatisfy({ "0#,".contains($0) }) && fractionPattern.allSatisfy({ "0#".contains($0) }),
      integerPattern.contains(where: { $0 == "0" || $0 == "#" }) || !fractionPattern.isEmpty,
      !(integerPattern.hasSuffix(",") && fractionPattern.isEmpty)
    else {
      // Literals, percent, sections (;), exponents and scaling commas in a custom format are not modelled.
      throw engine.notModelled("the number format '\(format)'")
    }
    let minimumFraction = fractionPattern.filter { $0 == "0" }.count
    let maximumFraction = fractionPattern.count
    var text = fixed(abs(doubleValue), maximumFraction, grouping: false)
    if maximumFraction > minimumFraction, text.contains(".") {
      var trimmed = text
      var removable = maximumFraction - minimumFraction
      while removable > 0 && trimmed.hasSuffix("0") {
        trimmed.removeLast()
        removable -= 1
      }
      if trimmed.hasSuffix(".") { trimmed.removeLast() }
      text = trimmed
    }
    let pieces = text.split(separator: ".", maxSplits: 1)
    var integerDigits = String(pieces[0])
    let minimumInteger = integerPattern.filter { $0 == "0" }.count
    if integerDigits == "0" && minimumInteger == 0 { integerDigits = "" }
    integerDigits = String(repeating: "0", count: max(0, minimumInteger - integerDigits.count)) + integerDigits
    if integerPattern.contains(",") { integerDigits = group(integerDigits) }
    let fraction = pieces.count > 1 ? "." + pieces[1] : ""
    return (doubleValue < 0 ? "-" : "") + integerDigits + fraction
  }
}
