import PowerShellInterpreter

/// Runs a script in a fresh runspace with a fixed clock and "\n" line endings.
func runScript(_ script: String, stdin: String = "", configure: (PSRunspace) -> Void = { _ in }) -> PSRunResult {
  let runspace = PSRunspace(
    host: PSHostEnvironment(
      clock: PSManualClock(), readStandardInput: { stdin }, machineName: "LAB-01", newline: "\n"))
  configure(runspace)
  return runspace.run(script: script)
}

/// The stdout of a script.
func output(_ script: String) -> String { runScript(script).stdout }
