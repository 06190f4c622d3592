import Foundation

/// .NET DateTime formatting (`ToString('o')`, custom patterns like `yyyy-MM-dd HH:mm:ss`) in the invariant culture.
public enum PSDateFormatter {
  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
  ]
  static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

  struct Parts {
    var year, month, day, hour, minute, second, weekday: Int
    var fraction: Int64
  }

  static func parts(_ d: PSDateTime) -> Parts {
    // DateTime's range is 0001-01-01 through 9999-12-31.
    let ticks = max(0, min(d.ticks, 3_155_378_975_999_999_999))
    let totalDays = ticks / 864_000_000_000
    let dayTicks = ticks % 864_000_000_000
    // Civil date from days since 0001-01-01 (proleptic Gregorian).
    var n = Int(totalDays)
    let y400 = n / 146_097
    n %= 146_097
    var y100 = n / 36_524
    if y100 == 4 { y100 = 3 }
    n -= y100 * 36_524
    let y4 = n / 1_461
    n %= 1_461
    var y1 = n / 365
    if y1 == 4 { y1 = 3 }
    n -= y1 * 365
    let year = y400 * 400 + y100 * 100 + y4 * 4 + y1 + 1
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    var month = 0
    while n >= lengths[month] {
      n -= lengths[month]
      month += 1
    }
    return Parts(
      year: year, month: month + 1, day: n + 1, hour: Int(dayTicks / 36_000_000_000),
      minute: Int(dayTicks / 600_000_000 % 60), second: Int(dayTicks / 10_000_000 % 60),
      weekday: Int((totalDays + 1) % 7), fraction: dayTicks % 10_000_000)
  }

  static func ticks(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    let y = year - 1
    var days = y * 365 + y / 4 - y / 100 + y / 400 + before[month - 1] + day - 1
    if leap && month > 2 { days += 1 }
    return Int64(days) * 864_000_000_000 + Int64(hour) * 36_000_000_000 + Int64(minute) * 600_000_000
      + Int64(second) * 10_000_000
  }

  /// Formats with a .NET standard ("o", "s", "u", "d", "D", "g", "G", "t", "T", "yyyy-MM-dd"...) or custom format.
  public static func format(_ d: PSDateTime, _ format: String) -> String {
    switch format {
    case "o", "O":
      let suffix = d.kind == .utc ? "Z" : d.kind == .local ? "+00:00" : ""
      return formatCustom(d, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff") + suffix
    case "s": return formatCustom(d, "yyyy'-'MM'-'dd'T'HH':'mm':'ss")
    case "u": return formatCustom(d, "yyyy'-'MM'-'dd HH':'mm':'ss'Z'")
    case "d": return formatCustom(d, "M/d/yyyy")
    case "D": return formatCustom(d, "dddd, MMMM d, yyyy")
    case "g": return formatCustom(d, "M/d/yyyy h:mm tt")
    case "G", "": return formatCustom(d, "M/d/yyyy h:mm:ss tt")
    case "t": return formatCustom(d, "h:mm tt")
    case "T": return formatCustom(d, "h:mm:ss tt")
    case "f": return formatCustom(d, "dddd, MMMM d, yyyy h:mm tt")
    case "F": return formatCustom(d, "dddd, MMMM d, yyyy h:mm:ss tt")
    default: return formatCustom(d, format)
    }
  }

  static func formatCustom(_ d: PSDateTime, _ format: String) -> String {
    let p = parts(d)
    let chars = Array(format)
    var result = ""
    var i = 0
    func run(_ c: Character) -> Int {
      var n = 0
      while i + n < chars.count && chars[i + n] == c { n += 1 }
      return n
    }
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    while i < chars.count {
      let c = chars[i]
      switch c {
      case "y":
        let n = run(c)
        result += n <= 2 ? pad(p.year % 100, n) : pad(p.year, n)
        i += n
      case "M":
        let n = run(c)
        result +=
          n >= 4 ? monthNames[p.month - 1] : n == 3 ? String(monthNames[p.month - 1].prefix(3)) : pad(p.month, n)
        i += n
      case "d":
        let n = run(c)
        result += n >= 4 ? dayNames[p.weekday] : n == 3 ? String(dayNames[p.weekday].prefix(3)) : pad(p.day, n)
        i += n
      case "H":
        let n = run(c)
        result += pad(p.hour, min(n, 2))
        i += n
      case "h":
        let n = run(c)
        let twelve = p.hour % 12 == 0 ? 12 : p.hour % 12
        result += pad(twelve, min(n, 2))
        i += n
      case "m":
        let n = run(c)
        result += pad(p.minute, min(n, 2))
        i += n
      case "s":
        let n = run(c)
        result += pad(p.second, min(n, 2))
        i += n
      case "f", "F":
        let n = min(run(c), 7)
        var digits = String(format: "%07lld", p.fraction).prefix(n)
        if c == "F" {
          while digits.hasSuffix("0") { digits = digits.dropLast() }
        }
        result += digits
        i += run(c)
      case "t":
        let n = run(c)
        result += n >= 2 ? (p.hour < 12 ? "AM" : "PM") : (p.hour < 12 ? "A" : "P")
        i += n
      case "z":
        let n = run(c)
        result += n == 1 ? "+0" : n == 2 ? "+00" : "+00:00"
        i += n
      case "K":
        result += d.kind == .utc ? "Z" : d.kind == .local ? "+00:00" : ""
        i += 1
      case "'", "\"":
        i += 1
        while i < chars.count && chars[i] != c {
          result.append(chars[i])
          i += 1
        }
        i += 1
      case "\\":
        if i + 1 < chars.count { result.append(chars[i + 1]) }
        i += 2
      case "%":
        i += 1
      default:
        result.append(c)
        i += 1
      }
    }
    return result
  }
}

extension PSDateFormatter {
  /// `Get-Date -UFormat` (Unix strftime-style) for the common specifiers.
  static func uformat(_ d: PSDateTime, _ format: String) -> String {
    var result = ""
    var chars = format.makeIterator()
    while let c = chars.next() {
      guard c == "%", let spec = chars.next() else {
        result.append(c)
        continue
      }
      switch spec {
      case "Y": result += formatCustom(d, "yyyy")
      case "y": result += formatCustom(d, "yy")
      case "m": result += formatCustom(d, "MM")
      case "d": result += formatCustom(d, "dd")
      case "H": result += formatCustom(d, "HH")
      case "M": result += formatCustom(d, "mm")
      case "S": result += formatCustom(d, "ss")
      case "s": result += String(d.unixMilliseconds / 1000)
      case "Z": result += "+00"
      default: result += "%" + String(spec)
      }
    }
    return result
  }
}
