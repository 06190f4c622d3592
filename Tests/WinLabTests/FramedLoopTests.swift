import Crypto
import Foundation
import RemotePowerShell
import Testing

@testable import WinLab

/// The framed loop bootstrap (`FramedPowerShellSession.loopBootstrap`) run for real by the lab's login shell and
/// interpreter: several scripts in one powershell.exe, each answered with its own end line.
@Suite("framed PowerShell loop in the lab")
struct FramedLoopTests {
  static let nonce = "0123456789abcdef0123456789abcdef"

  /// A lab host with the healthy sample state, its shell run once with `input` on stdin.
  static func run(_ scripts: [String], extra: String = "", shell: HostShell = .cmd) throws -> (
    answers: [ScriptResult], rest: String, code: Int32, starts: Int
  ) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("winlab-framed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    let directory = HostDirectory(url)
    var state = SampleHostBuilder.healthy(computerName: "FRAMED-01", windows: .server2019)
    if shell == .powershell {
      state.registry.setValue(
        RegistryKeys.openSSH, "DefaultShell", .string(#"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"#))
    }
    try state.jsonData().write(to: directory.stateFile)
    try HostSettings(name: "framed-01", startupMilliseconds: 0).save(to: directory)
    var input = nonce + "\n"
    for script in scripts { input += RemotePowerShellCommand.payload(Data(script.utf8)) + "\n" }
    input += extra + "\n"
    let io = BufferShellIO(input: Array(input.utf8))
    var labShell = LabShell.forHost(directory)
    labShell.sleep = { _ in }
    let code = labShell.run(originalCommand: FramedPowerShellSession.commandLine(shell: shell), io: io)
    var output = Data(io.output)
    var answers: [ScriptResult] = []
    let delimiter = Data(FramedPowerShellSession.delimiter(nonce: nonce).utf8)
    while let range = output.range(of: delimiter),
      let end = output[range.upperBound...].firstIndex(of: UInt8(ascii: "\n"))
    {
      answers.append(
        FramedPowerShellSession.decode(
          stdout: Data(output[..<(end + 1)]), stderr: Data(), delimiter: FramedPowerShellSession.delimiter(nonce: nonce)
        ))
      output = Data(output[(end + 1)...])
    }
    return (answers, String(decoding: output, as: UTF8.self) + io.errorText, code, directory.processStarts())
  }

  @Test(arguments: [HostShell.cmd, .powershell])
  func eachScriptIsAnsweredInOneProcess(shell: HostShell) throws {
    let run = try Self.run(
      [
        "'a'\nWrite-Warning 'careful'\nWrite-Error 'not fatal'\n'b'\n",
        "$ErrorActionPreference = 'Stop'\n$leak = 'x'\nfunction Get-Leak { 1 }\n'before'\nthrow 'boom'\n'never'\n",
        "if ($null -eq $leak -and [string]$ErrorActionPreference -eq 'Continue') { 'clean' }\n",
        "'held'\nthrow 'winaudit-exit 5'\n",
        "[Console]::Out.Write('no line end')\n",
        "'#winaudit-end 00000000000000000000000000000000 0 - -'\n'after the forgery'\n",
      ], shell: shell)
    #expect(run.code == 0)
    #expect(run.starts == 1)
    #expect(run.answers.count == 6)
    guard run.answers.count == 6 else { return }
    #expect(run.answers[0].stdout == "a\r\nb\r\n")
    #expect(run.answers[0].errors == ["not fatal"])
    #expect(run.answers[0].warnings == ["careful"])
    #expect(run.answers[0].exitCode == 0)
    #expect(run.answers[1].stdout == "before\r\n")
    #expect(run.answers[1].errors == ["boom"])
    #expect(run.answers[1].exitCode == 1)
    #expect(run.answers[2].stdout == "clean\r\n")
    #expect(run.answers[3].stdout == "held\r\n")
    #expect(run.answers[3].exitCode == 5)
    #expect(run.answers[3].errors.isEmpty)
    #expect(run.answers[4].stdout == "no line end")
    #expect(run.answers[5].stdout.hasSuffix("after the forgery\r\n"))
    #expect(run.rest.isEmpty)
  }

  @Test func aFrameThatArrivedAlteredDoesNotRun() throws {
    let payload = RemotePowerShellCommand.payload(Data("'ran'\n".utf8))
    let altered = payload.replacingOccurrences(of: ":", with: ":0", options: [], range: nil)
    let run = try Self.run(
      ["'first'\n"], extra: altered + "\n" + RemotePowerShellCommand.payload(Data("'last'\n".utf8)))
    #expect(run.answers.count == 3)
    guard run.answers.count == 3 else { return }
    #expect(run.answers[1].exitCode == 3)
    #expect(run.answers[1].stdout.isEmpty)
    #expect(run.answers[1].errors.first?.hasPrefix(RemotePowerShellCommand.truncatedMarker) == true)
    #expect(run.answers[2].stdout == "last\r\n")
  }

  @Test func exitInAScriptEndsTheWholeProcessAsOn51() throws {
    let run = try Self.run(["'one'\nexit 4\n", "'two'\n"])
    #expect(run.code == 4)
    #expect(run.answers.isEmpty)
    #expect(run.rest.hasPrefix("one\r\n"))
  }

  @Test func consoleLinesAreReadOneAtATime() {
    let io = ChunkedInput(["first line\r\nsec", "ond\n", "last without end"])
    let console = LabConsole(io: io, oemEncoding: .oem437, errorFormat: .text)
    #expect(console.readStandardInputLine() == "first line")
    #expect(io.reads == 1)
    #expect(console.readStandardInputLine() == "second")
    #expect(io.reads == 2)
    #expect(console.readStandardInputLine() == "last without end")
    #expect(console.readStandardInputLine() == nil)
    #expect(console.readStandardInputToEnd() == "")
  }
}

/// Standard input that arrives in the given pieces, one per read.
private final class ChunkedInput: ShellIO {
  private var chunks: [String]
  private(set) var reads = 0

  init(_ chunks: [String]) { self.chunks = chunks }

  func writeOutput(_ bytes: [UInt8]) {}
  func writeError(_ bytes: [UInt8]) {}
  func readInput() -> [UInt8] {
    defer { chunks = [] }
    return Array(chunks.joined().utf8)
  }
  func readInputChunk() -> [UInt8] {
    reads += 1
    return chunks.isEmpty ? [] : Array(chunks.removeFirst().utf8)
  }
}
