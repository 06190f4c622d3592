/// A problem in a file the user gave us (inventory, playbook), pinned to a line and column so it can be fixed.
///
/// Diagnostics are values: parsers collect every one they find instead of stopping at the first, and the command line
/// prints them all and exits 2 before any host is contacted.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  /// The file as the user named it (or a label such as `<built-in rdp-baseline>`).
  public var file: String
  /// 1-based line; 0 when the problem concerns the whole file.
  public var line: Int
  /// 1-based column; 0 when unknown.
  public var column: Int
  /// What is wrong, and what to do about it.
  public var message: String

  public init(file: String, line: Int, column: Int, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// `file:line:column: error: message`, the form compilers use, so editors and terminals can jump to it.
  public var description: String {
    "\(file):\(line):\(column): error: \(message)"
  }
}
