/// THE quoting function for every value that reaches PowerShell from a playbook, inventory or user.
///
/// A single-quoted PowerShell string expands nothing (`$`, backticks, `$()` are literal); its only escape is doubling
/// the quote. PowerShell accepts four look-alike characters as single quotes too (U+2018, U+2019, U+201A, U+201B), so
/// each of them is doubled as well; otherwise a value containing one could end the string early and inject code.
public enum PowerShellQuote {
  /// The characters PowerShell treats as a single quote.
  public static let singleQuoteCharacters: Set<Character> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]

  /// `value` as a single-quoted PowerShell string literal, one token whatever it contains.
  public static func literal(_ value: String) -> String {
    var result = "'"
    result.reserveCapacity(value.utf8.count + 2)
    for scalar in value.unicodeScalars {
      result.unicodeScalars.append(scalar)
      if isSingleQuote(scalar) { result.unicodeScalars.append(scalar) }
    }
    result += "'"
    return result
  }

  /// `@('a','b')`: an array literal of quoted strings (`@()` when empty), which stays an array even with one element.
  public static func array(_ values: [String]) -> String {
    "@(" + values.map(literal).joined(separator: ",") + ")"
  }

  static func isSingleQuote(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x27, 0x2018, 0x2019, 0x201A, 0x201B: return true
    default: return false
    }
  }
}
