import Foundation
import PowerShellInterpreter

/// The lab's real host session: the host state file behind one SSH session, and one PowerShell runspace per
/// powershell.exe start with the lab's host commands (`WinLabCommands`) registered over the shared state.
///
/// Text the interpreter produces is written to the console as it comes, so the encoding in force at that moment
/// (OEM until the script sets `[Console]::OutputEncoding` to UTF-8) applies, as on Windows.
public final class HostStateSession: LabHostSession {
  public let box: HostStateBox
  private let original: HostState
  private let options: WinLabOptions

  public init(directory: HostDirectory, settings: HostSettings) throws {
    do {
      original = try HostState.load(from: directory.stateFile)
    } catch {
      throw LabShellError(error.message)
    }
    box = HostStateBox(original)
    options = WinLabOptions(slowCmdlets: settings.slowCmdlets)
  }

  public var defaultShell: String? { box.state.defaultShell }
  public var oemCodePage: Int { box.state.oemCodePage }

  public func runPowerShell(_ source: PowerShellExe.Source, console: LabConsole) -> Int32 {
    let bridge = ConsoleBridge(console: console)
    let runspace = PSRunspace(
      host: WinLabHost.environment(
        for: box.state, readStandardInput: { bridge.readStandardInput() },
        textSink: { stream, text in bridge.write(stream, text) }))
    bridge.runspace = runspace
    WinLabCommands.register(in: runspace, host: box, options: options)
    let result: PSRunResult
    switch source {
    case .command(let script), .encodedCommand(let script):
      result = runspace.run(script: script)
    case .standardInput:
      result = runspace.runStandardInputCommands(console.readStandardInputToEnd())
    }
    return result.exitCode
  }

  public func changedState() throws -> Data? {
    let current = box.state
    return current == original ? nil : current.jsonData()
  }
}

/// Hands the interpreter's live text to the console. The runspace is single-threaded and calls back on the thread
/// that runs it, so the unchecked Sendable conformance only crosses the closure boundary the API asks for.
private final class ConsoleBridge: @unchecked Sendable {
  let console: LabConsole
  weak var runspace: PSRunspace?

  init(console: LabConsole) { self.console = console }

  func readStandardInput() -> String { console.readStandardInputToEnd() }

  func write(_ stream: PSTextStream, _ text: String) {
    if let runspace {
      console.setOutputEncoding(codePage: runspace.outputEncodingIsUTF8 ? 65001 : console.oemEncoding.codePage)
    }
    switch stream {
    case .stdout: console.write(text)
    case .stderr: console.writeError(text)
    }
  }
}
