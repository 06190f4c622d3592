import Foundation
import PowerShellInterpreter

/// The lab's real host session: the host state file behind one SSH session, and one PowerShell runspace per
/// powershell.exe start, with the host cmdlets registered over the shared state.
///
/// Text the interpreter produces is written to the console as it comes, so the encoding in force at that moment
/// (OEM until the script sets `[Console]::OutputEncoding` to UTF-8) applies, as on Windows.
public final class HostStateSession: LabHostSession {
  /// Registers the host cmdlets (registry, services, firewall, certificates...) of a host in a runspace.
  public typealias CommandRegistration = (PSRunspace, HostStateBox, HostSettings) -> Void

  public let box: HostStateBox
  private let original: HostState
  private let settings: HostSettings
  private let register: CommandRegistration

  public init(directory: HostDirectory, settings: HostSettings, register: @escaping CommandRegistration) throws {
    do {
      original = try HostState.load(from: directory.stateFile)
    } catch {
      throw LabShellError(error.message)
    }
    box = HostStateBox(original)
    self.settings = settings
    self.register = register
  }

  public var defaultShell: String? { box.state.defaultShell }
  public var oemCodePage: Int { box.state.oemCodePage }

  public func runPowerShell(_ source: PowerShellExe.Source, console: LabConsole) -> Int32 {
    let state = box.state
    let bridge = ConsoleBridge(console: console)
    let environment = PSHostEnvironment(
      clock: state.clock.map { PSManualClock($0) } ?? PSSystemClock(),
      readStandardInput: { bridge.readStandardInput() },
      machineName: state.computerName,
      environmentVariables: [
        "COMPUTERNAME": state.computerName, "USERNAME": "Administrator", "USERDOMAIN": state.computerName,
        "SystemRoot": "C:\\Windows", "windir": "C:\\Windows", "SystemDrive": "C:", "ProgramData": "C:\\ProgramData",
        "ProgramFiles": "C:\\Program Files", "TEMP": "C:\\Windows\\TEMP", "OS": "Windows_NT",
      ],
      osVersion: state.os.version,
      psVersion: state.effectivePowerShellVersion,
      textSink: { stream, text in bridge.write(stream, text) })
    let runspace = PSRunspace(host: environment)
    bridge.runspace = runspace
    register(runspace, box, settings)
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
