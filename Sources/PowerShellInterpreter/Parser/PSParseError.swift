import Foundation

/// A syntax error, reported like Windows PowerShell 5.1's ParseException: message, error id and position.
public struct PSParseError: Error, Sendable, CustomStringConvertible {
  public let message: String
  /// The parser's error id (`UnexpectedToken`, `MissingEndCurlyBrace`, `TerminatorExpectedAtEndOfString`...).
  public let errorId: String
  public let line: Int
  public let column: Int
  public let lineText: String
  public let length: Int
  /// True when the input ended before the statement did (what `-Command -` waits on).
  public let isIncomplete: Bool

  public var description: String { "At line:\(line) char:\(column)\n\(message)" }

  /// The error record powershell.exe reports: ParseException, category ParserError.
  public var errorRecord: PSErrorRecord {
    let record = PSErrorRecord(
      exception: PSException(
        typeName: isIncomplete
          ? "System.Management.Automation.IncompleteParseException" : "System.Management.Automation.ParseException",
        message: message),
      errorId: errorId, category: .parserError)
    record.invocation = PSInvocationInfo(
      commandName: "", line: line, column: column, lineText: lineText, length: length)
    record.isParseError = true
    record.isFinalized = true
    return record
  }
}
