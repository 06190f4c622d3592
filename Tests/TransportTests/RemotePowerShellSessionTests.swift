import Foundation
import RemotePowerShell
import SSHClient
import Testing

/// Records what it was asked to run and answers with a canned result.
final class RecordingRunner: SSHCommandRunning, @unchecked Sendable {
  private let lock = NSLock()
  private var calls: [(command: String, stdin: Data?)] = []
  let answer: CommandResult

  init(answer: CommandResult) {
    self.answer = answer
  }

  var recorded: [(command: String, stdin: Data?)] {
    lock.lock()
    defer { lock.unlock() }
    return calls
  }

  func run(command: String, stdin: Data?, timeout: Duration) async throws -> CommandResult {
    lock.withLock { calls.append((command, stdin)) }
    return answer
  }
}

@Suite struct RemotePowerShellSessionTests {
  @Test(arguments: HostShell.allCases)
  func sendsTheContractCommandAndDecodesTheResult(shell: HostShell) async throws {
    let stdout = Data([0xEF, 0xBB, 0xBF]) + Data("{\"name\":\"Überprüfung\"}\r\n".utf8)
    let stderr = Data(CLIXMLEncoder.encode(errorLines: ["Access is denied."], progressRecord: true).utf8)
    let runner = RecordingRunner(answer: CommandResult(stdout: stdout, stderr: stderr, exitStatus: 1))
    let session = RemotePowerShellSession(connection: runner)
    let result = try await session.run(script: "Get-Item 'HKLM:\\X'", shell: shell, timeout: .seconds(120))
    #expect(result.stdout == "{\"name\":\"Überprüfung\"}\r\n")
    #expect(result.errors == ["Access is denied."])
    #expect(result.exitCode == 1)
    #expect(result.outputWasValidUTF8)
    let expected = RemotePowerShellCommand(script: "Get-Item 'HKLM:\\X'", shell: shell)
    #expect(runner.recorded.map(\.command) == [expected.commandLine])
    #expect(runner.recorded.map(\.stdin) == [expected.stdin])
  }

  @Test func plainStderrBecomesErrorLines() {
    let result = RemotePowerShellSession.decode(
      CommandResult(stdout: Data(), stderr: Data("'powershell.exe' is not recognized\r\n".utf8), exitStatus: 9009))
    #expect(result.errors == ["'powershell.exe' is not recognized"])
    #expect(result.exitCode == 9009)
  }

  @Test func warningsAreSeparatedFromErrors() {
    let stderr = CLIXMLEncoder.encode([.init(stream: "Error", text: "e"), .init(stream: "Warning", text: "w")])
    let result = RemotePowerShellSession.decode(CommandResult(stdout: Data(), stderr: Data(stderr.utf8), exitStatus: 0))
    #expect(result.errors == ["e"])
    #expect(result.warnings == ["w"])
  }

  @Test func invalidUTF8IsDecodedLossilyAndFlagged() {
    // "Kennwort für" in code page 850: 0x81 is not UTF-8.
    let result = RemotePowerShellSession.decode(
      CommandResult(stdout: Data([0x66, 0x81, 0x72]), stderr: Data(), exitStatus: 0))
    #expect(result.stdout == "f\u{FFFD}r")
    #expect(!result.outputWasValidUTF8)
  }

  @Test func onlyALeadingBOMIsStripped() {
    let bom = Data([0xEF, 0xBB, 0xBF])
    let result = RemotePowerShellSession.decode(
      CommandResult(stdout: bom + Data("a".utf8) + bom, stderr: Data(), exitStatus: 0))
    #expect(result.stdout == "a\u{FEFF}")
  }
}
