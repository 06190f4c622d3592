/// Text from a host made safe to show: a host controls registry values, certificate subjects and error messages, and
/// must not be able to move the cursor, recolour or clear an operator's terminal, forge a line of the plan they are
/// asked to confirm, or break an XML report.
enum SafeText {
  /// Whether a scalar would act on a terminal or reorder text rather than show: C0 and C1 controls, DEL, the line
  /// and paragraph separators, and the bidirectional overrides and isolates.
  static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
    default: false
    }
  }

  /// One line: every unsafe scalar (a newline included) written as `\u{XXXX}`, visible and inert.
  static func line(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      if isUnsafe(scalar) {
        result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// The first `lines` non-empty lines of what a host said, each cut at `width` characters, joined with ` | `: a host
  /// that prints megabytes of errors gets a readable excerpt in the report, not all of it.
  static func excerpt(_ messages: [String], lines: Int, width: Int = 500) -> String {
    let all = messages.flatMap { $0.split(whereSeparator: \.isNewline) }.map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    var kept = all.prefix(lines).map {
      $0.count > width ? $0.prefix(width) + "... (\($0.count - width) more characters)" : $0
    }
    if all.count > lines { kept.append("(\(all.count - lines) more lines)") }
    return kept.joined(separator: " | ")
  }

  /// Several lines: split at any line break (CRLF is one), each line made safe; the caller indents them, so none can
  /// pass for a line of its own.
  static func lines(_ text: String) -> [String] {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line(String($0)) }
  }
}
