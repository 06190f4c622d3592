/// What one PowerShell script produced on a host, decoded for people and parsers.
public struct ScriptResult: Sendable, Hashable {
  /// stdout as UTF-8 with a leading byte order mark removed.
  public var stdout: String
  /// Error-stream lines decoded from CLIXML, or the plain stderr lines.
  public var errors: [String]
  /// Warning-stream lines, when 5.1 serialized any.
  public var warnings: [String]
  /// powershell.exe's exit code (-1 when the server reported none).
  public var exitCode: Int32
  /// False when stdout or stderr held bytes that are not UTF-8 (decoded with U+FFFD in their place): usually a host
  /// writing in its OEM code page, so non-ASCII names may be garbled.
  public var outputWasValidUTF8: Bool

  public init(
    stdout: String, errors: [String] = [], warnings: [String] = [], exitCode: Int32 = 0,
    outputWasValidUTF8: Bool = true
  ) {
    self.stdout = stdout
    self.errors = errors
    self.warnings = warnings
    self.exitCode = exitCode
    self.outputWasValidUTF8 = outputWasValidUTF8
  }

  /// Everything the host said besides stdout, for a person: errors, warnings, and a note when the output was not
  /// UTF-8.
  public var messages: [String] {
    errors + warnings
      + (outputWasValidUTF8 ? [] : ["the host's output was not valid UTF-8 (was [Console]::OutputEncoding reset?)"])
  }
}
