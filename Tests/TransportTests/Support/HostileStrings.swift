import PropertyBased

/// Strings built from the pieces most likely to break out of a PowerShell literal.
enum HostileStrings {
  static let pieces: [String] = [
    "'", "''", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "\"", "\u{201C}", "\u{201D}", "`", "`'", "$", "$(", ")",
    "$(Remove-Item C:\\)", "${env:PATH}", "@(", "@'", "'@", "@\"", ";", "|", "&", "&&", "#", "<#", "#>", "\n", "\r",
    "\r\n", "\0", "\t", " ", "\\", "\u{00A0}", "\u{200B}", "\u{FEFF}", "😀", "👩‍👩‍👧", "é", "e\u{0301}", "日本",
    "a", "Z", "0", "-", "--%", "{", "}", "[", "]", "\u{0085}", "\u{2028}",
  ]

  static let piece = Gen<String?>.element(of: pieces).map { $0 ?? "" }

  static let generator = piece.array(of: 0...24).map { $0.joined() }
}

/// Test-side reader of PowerShell's single-quoted string syntax, written from the language rules rather than from
/// `PowerShellQuote`: a literal opens with any of the five quote characters, two consecutive quote characters of any
/// kind stand for the second one, and a lone quote character ends the literal.
enum SingleQuotedStringReader {
  static let quotes: Set<Unicode.Scalar> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]

  /// The decoded value and the text after the closing quote, or nil when `text` does not start with a closed literal.
  static func read(_ text: String) -> (value: String, rest: String)? {
    let scalars = Array(text.unicodeScalars)
    guard let first = scalars.first, quotes.contains(first) else { return nil }
    var value = String.UnicodeScalarView()
    var index = 1
    while index < scalars.count {
      let scalar = scalars[index]
      if quotes.contains(scalar) {
        if index + 1 < scalars.count, quotes.contains(scalars[index + 1]) {
          value.append(scalars[index + 1])
          index += 2
          continue
        }
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: scalars[(index + 1)...])
        return (String(value), String(rest))
      }
      value.append(scalar)
      index += 1
    }
    return nil
  }
}
