import Foundation

/// One Windows PowerShell 5.1 process as WinLab models it: register host cmdlets and native commands, then run a
/// script with `powershell.exe -Command` semantics (or `-Command -` for statements on stdin).
///
/// Not thread-safe: use one runspace per simulated powershell.exe, from one thread.
public final class PSRunspace {
  let engine: Engine

  public init(host: PSHostEnvironment = PSHostEnvironment()) {
    engine = Engine(host: host)
  }

  /// Makes a host cmdlet (and its aliases) callable.
  public func register(_ command: PSCommandDefinition) { engine.registerCommand(command) }

  /// Makes a native program callable (as `name`, without `.exe`, or by a path ending in it).
  public func register(native: PSNativeCommandDefinition) { engine.registerNative(native) }

  /// Sets a global variable before running (e.g. test fixtures).
  public func setVariable(_ name: String, _ value: PSValue) { engine.setGlobal(name, value) }

  /// A global variable's value, nil when unset.
  public func variable(_ name: String) -> PSValue? { engine.globalValue(name) }

  /// True once a script set `[Console]::OutputEncoding` to UTF-8.
  public var outputEncodingIsUTF8: Bool { engine.outputEncodingIsUTF8 }

  /// Runs `script` like `powershell.exe -Command <script>` (also what `-EncodedCommand` runs once decoded).
  public func run(script: String) -> PSRunResult { engine.runCommand(script) }

  /// Runs `text` like `powershell.exe -Command -` reading it from stdin: each complete line-statement runs as it is
  /// read; a statement that continues over several lines runs only once a blank line follows it; an incomplete
  /// statement at the end is skipped silently.
  public func runStandardInputCommands(_ text: String) -> PSRunResult { engine.runStandardInput(text) }

  /// Checks that `script` parses; returns the first syntax error (with line and column) or nil.
  public static func parseError(in script: String) -> PSParseError? {
    do {
      _ = try Parser.parse(script)
      return nil
    } catch let error as PSParseError {
      return error
    } catch {
      return nil
    }
  }
}
