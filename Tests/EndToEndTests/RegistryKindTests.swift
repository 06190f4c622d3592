import Foundation
import Testing
import WinLab

@testable import WinAudit

/// A REG_EXPAND_SZ value is read as stored, with its kind, and a fix's undo writes it back the same: not expanded, not
/// turned into a REG_SZ. Run by the lab's interpreter on a sample host.
@Suite struct RegistryKindTests {
  static let key = #"HKLM:\SOFTWARE\WinAuditTest"#

  static func host() throws -> HostState {
    var state = try HostState.load(
      from: FleetHarness.packageRoot.appendingPathComponent("Samples/lab/hosts/healthy-2019.json"))
    state.registry.set(key, RegistryKey())
    state.registry.setValue(key, "LogPath", .expandString(#"%SystemRoot%\Logs\winaudit"#))
    return state
  }

  @Test func anExpandStringIsReadAsStoredAndRestoredWithItsType() throws {
    let value = RegistryValueRef(path: Self.key, name: "LogPath")
    let read = HostRead.registryValue(value)
    let script = RemediationScripts.preRead([read])
    let outcome = WinLabHost.run(script: script, state: try Self.host())
    #expect(outcome.exitCode == 0, "\(outcome.result.stdout)")
    let results = try #require(RemediationScripts.results(of: [read], stdout: outcome.result.stdout))
    let before = try #require(results.decode(read, as: RegistryValueState.self))
    #expect(before == RegistryValueState(.expandString(#"%SystemRoot%\Logs\winaudit"#)))

    // Apply a new value, then the undo of that step: the registry holds the original REG_EXPAND_SZ again.
    let step = FixStep(
      id: "1", fix: "test", control: "test",
      change: AnyChange(RegistryValueChange(value: value, before: before, after: RegistryValueState(.string("D:\\x")))))
    let applied = WinLabHost.run(
      script: RemediationScripts.apply(steps: [step], runID: "run-1", now: Date()), state: outcome.state)
    #expect(applied.exitCode == 0, "\(applied.result.stdout)")
    #expect(applied.state.registry.value(Self.key, "LogPath") == .string("D:\\x"))
    let undone = WinLabHost.run(
      script: RemediationScripts.apply(
        steps: [step.inverse(observedAfter: nil)], runID: "run-2", now: Date()), state: applied.state)
    #expect(undone.exitCode == 0, "\(undone.result.stdout)")
    #expect(undone.state.registry.value(Self.key, "LogPath") == .expandString(#"%SystemRoot%\Logs\winaudit"#))
  }
}
