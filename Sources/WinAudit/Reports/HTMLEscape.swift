/// Text from a host made inert in HTML: markup characters become entities (so `<script>` in a registry value is text,
/// and no value can leave its attribute), and what `SafeText` calls unsafe (controls, U+2028/U+2029, bidirectional
/// overrides) is shown as a visible `\u{XXXX}`, as on a terminal.
enum HTMLEscape {
  /// Element text and double- or single-quoted attribute values alike.
  static func text(_ value: String) -> String {
    var result = ""
    for scalar in SafeText.line(value).unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      case "`": result += "&#96;"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// Several lines of a host's message, each escaped, joined with `<br>`.
  static func lines(_ value: String) -> String {
    value.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { text(String($0)) }
      .joined(separator: "<br>")
  }

  /// A token safe in a class name or id: letters, digits, `-` and `_`; anything else becomes `_`.
  static func token(_ value: String) -> String {
    String(
      value.unicodeScalars.map { scalar -> Character in
        let ok =
          ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
          || scalar == "-" || scalar == "_"
        return ok ? Character(scalar) : "_"
      })
  }
}
