import Foundation

extension Builtins {
  static func isValidDate(_ year: Int, _ month: Int, _ day: Int) -> Bool {
    guard (1...9999).contains(year), (1...12).contains(month) else { return false }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    return (1...[31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]).contains(day)
  }

  /// True when `text` has a shape parseDate reads (valid or not): an ISO 8601 date or M/d/yyyy, or no digits at all
  /// (certainly not a date). Other shapes (`January 15, 2024`, `15.01.2024`) .NET may read; WinLab does not model them.
  static func isModelledDateShape(_ text: String) -> Bool {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if !trimmed.contains(where: { $0.isNumber }) { return true }
    let shapes = [
      #"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"#,
      #"^\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM|am|pm)?)?$"#,
    ]
    return shapes.contains { trimmed.range(of: $0, options: .regularExpression) != nil }
  }

  /// Parses the date formats scripts use (ISO 8601 / round-trip, `yyyy-MM-dd[ HH:mm:ss]`, `M/d/yyyy[ h:mm:ss tt]`).
  static func parseDate(_ text: String) -> PSDateTime? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let iso =
      #"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"#
    let us = #"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM|am|pm)?)?$"#
    func groups(_ pattern: String) -> [String?]? {
      guard let expression = try? NSRegularExpression(pattern: pattern),
        let match = expression.firstMatch(
          in: trimmed, range: NSRange(location: 0, length: (trimmed as NSString).length))
      else { return nil }
      return (1..<match.numberOfRanges).map { index in
        let range = match.range(at: index)
        return range.location == NSNotFound ? nil : (trimmed as NSString).substring(with: range)
      }
    }
    if let g = groups(iso) {
      guard let year = Int(g[0]!), let month = Int(g[1]!), let day = Int(g[2]!), isValidDate(year, month, day) else {
        return nil
      }
      var ticks = PSDateFormatter.ticks(
        year: year, month: month, day: day, hour: Int(g[3] ?? "0") ?? 0, minute: Int(g[4] ?? "0") ?? 0,
        second: Int(g[5] ?? "0") ?? 0)
      if let fraction = g[6] {
        let padded = fraction.padding(toLength: 7, withPad: "0", startingAt: 0)
        ticks += Int64(padded) ?? 0
      }
      var kind: PSDateTime.Kind = .unspecified
      if let zone = g[7] {
        kind = .local
        if zone != "Z" {
          let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
          let hours = Int(digits.prefix(2)) ?? 0
          let minutes = Int(digits.suffix(2)) ?? 0
          let offset = Int64(hours * 3600 + minutes * 60) * 10_000_000
          ticks -= zone.hasPrefix("-") ? -offset : offset
        }
      }
      return PSDateTime(ticks: ticks, kind: kind)
    }
    if let g = groups(us) {
      guard let month = Int(g[0]!), let day = Int(g[1]!), let year = Int(g[2]!), isValidDate(year, month, day) else {
        return nil
      }
      var hour = Int(g[3] ?? "0") ?? 0
      if let meridiem = g[6]?.uppercased() {
        if meridiem == "PM" && hour < 12 { hour += 12 }
        if meridiem == "AM" && hour == 12 { hour = 0 }
      }
      return PSDateTime(
        ticks: PSDateFormatter.ticks(
          year: year, month: month, day: day, hour: hour, minute: Int(g[4] ?? "0") ?? 0, second: Int(g[5] ?? "0") ?? 0),
        kind: .unspecified)
    }
    return nil
  }

  static func parseTimeSpan(_ text: String) -> PSTimeSpan? {
    var body = text.trimmingCharacters(in: .whitespaces)
    var negative = false
    if body.hasPrefix("-") {
      negative = true
      body.removeFirst()
    }
    var days = 0
    if let dot = body.firstIndex(of: "."), let colon = body.firstIndex(of: ":"), dot < colon {
      days = Int(body[..<dot]) ?? 0
      body = String(body[body.index(after: dot)...])
    }
    let parts = body.split(separator: ":")
    guard parts.count >= 2 && parts.count <= 3 else {
      if let d = Int(body) { return PSTimeSpan(ticks: Int64(d) * 864_000_000_000) }
      return nil
    }
    guard let hours = Int(parts[0]), let minutes = Int(parts[1]) else { return nil }
    let seconds = parts.count == 3 ? (Double(parts[2]) ?? 0) : 0
    let total = Double(days * 86400 + hours * 3600 + minutes * 60) + seconds
    return PSTimeSpan(seconds: negative ? -total : total)
  }

  static func dateProperty(_ d: PSDateTime, _ name: String) -> PSValue? {
    let p = PSDateFormatter.parts(d)
    switch name {
    case "year": return .int(Int32(p.year))
    case "month": return .int(Int32(p.month))
    case "day": return .int(Int32(p.day))
    case "hour": return .int(Int32(p.hour))
    case "minute": return .int(Int32(p.minute))
    case "second": return .int(Int32(p.second))
    case "millisecond": return .int(Int32(p.fraction / 10_000))
    case "ticks": return .long(d.ticks)
    case "dayofweek": return .enumValue(enumType(named: "System.DayOfWeek")!.value(Int64(p.weekday)))
    case "dayofyear":
      let start = PSDateFormatter.ticks(year: p.year, month: 1, day: 1)
      return .int(Int32((d.ticks - start) / 864_000_000_000 + 1))
    case "date":
      return .dateTime(PSDateTime(ticks: d.ticks - d.ticks % 864_000_000_000, kind: d.kind))
    case "timeofday": return .timeSpan(PSTimeSpan(ticks: d.ticks % 864_000_000_000))
    case "kind": return .enumValue(enumType(named: "System.DateTimeKind")!.value(Int64(d.kind.rawValue)))
    case "datetime": return .string(PSDateFormatter.format(d, "dddd, MMMM d, yyyy h:mm:ss tt"))
    case "displayhint": return d.fromGetDate ? .int(2) : nil
    default: return nil
    }
  }

  static func timeSpanProperty(_ t: PSTimeSpan, _ name: String) -> PSValue? {
    let ticks = t.ticks
    switch name {
    case "ticks": return .long(ticks)
    case "days": return .int(Int32(ticks / 864_000_000_000))
    case "hours": return .int(Int32(ticks / 36_000_000_000 % 24))
    case "minutes": return .int(Int32(ticks / 600_000_000 % 60))
    case "seconds": return .int(Int32(ticks / 10_000_000 % 60))
    case "milliseconds": return .int(Int32(ticks / 10_000 % 1000))
    case "totaldays": return .double(Double(ticks) / 864_000_000_000)
    case "totalhours": return .double(Double(ticks) / 36_000_000_000)
    case "totalminutes": return .double(Double(ticks) / 600_000_000)
    case "totalseconds": return .double(Double(ticks) / 10_000_000)
    case "totalmilliseconds": return .double(Double(ticks) / 10_000)
    default: return nil
    }
  }

  static func addMonths(_ d: PSDateTime, _ months: Int) -> PSDateTime {
    let p = PSDateFormatter.parts(d)
    var month = p.month - 1 + months
    var year = p.year + month / 12
    month %= 12
    if month < 0 {
      month += 12
      year -= 1
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    let day = min(p.day, lengths[month])
    let ticks = PSDateFormatter.ticks(year: year, month: month + 1, day: day) + d.ticks % 864_000_000_000
    return PSDateTime(ticks: ticks, kind: d.kind)
  }

  static func callDateMethod(_ d: PSDateTime, _ lowered: String, _ name: String, _ args: [PSValue], engine: Engine)
    throws -> PSValue
  {
    func number() throws -> Double { (try PSConvert.toDouble(args.first ?? .null)) ?? 0 }
    func shifted(_ ticks: Double) -> PSValue {
      var result = d
      result.ticks += Int64(ticks.rounded())
      result.fromGetDate = false
      return .dateTime(result)
    }
    switch lowered {
    case "adddays": return shifted(try number() * 864_000_000_000)
    case "addhours": return shifted(try number() * 36_000_000_000)
    case "addminutes": return shifted(try number() * 600_000_000)
    case "addseconds": return shifted(try number() * 10_000_000)
    case "addmilliseconds": return shifted(try number() * 10_000)
    case "addticks": return shifted(try number())
    case "addmonths": return .dateTime(addMonths(d, Int(try number())))
    case "addyears": return .dateTime(addMonths(d, Int(try number()) * 12))
    case "add":
      guard case .timeSpan(let t) = args.first ?? .null else { break }
      return shifted(Double(t.ticks))
    case "subtract":
      switch args.first ?? .null {
      case .dateTime(let other): return .timeSpan(PSTimeSpan(ticks: d.ticks - other.ticks))
      case .timeSpan(let t): return shifted(Double(-t.ticks))
      default: break
      }
    case "tostring":
      if args.isEmpty { return .string(PSDateFormatter.format(d, "G")) }
      return .string(PSDateFormatter.format(d, PSConvert.toString(args[0])))
    case "touniversaltime":
      var result = d
      result.kind = .utc
      result.fromGetDate = false
      return .dateTime(result)
    case "tolocaltime":
      var result = d
      result.kind = .local
      result.fromGetDate = false
      return .dateTime(result)
    case "toshortdatestring": return .string(PSDateFormatter.format(d, "d"))
    case "tolongdatestring": return .string(PSDateFormatter.format(d, "D"))
    case "toshorttimestring": return .string(PSDateFormatter.format(d, "t"))
    case "tolongtimestring": return .string(PSDateFormatter.format(d, "T"))
    case "tofiletime", "tofiletimeutc": return .long(d.ticks - 504_911_232_000_000_000)
    case "compareto":
      guard case .dateTime(let other) = try engine.convert(args.first ?? .null, to: "System.DateTime") else { break }
      return .int(d.ticks < other.ticks ? -1 : d.ticks > other.ticks ? 1 : 0)
    case "equals":
      return .bool(try engine.compareEqual(.dateTime(d), args.first ?? .null, caseSensitive: false))
    default: break
    }
    throw engine.methodNotFound(.dateTime(d), name)
  }
}
