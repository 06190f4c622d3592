import Foundation

/// One entry of a control's `explains:` list: the client errors the control's drift can cause.
///
/// Written as the client shows them, codes in hex: `'0x904'` (that error code, whatever the extended code),
/// `'0x904/0x7'` (that error code with that extended code), `'ext 0x7'` (that extended code, whatever the error code),
/// or a named error (`'credssp'`).
public enum ErrorCodePattern: Sendable, Hashable, CustomStringConvertible {
  case code(ErrorCode)
  case codeWithExtended(ErrorCode, extended: ErrorCode)
  case extended(ErrorCode)
  case named(NamedErrorCode)

  /// Reads a playbook entry. Codes must be hex (`0x904` or `904h`): a bare `904` would be read as decimal, which is
  /// never what a playbook author copying mstsc's dialog means.
  public init(parsing text: String) throws(ErrorCodeSyntaxError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let named = NamedErrorCode(spelling: trimmed) {
      self = .named(named)
      return
    }
    func hex(_ part: Substring) throws(ErrorCodeSyntaxError) -> ErrorCode {
      let word = part.trimmingCharacters(in: .whitespaces)
      let lower = word.lowercased()
      guard lower.hasPrefix("0x") || lower.hasSuffix("h") else {
        throw ErrorCodeSyntaxError(
          "'\(word)'" + (word == trimmed ? "" : " in '\(trimmed)'")
            + " must be hex as the client shows it (0x904): a bare number would be read as "
            + "decimal")
      }
      return try ErrorCode(parsing: word)
    }
    let lower = trimmed.lowercased()
    if lower.hasPrefix("ext ") || lower.hasPrefix("ext:") {
      self = .extended(try hex(trimmed.dropFirst(4)))
      return
    }
    let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
    switch parts.count {
    case 1: self = .code(try hex(parts[0]))
    case 2: self = .codeWithExtended(try hex(parts[0]), extended: try hex(parts[1]))
    default:
      throw ErrorCodeSyntaxError(
        "'\(trimmed)' is not an error code: write '0x904', '0x904/0x7', 'ext 0x7' or "
          + NamedErrorCode.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
    }
  }

  /// The canonical spelling, as a playbook writes it.
  public var description: String {
    switch self {
    case .code(let code): "\(code)"
    case .codeWithExtended(let code, let extended): "\(code)/\(extended)"
    case .extended(let extended): "ext \(extended)"
    case .named(let name): name.rawValue
    }
  }

  /// How specifically this entry matches `query`; nil when it does not match.
  ///
  /// A number the entry names must equal the one asked about; a number it names that the query leaves out does not
  /// stop a match (`0x904/0x7` is a candidate for a plain `0x904`) but does not count towards specificity either.
  func match(_ query: ExplainQuery) -> MatchSpecificity? {
    switch (self, query) {
    case (.named(let name), .named(let asked)):
      return name == asked ? .named : nil
    case (.named, .codes), (_, .named):
      return nil
    case (.code(let code), .codes(let asked, _)):
      return asked == code ? .code : nil
    case (.extended(let extended), .codes(_, let asked)):
      return asked == extended ? .extended : nil
    case (.codeWithExtended(let code, let extended), .codes(let askedCode, let askedExtended)):
      if let askedCode, askedCode != code { return nil }
      if let askedExtended, askedExtended != extended { return nil }
      switch (askedCode != nil, askedExtended != nil) {
      case (true, true): return .codeAndExtended
      case (false, true): return .extended
      case (true, false): return .code
      case (false, false): return nil
      }
    }
  }
}
