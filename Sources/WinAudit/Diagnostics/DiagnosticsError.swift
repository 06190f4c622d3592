/// Every diagnostic found in one input file, thrown once when the file cannot be used.
///
/// Parsing keeps going after the first problem so a user fixes a file in one pass instead of one error per run.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]

  public init(_ diagnostics: [Diagnostic]) {
    self.diagnostics = diagnostics
  }

  /// One diagnostic per line, in file order.
  public var description: String {
    diagnostics.map(\.description).joined(separator: "\n")
  }
}
