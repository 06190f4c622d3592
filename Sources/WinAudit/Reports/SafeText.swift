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

  /// Several lines: split at any line break (CRLF is one), each line made safe; the caller indents them, so none can
  /// pass for a line of its own.
  static func lines(_ text: String) -> [String] {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line(String($0)) }
  }
}
