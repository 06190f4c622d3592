import Foundation
import PowerShellInterpreter

/// Runs a script on a modelled host: the one call the lab shell makes per powershell.exe.
///
/// It builds a runspace whose machine facts (name, versions, environment, clock) come from the host state, registers
/// the lab's commands against one `HostStateBox`, runs the script and hands back the interpreter's result together
/// with the state as the script left it, for the caller to save.
public enum WinLabHost {
  /// What a run produced: the interpreter's result and the host state afterwards.
  public struct Outcome: @unchecked Sendable {
    public var result: PSRunResult
    public var state: HostState
    public var exitCode: Int32 { result.exitCode }
  }

  /// How the script text is given to powershell.exe.
  public enum Mode: Sendable {
    /// `-Command <text>` / `-EncodedCommand` (decoded): the whole script at once.
    case command
    /// `-Command -`: statements read from standard input one by one.
    case standardInputCommands
  }

  /// The PSHostEnvironment for a host: its computer name, OS and PowerShell versions, environment and clock.
  public static func environment(
    for state: HostState, readStandardInput: @escaping @Sendable () -> String = { "" },
    readStandardInputLine: (@Sendable () -> String?)? = nil, textSink: (@Sendable (PSTextStream, String) -> Void)? = nil
  ) -> PSHostEnvironment {
    let clock: any PSClock = state.clock.map { PSManualClock($0) } ?? PSSystemClock()
    return PSHostEnvironment(
      clock: clock, readStandardInput: readStandardInput, readStandardInputLine: readStandardInputLine,
      machineName: state.computerName,
      userName: state.login?.name ?? "Administrator", userDomain: state.computerName,
      userSID: state.login?.sid ?? HostState.builtInAdministratorSID,
      isElevated: state.loginIsElevated, environmentVariables: state.environmentVariables,
      osVersion: state.os.version + ".0", psVersion: state.effectivePowerShellVersion, textSink: textSink)
  }

  /// A runspace for the host in `box`, with every lab command registered.
  public static func makeRunspace(
    box: HostStateBox, options: WinLabOptions = WinLabOptions(), standardInput: String = "",
    textSink: (@Sendable (PSTextStream, String) -> Void)? = nil
  ) -> PSRunspace {
    let runspace = PSRunspace(
      host: environment(for: box.state, readStandardInput: { standardInput }, textSink: textSink))
    WinLabCommands.register(in: runspace, host: box, options: options)
    return runspace
  }

  /// Runs `script` against `box` (which keeps the changes).
  public static func run(
    script: String, box: HostStateBox, standardInput: String = "", mode: Mode = .command,
    options: WinLabOptions = WinLabOptions(), textSink: (@Sendable (PSTextStream, String) -> Void)? = nil
  ) -> Outcome {
    let runspace = makeRunspace(box: box, options: options, standardInput: standardInput, textSink: textSink)
    let result = mode == .command ? runspace.run(script: script) : runspace.runStandardInputCommands(script)
    return Outcome(result: result, state: box.state)
  }

  /// Runs `script` on a copy of `state`; the outcome carries the changed state.
  public static func run(
    script: String, state: HostState, standardInput: String = "", mode: Mode = .command,
    options: WinLabOptions = WinLabOptions()
  ) -> Outcome {
    run(script: script, box: HostStateBox(state), standardInput: standardInput, mode: mode, options: options)
  }
}
