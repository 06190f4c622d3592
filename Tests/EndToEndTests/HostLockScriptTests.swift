import Foundation
import Testing
import WinAudit
import WinLab

/// The host lock's release, run by the lab's interpreter on a sample host: it removes the lock and the then empty
/// `HKLM:\SOFTWARE\winaudit` key, and nothing else.
@Suite struct HostLockScriptTests {
  static let parent = #"HKLM:\SOFTWARE\winaudit"#
  static let lock = #"HKLM:\SOFTWARE\winaudit\Lock"#
  static let run = "20250601-120000-abc123"

  /// A healthy sample host with the lock of `holder` and whatever else `extra` adds.
  static func locked(by holder: String, _ extra: (inout Registry) -> Void = { _ in }) throws -> HostState {
    var state = try HostState.load(
      from: FleetHarness.packageRoot.appendingPathComponent("Samples/lab/hosts/healthy-2019.json"))
    state.registry.set(parent, RegistryKey())
    state.registry.setValue(lock, "RunId", .string(holder))
    state.registry.setValue(lock, "Since", .string("2025-06-01T12:00:00Z"))
    extra(&state.registry)
    return state
  }

  static func release(_ state: HostState) -> HostState {
    let outcome = WinLabHost.run(script: RemediationScripts.releaseLock(runID: run), state: state)
    #expect(outcome.exitCode == 0, "\(outcome.result)")
    return outcome.state
  }

  @Test func releasingTheLockRemovesTheEmptyParentKey() throws {
    let released = Self.release(try Self.locked(by: Self.run))
    #expect(!released.registry.exists(Self.lock))
    #expect(!released.registry.exists(Self.parent))
    #expect(released.registry.exists(#"HKLM:\SOFTWARE"#))
  }

  @Test func aParentKeyWithAValueOrASubkeyIsKept() throws {
    let withValue = Self.release(
      try Self.locked(by: Self.run) { $0.setValue(Self.parent, "Keep", .string("mine")) })
    #expect(!withValue.registry.exists(Self.lock))
    #expect(withValue.registry.value(Self.parent, "Keep") == .string("mine"))

    let withSubkey = Self.release(
      try Self.locked(by: Self.run) { $0.setValue(Self.parent + #"\Other"#, "Keep", .dword(1)) })
    #expect(!withSubkey.registry.exists(Self.lock))
    #expect(withSubkey.registry.value(Self.parent + #"\Other"#, "Keep") == .dword(1))
  }

  @Test func anotherRunsLockAndItsParentAreLeftAlone() throws {
    let original = try Self.locked(by: "20990101-000000-000000")
    let released = Self.release(original)
    #expect(released == original)
  }
}
