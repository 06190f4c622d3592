import Foundation
import PowerShellInterpreter

/// Knobs a lab host gets from the fleet file rather than from its state.
public struct WinLabOptions: Sendable {
  /// Extra milliseconds a cmdlet takes (fleet.yml `slowCmdlets`, e.g. `["Get-NetFirewallRule": 2000]`).
  public var slowCmdlets: [String: Int]

  public init(slowCmdlets: [String: Int] = [:]) { self.slowCmdlets = slowCmdlets }

  /// The delay for `command`, matched without regard to case.
  func delay(for command: String) -> Int {
    slowCmdlets.first { $0.key.caseInsensitiveCompare(command) == .orderedSame }?.value ?? 0
  }
}

/// What every host cmdlet closes over: the one mutable state box and the lab options.
struct LabContext: Sendable {
  let box: HostStateBox
  let options: WinLabOptions

  var state: HostState { box.state }

  /// Sleeps for the configured slowness of `command` (real time: a slow cmdlet must look slow to a client).
  func simulateSlowness(_ command: String) {
    let milliseconds = options.delay(for: command)
    if milliseconds > 0 { Thread.sleep(forTimeInterval: Double(milliseconds) / 1_000) }
  }
}

/// Builds `PSCommandDefinition`s with less ceremony.
extension PSCommandDefinition {
  static func host(
    _ name: String, type: String? = nil, aliases: [String] = [], _ parameters: [PSParameterInfo],
    shouldProcess: Bool = false, inputMode: InputMode = .perItem, body: @escaping (PSCommandContext) throws -> Void
  ) -> PSCommandDefinition {
    PSCommandDefinition(
      name: name, implementingType: type ?? name, aliases: aliases, parameters: parameters,
      supportsShouldProcess: shouldProcess, inputMode: inputMode, body: body)
  }
}

/// Parameter declarations shared by several cmdlets.
enum CommonParameters {
  static func path(mandatory: Bool = false) -> PSParameterInfo {
    PSParameterInfo("Path", type: .stringArray, position: 0, fromPipeline: true, fromPipelineByPropertyName: true)
  }

  static let literalPath = PSParameterInfo(
    "LiteralPath", type: .stringArray, aliases: ["PSPath", "LP"], fromPipelineByPropertyName: true)
  static let force = PSParameterInfo("Force", type: .switchParameter)
  static let passThru = PSParameterInfo("PassThru", type: .switchParameter)
  static let recurse = PSParameterInfo("Recurse", type: .switchParameter)
}

extension PSCommandContext {
  /// The paths given by -Path (wildcards) or -LiteralPath, with whether they are literal.
  func paths() -> [(text: String, literal: Bool)] {
    if let literal = parameters.strings("LiteralPath") { return literal.map { ($0, true) } }
    return (parameters.strings("Path") ?? []).map { ($0, false) }
  }
}
