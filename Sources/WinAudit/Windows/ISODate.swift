import Foundation

/// Parses the dates the collector writes with .NET's round-trip format `'o'`: `2026-03-01T12:00:00.0000000Z`,
/// `...+01:00`, or no zone for unspecified kind (read as UTC). Seven fractional digits are more than
/// `ISO8601DateFormatter` accepts, hence this small parser.
enum ISODate {
  static func parse(_ text: String) -> Date? {
    let scalars = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
    func number(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= scalars.count else { return nil }
      return Int(String(String.UnicodeScalarView(scalars[start..<start + count])))
    }
    guard scalars.count >= 19, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
    else { return nil }
    var index = 19
    var fraction = 0.0
    if index < scalars.count, scalars[index] == "." {
      index += 1
      var digits = ""
      while index < scalars.count, ("0"..."9").contains(scalars[index]) {
        digits.unicodeScalars.append(scalars[index])
        index += 1
      }
      fraction = Double("0." + digits) ?? 0
    }
    var offset = 0
    if index < scalars.count {
      let sign = scalars[index]
      if sign == "+" || sign == "-", let hours = number(index + 1, 2), let minutes = number(index + 4, 2) {
        offset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
      } else if sign != "Z" {
        return nil
      }
    }
    var components = DateComponents()
    components.year = year
    components.month = month
    components.day = day
    components.hour = hour
    components.minute = minute
    components.second = second
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    guard let date = calendar.date(from: components) else { return nil }
    return date.addingTimeInterval(fraction - Double(offset))
  }

  /// `2026-03-01` in UTC, for reports.
  static func day(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
  }

  /// `2026-03-01T12:00:00Z`: a date winaudit itself learned (the wire certificate), in the form `parse` reads.
  static func roundTrip(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02dZ", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0,
      p.second ?? 0)
  }
}
