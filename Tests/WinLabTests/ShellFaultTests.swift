import Foundation
import RemotePowerShell
import Testing
import WinLab

/// The lab's output faults and its missing powershell.exe, as the login shell applies them (the fault matrix in
/// EndToEndTests runs them over SSH).
@Suite("lab shell faults")
struct ShellFaultTests {
  static func host(_ change: (inout HostSettings) -> Void) throws -> TemporaryHost {
    let host = try TemporaryHost()
    var settings = try HostSettings.load(from: host.directory)
    change(&settings)
    try settings.save(to: host.directory)
    return host
  }

  static let encoded =
    "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -OutputFormat Text -EncodedCommand "
    + RemotePowerShellCommand.encodedCommand("out:0123456789;out:abcdefghij")

  @Test func powershellMissingFailsAsCmdDoes() throws {
    let host = try Self.host { $0.powershellMissing = true }
    defer { host.remove() }
    let (io, code) = host.run(Self.encoded)
    #expect(code == 9009)
    #expect(io.errorText.hasPrefix("'powershell.exe' is not recognized as an internal or external command,\r\n"))
    #expect(io.output.isEmpty)
    #expect(host.directory.processStarts() == 0)
  }

  @Test func garbageReplacesTheOutput() throws {
    let host = try Self.host { $0.outputFault = .garbage }
    defer { host.remove() }
    let (io, code) = host.run(Self.encoded)
    #expect(code == 0)
    #expect(io.outputText.hasPrefix("Windows PowerShell transcript start\r\n"))
    #expect(!io.outputText.contains("0123456789"))
  }

  @Test func truncateSendsTheFirstHalf() throws {
    let host = try Self.host { $0.outputFault = .truncate }
    defer { host.remove() }
    let (io, code) = host.run(Self.encoded)
    #expect(code == 0)
    #expect(io.outputText == "0123456789\r\n")
  }

  @Test func aTerminatingErrorIsCLIXMLAndExitsOne() throws {
    let host = try Self.host { $0.outputFault = .terminatingError }
    defer { host.remove() }
    let (io, code) = host.run(Self.encoded)
    #expect(code == 1)
    #expect(io.output.isEmpty)
    #expect(io.errorText.hasPrefix(CLIXMLErrorStream.header))
    #expect(io.errorText.contains("Get-CimInstance : Access denied"))
  }

  /// Settings files written before these fields existed still load.
  @Test func oldSettingsFilesLoad() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    try Data(#"{"name": "old", "startupMilliseconds": 5, "slowCmdlets": {}}"#.utf8).write(
      to: host.directory.settingsFile)
    let settings = try HostSettings.load(from: host.directory)
    #expect(settings.powershellMissing == nil && settings.outputFault == nil)
  }
}
