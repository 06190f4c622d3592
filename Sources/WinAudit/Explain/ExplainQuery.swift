import Foundation

/// What someone asks `winaudit explain` about: the client's error code and extended code (either may be missing, not
/// both), or a named error without a number.
public enum ExplainQuery: Sendable, Hashable, CustomStringConvertible {
  case codes(ErrorCode?, extended: ErrorCode?)
  case named(NamedErrorCode)

  /// Reads the command line's CODE and `--extended CODE`: hex (`0x904`, `904h`), decimal (`2308`), or a named error
  /// (`credssp`) for CODE alone.
  public init(code: String?, extended: String?) throws(ErrorCodeSyntaxError) {
    if let code, let named = NamedErrorCode(spelling: code) {
      guard extended == nil else {
        throw ErrorCodeSyntaxError("'\(code)' is a named error without numbers: leave out --extended")
      }
      self = .named(named)
      return
    }
    guard code != nil || extended != nil else {
      throw ErrorCodeSyntaxError(
        "give the error code the client shows (0x904 or 2308), --extended CODE, or both; or a named error ("
          + NamedErrorCode.allCases.map(\.rawValue).joined(separator: ", ") + ")")
    }
    func parse(_ text: String?, _ label: String) throws(ErrorCodeSyntaxError) -> ErrorCode? {
      guard let text else { return nil }
      do {
        return try ErrorCode(parsing: text)
      } catch {
        throw ErrorCodeSyntaxError("\(label): \(error.message)")
      }
    }
    self = .codes(try parse(code, "CODE"), extended: try parse(extended, "--extended"))
  }

  /// Remarks on how CODE and `--extended` were read: a plain number is decimal, so `904` is 0x388; when the decimal
  /// reading means nothing and the same digits in hex are a documented code, say which one the client probably
  /// showed.
  public static func readingNotes(code: String?, extended: String?) -> [String] {
    func note(_ text: String?, _ label: String, lookup: (ErrorCode) -> ErrorCodeMeaning) -> String? {
      guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.allSatisfy(\.isASCII),
        text.allSatisfy(\.isNumber), let decimal = UInt32(text), let hex = UInt32(text, radix: 16),
        !lookup(ErrorCode(decimal)).documented, lookup(ErrorCode(hex)).documented
      else { return nil }
      return "\(label) \(text) was read as decimal (\(ErrorCode(decimal))); if the client showed \(ErrorCode(hex)), "
        + "write 0x\(text)"
    }
    return [
      note(code, "CODE", lookup: ClientErrorCodes.disconnectReason),
      note(extended, "--extended", lookup: ClientErrorCodes.extended),
    ].compactMap { $0 }
  }

  /// The query as the client shows it: `0x904 / ext 0x7`, `ext 0x9`, `credssp`.
  public var description: String {
    switch self {
    case .named(let name): name.rawValue
    case .codes(let code, let extended):
      [code.map { "\($0)" }, extended.map { "ext \($0)" }].compactMap { $0 }.joined(separator: " / ")
    }
  }

  /// The documented meaning of each number (or of the named error), error code first.
  public var meanings: [ErrorCodeMeaning] {
    switch self {
    case .named(let name): [ClientErrorCodes.named(name)]
    case .codes(let code, let extended):
      [code.map(ClientErrorCodes.disconnectReason), extended.map(ClientErrorCodes.extended)].compactMap { $0 }
    }
  }
}
