import Foundation
import SSHClient

/// Runs PowerShell scripts on one Windows host over an existing connection and decodes what
/// comes back: UTF-8 stdout without BOM, CLIXML or plain stderr as lines, powershell.exe's exit code.
///
/// It takes any `SSHCommandRunning`, so it works on an `SSHConnection` and on test doubles alike.
public struct RemotePowerShellSession: Sendable {
  public let runner: any SSHCommandRunning

  public init(connection: any SSHCommandRunning) {
    runner = connection
  }

  /// Runs `script` in one powershell.exe: the bootstrap on the command line, the script on stdin.
  ///
  /// - Throws: the transport's errors (`SSHError` on an `SSHConnection`); a script that fails is not an error here,
  ///   it is a result with a non-zero exit code and error lines.
  public func run(script: String, shell: HostShell, timeout: Duration) async throws -> ScriptResult {
    let command = RemotePowerShellCommand(script: script, shell: shell)
    let result = try await runner.run(command: command.commandLine, stdin: command.stdin, timeout: timeout)
    return Self.decode(result)
  }

  /// Decodes a finished command's output into a `ScriptResult`.
  public static func decode(_ result: CommandResult) -> ScriptResult {
    let (stdout, stdoutValid) = decodeUTF8(result.stdout)
    let (stderr, stderrValid) = decodeUTF8(result.stderr)
    let messages = CLIXMLDecoder.decode(stderr)
    func lines(_ stream: String) -> [String] {
      messages.filter { $0.stream.caseInsensitiveCompare(stream) == .orderedSame }.map(\.text)
    }
    return ScriptResult(
      stdout: stdout, errors: lines("Error"), warnings: lines("Warning"), exitCode: result.exitStatus,
      outputWasValidUTF8: stdoutValid && stderrValid)
  }

  /// UTF-8 text without a leading BOM, and whether the bytes were valid UTF-8.
  static func decodeUTF8(_ data: Data) -> (String, Bool) {
    var text: String
    var valid = true
    if let strict = String(data: data, encoding: .utf8) {
      text = strict
    } else {
      text = String(decoding: data, as: UTF8.self)
      valid = false
    }
    if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
    return (text, valid)
  }
}
