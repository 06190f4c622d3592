import Foundation

/// Renders output objects and error records as text, the way powershell.exe prints them to a redirected stdout/stderr.
public enum PSFormatter {
  /// Output objects as Out-Default prints them (strings and numbers one per line, bools as True/False, objects as a
  /// table or list), with `newline` line terminators.
  public static func format(_ values: [PSValue], newline: String = "\r\n") -> String {
    OutputFormatter(newline: newline).format(values)
  }

  /// An error record in 5.1's console style:
  /// `X : message` / `At line:1 char:1` / `+ ...` / `+ ~~~` / `    + CategoryInfo ...` / `    + FullyQualifiedErrorId ...`.
  public static func format(error record: PSErrorRecord, newline: String = "\r\n") -> String {
    ErrorFormatter.format(record, newline: newline)
  }
}

struct OutputFormatter {
  let newline: String
  func format(_ values: [PSValue]) -> String { values.map { PSConvert.toString($0) + newline }.joined() }
}

enum ErrorFormatter {
  static func format(_ record: PSErrorRecord, newline: String) -> String { record.message + newline }
}
