import Foundation

/// Reads a file the user named (inventory, playbook, remediation playbook) so that a missing or unreadable file is a
/// diagnostic naming the file and the flag to check, like every other input problem, rather than a raw I/O error.
enum InputFile {
  /// The file's text; `what` names the kind of file and `flag` the option it came from, for the message.
  static func read(_ path: String, what: String, flag: String) throws(DiagnosticsError) -> String {
    guard FileManager.default.fileExists(atPath: path) else {
      throw DiagnosticsError([
        Diagnostic(file: path, line: 0, column: 0, message: "no such file: check the path given to \(flag)")
      ])
    }
    do {
      return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw DiagnosticsError([
        Diagnostic(
          file: path, line: 0, column: 0,
          message: "cannot read the \(what): \(error.localizedDescription); check the path given to \(flag)")
      ])
    }
  }
}
