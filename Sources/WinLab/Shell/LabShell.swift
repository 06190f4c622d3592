import Foundation

/// The login shell of a lab host (`winlab shell --host-dir DIR`, sshd's ForceCommand): it does what Windows OpenSSH,
/// cmd.exe and powershell.exe do with an exec request, then runs the script against the modelled host.
///
/// Per session: take the host's state lock, load the state, start the DefaultShell (cmd.exe or powershell.exe) on
/// `SSH_ORIGINAL_COMMAND`, count and pace every powershell.exe start, save changed state atomically, and exit with
/// the code Windows would give.
public struct LabShell {
  public let directory: HostDirectory
  public let makeSession: LabHostSessionFactory
  /// Sleeps the given number of milliseconds (a powershell.exe start-up); replaceable in tests.
  public var sleep: (Int) -> Void

  public init(directory: HostDirectory, makeSession: @escaping LabHostSessionFactory) {
    self.directory = directory
    self.makeSession = makeSession
    self.sleep = { milliseconds in
      if milliseconds > 0 { Thread.sleep(forTimeInterval: Double(milliseconds) / 1000) }
    }
  }

  /// Runs one session: `originalCommand` is what the client asked to execute (nil for an interactive shell).
  /// Returns the exit status for sshd to send back.
  public func run(originalCommand: String?, io: ShellIO) -> Int32 {
    do {
      let lock = try FileLock(exclusive: directory.stateLock)
      defer { lock.unlock() }
      let settings = try HostSettings.load(from: directory)
      let session = try makeSession(directory, settings)
      session.attach(stateLock: lock)
      let process = PowerShellStarter(
        directory: directory, settings: settings, session: session, io: io, sleep: sleep,
        oem: ConsoleEncoding(codePage: session.oemCodePage) ?? .oem437)
      let code = process.runCommand(originalCommand)
      if let state = try session.changedState() {
        try AtomicFile.write(state, to: directory.stateFile)
      }
      return code
    } catch {
      io.writeError(Array("winlab shell: \(error)\n".utf8))
      return 1
    }
  }
}

/// Starts the DefaultShell and the powershell.exe processes of one session.
struct PowerShellStarter {
  let directory: HostDirectory
  let settings: HostSettings
  let session: LabHostSession
  let io: ShellIO
  let sleep: (Int) -> Void
  let oem: ConsoleEncoding

  func runCommand(_ command: String?) -> Int32 {
    guard let command, !command.isEmpty else {
      fail("winlab: the lab models exec requests only; this session asked for an interactive shell\r\n")
      return 1
    }
    switch DefaultShellKind(registryValue: session.defaultShell) {
    case .cmd:
      switch CmdExe.run(command, powershellInstalled: settings.powershellMissing != true) {
      case .fail(let stderr, let exitCode):
        fail(stderr)
        return exitCode
      case .startPowerShell(let commandLine):
        return startPowerShell(commandLine)
      }
    case .powershell:
      // Windows OpenSSH starts a PowerShell DefaultShell as `powershell.exe -c "<command>"`.
      return startPowerShell("powershell.exe -c \"\(command)\"")
    case .other(let program):
      fail("winlab: the lab does not model the DefaultShell \(program)\r\n")
      return 1
    }
  }

  /// One powershell.exe process: counted, paced, its command line parsed, its script run.
  func startPowerShell(_ commandLine: String) -> Int32 {
    do {
      try ProcessCounter.recordStart(in: directory)
    } catch {
      fail("winlab: \(error)\r\n")
    }
    sleep(settings.startupMilliseconds)

    let arguments = Array(WindowsArgv.split(commandLine).dropFirst())
    let invocation: PowerShellExe
    switch PowerShellExe.parse(arguments) {
    case .failure(let error):
      if error.message.isEmpty {
        io.writeOutput(oem.encode(PowerShellExe.usage))
        return 0
      }
      fail(error.message + "\r\n")
      if error.showsUsage { io.writeOutput(oem.encode(PowerShellExe.usage)) }
      return PowerShellExe.badCommandLineExitCode
    case .success(let parsed):
      invocation = parsed
    }

    switch invocation.source {
    case .command(let text), .encodedCommand(let text):
      if let nested = NestedPowerShell.commandLine(in: text) {
        // The outer process's $? follows the nested exit code; -Command exits 0 or 1 from $?.
        return startPowerShell(nested) == 0 ? 0 : 1
      }
    case .standardInput:
      break
    }
    // The `outputFault` setting applies to the powershell.exe that runs the script.
    let faulty = settings.outputFault.map { OutputFaultIO(io, fault: $0) }
    let console = LabConsole(
      io: faulty ?? io, oemEncoding: oem, standardInputLimit: settings.truncateStdinAfter,
      errorFormat: invocation.wasCommandEncoded || invocation.outputFormat == .xml ? .clixml : .text)
    defer { console.finish() }
    if settings.outputFault == .terminatingError {
      _ = console.readStandardInputToEnd()
      console.writeError(OutputFault.terminatingErrorText)
      return 1
    }
    let code = session.runPowerShell(invocation.source, console: console, loadProfiles: !invocation.noProfile)
    faulty?.finish()
    return code
  }

  private func fail(_ text: String) {
    io.writeError(oem.encode(text))
  }
}

extension LabShell {
  /// The login shell of a lab host folder, running scripts with the interpreter against the host's state file.
  public static func forHost(_ directory: HostDirectory) -> LabShell {
    LabShell(directory: directory) { directory, settings in
      try HostStateSession(directory: directory, settings: settings)
    }
  }
}
