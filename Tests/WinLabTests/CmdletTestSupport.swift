import Foundation
import PowerShellInterpreter

@testable import WinLab

/// Runs scripts against sample hosts through the interpreter, as the lab shell does.
enum CmdletHarness {
  static func healthy() -> HostState { SampleHostBuilder.healthy(computerName: "TEST-HOST", windows: .server2019) }

  static func run(_ script: String, on state: HostState = healthy(), options: WinLabOptions = WinLabOptions())
    -> WinLabHost.Outcome
  {
    WinLabHost.run(script: script, state: state, options: options)
  }

  /// The output objects as strings (what a script's `Write-Output` lines would print).
  static func lines(_ outcome: WinLabHost.Outcome) -> [String] { outcome.result.output.map(PSConvert.toString) }
}
