import Foundation

/// Finds string arguments a generated script passes without quotes (`-PolicyStore ActiveStore`): every string
/// argument must be a single-quoted literal, so nothing in a script depends on PowerShell's bareword rules.
enum BarewordArguments {
  /// `-Parameter bareword` occurrences outside single-quoted literals, one line of context each.
  static func find(in script: String) -> [String] {
    let quoted = try! NSRegularExpression(pattern: "'(?:[^'\u{2018}\u{2019}\u{201A}\u{201B}]|'')*'")
    let bareword = try! NSRegularExpression(pattern: #"(?<![\w$])-[A-Za-z][A-Za-z]+ +[A-Za-z_][A-Za-z0-9_.]*"#)
    var found: [String] = []
    for line in script.split(separator: "\n") {
      let text = String(line)
      if text.trimmingCharacters(in: .whitespaces).hasPrefix("#") { continue }
      let range = NSRange(text.startIndex..., in: text)
      let unquoted = quoted.stringByReplacingMatches(in: text, range: range, withTemplate: "''")
      let matches = bareword.matches(in: unquoted, range: NSRange(unquoted.startIndex..., in: unquoted))
      found += matches.map { (unquoted as NSString).substring(with: $0.range) + "    in: " + text }
    }
    return found
  }
}
