/// What one script run printed on a host and how powershell.exe exited.
public struct ScriptResult: Sendable, Hashable {
  /// Standard output as text (UTF-8, byte-order mark removed).
  public var stdout: String
  /// Standard error as readable lines (CLIXML already decoded).
  public var stderr: String
  public var exitStatus: Int32

  public init(stdout: String, stderr: String = "", exitStatus: Int32 = 0) {
    self.stdout = stdout
    self.stderr = stderr
    self.exitStatus = exitStatus
  }
}
