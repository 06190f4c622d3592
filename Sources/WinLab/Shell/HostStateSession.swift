import Foundation
import PowerShellInterpreter

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The lab's real host session: the host state file behind one SSH session, and one PowerShell runspace per
/// powershell.exe start with the lab's host commands (`WinLabCommands`) registered over the shared state.
///
/// Text the interpreter produces is written to the console as it comes, so the encoding in force at that moment
/// (OEM until the script sets `[Console]::OutputEncoding` to UTF-8) applies, as on Windows.
public final class HostStateSession: LabHostSession {
  public let box: HostStateBox
  /// The state as the state file holds it now (loaded, or last saved by a checkpoint).
  private var saved: HostState
  private let options: WinLabOptions
  private let directory: HostDirectory
  private let settings: HostSettings
  private var dropCount = 0
  private var stateLock: FileLock?

  public init(directory: HostDirectory, settings: HostSettings) throws {
    self.directory = directory
    self.settings = settings
    do {
      saved = try HostState.load(from: directory.stateFile)
    } catch {
      throw LabShellError(error.message)
    }
    box = HostStateBox(saved)
    options = WinLabOptions(slowCmdlets: settings.slowCmdlets)
  }

  public var defaultShell: String? { box.state.defaultShell }
  public var oemCodePage: Int { box.state.oemCodePage }

  /// Certificates the host makes during the session (TermService renewing its self-signed one) are real ones whose
  /// PEM is kept in the host's folder, so the listener double presents what the state names.
  public func runPowerShell(_ source: PowerShellExe.Source, console: LabConsole, loadProfiles: Bool) -> Int32 {
    HostState.$certificateMinter.withValue(HostCertificateMinter(directory.certificateMinting)) {
      runPowerShellMinting(source, console: console, loadProfiles: loadProfiles)
    }
  }

  private func runPowerShellMinting(_ source: PowerShellExe.Source, console: LabConsole, loadProfiles: Bool) -> Int32 {
    let bridge = ConsoleBridge(console: console)
    let runspace = PSRunspace(
      host: WinLabHost.environment(
        for: box.state, readStandardInput: { bridge.readStandardInput() },
        readStandardInputLine: { bridge.readStandardInputLine() },
        textSink: { stream, text in bridge.write(stream, text) }))
    bridge.runspace = runspace
    // A process that waits for its next line (a fix's one powershell.exe between scripts) has made its changes: on
    // Windows they are in the registry already, so the lab saves them before it blocks (a process killed later keeps
    // what the earlier scripts did) and lets other sessions to the host run while it waits.
    bridge.beforeWaiting = { [self] in
      if let data = try? changedState(), (try? AtomicFile.write(data, to: directory.stateFile)) != nil {
        saved = box.state
      }
      stateLock?.unlock()
    }
    bridge.afterWaiting = { [self] in
      // Back under the lock: another session may have changed the host meanwhile.
      guard let stateLock, (try? stateLock.lock()) != nil, let current = try? HostState.load(from: directory.stateFile)
      else { return }
      box.mutate { $0 = current }
      saved = current
    }
    WinLabCommands.register(in: runspace, host: box, options: options)
    if let command = settings.dropAfterCommand {
      for var definition in WinLabCommands.definitions(LabContext(box: box, options: options))
      where definition.name.caseInsensitiveCompare(command) == .orderedSame {
        let body = definition.body
        definition.body = { [self] context in
          try body(context)
          dropCount += 1
          if dropCount >= max(1, settings.dropAfterCount ?? 1) { dropConnection() }
        }
        runspace.register(definition)
      }
    }
    // The all-users profile (the only one the lab models) runs in the same session before the command, so what it
    // prints comes first on stdout and what it sets stays set.
    if loadProfiles, let profile = box.state.files.node(at: HostState.allUsersProfile)?.content {
      _ = runspace.run(script: profile)
    }
    let result: PSRunResult
    switch source {
    case .command(let script), .encodedCommand(let script):
      result = runspace.run(script: script)
    case .standardInput:
      result = runspace.runStandardInputCommands(console.readStandardInputToEnd())
    }
    return result.exitCode
  }

  /// The `dropAfterCommand` fault: clears the one-shot setting, saves the state changed so far (with the state lock
  /// still held), then kills this session's sshd process and itself, so the client sees the connection break.
  private func dropConnection() -> Never {
    var cleared = settings
    cleared.dropAfterCommand = nil
    cleared.dropAfterCount = nil
    try? cleared.save(to: directory)
    try? AtomicFile.write(box.state.jsonData(), to: directory.stateFile)
    // Output already written reaches the client first, as on a network that fails after sending it.
    Thread.sleep(forTimeInterval: 0.3)
    kill(getppid(), SIGKILL)
    kill(getpid(), SIGKILL)
    exit(137)
  }

  public func attach(stateLock: FileLock) { self.stateLock = stateLock }

  public func changedState() throws -> Data? {
    let current = box.state
    return current == saved ? nil : current.jsonData()
  }
}

/// Hands the interpreter's live text to the console. The runspace is single-threaded and calls back on the thread
/// that runs it, so the unchecked Sendable conformance only crosses the closure boundary the API asks for.
private final class ConsoleBridge: @unchecked Sendable {
  let console: LabConsole
  weak var runspace: PSRunspace?

  init(console: LabConsole) { self.console = console }

  /// Called before and after a line read that may block.
  var beforeWaiting: (() -> Void)?
  var afterWaiting: (() -> Void)?

  func readStandardInput() -> String { console.readStandardInputToEnd() }

  func readStandardInputLine() -> String? {
    beforeWaiting?()
    defer { afterWaiting?() }
    return console.readStandardInputLine()
  }

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
