import Foundation

/// The evaluator: scopes, commands, error handling and output for one runspace (one powershell.exe).
final class Engine {
  let host: PSHostEnvironment

  init(host: PSHostEnvironment) {
    self.host = host
  }

  func writeWarning(_ text: String) {}
  func writeVerbose(_ text: String) {}
  func writeHostLine(_ text: String) {}
  func lookupVariable(_ name: String) -> PSValue? { nil }
  func assignVariable(_ name: String, _ value: PSValue) {}
  func invokeScriptBlockCollecting(_ block: PSScriptBlock, dollarUnder: PSValue?, arguments: [PSValue]) throws -> [PSValue] { [] }
}

extension Engine {
  func registerCommand(_ command: PSCommandDefinition) {}
  func registerNative(_ native: PSNativeCommandDefinition) {}
  func setGlobal(_ name: String, _ value: PSValue) {}
  func globalValue(_ name: String) -> PSValue? { nil }
  var outputEncodingIsUTF8: Bool { false }
  func runCommand(_ script: String) -> PSRunResult {
    PSRunResult(exitCode: 1, output: [], errors: [], stdout: "", stderr: "", outputEncodingIsUTF8: false)
  }
  func runStandardInput(_ text: String) -> PSRunResult { runCommand(text) }
}
