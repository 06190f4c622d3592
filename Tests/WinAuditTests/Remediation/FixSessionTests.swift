import Foundation
import Testing

@testable import WinAudit

/// A host double for the fix pipeline: it answers the collector with baseline facts built from its NLA values, the
/// pre-read with its current value, and an apply or rollback script by changing the value the script sets.
final class FixableHost: @unchecked Sendable {
  private let lock = NSLock()
  private var nla: Int64
  private let policy: Int64?
  var lockHeldBy: String?
  var dropApply = false
  /// With `dropApply`: what the apply script printed before the connection broke.
  var printedBeforeDrop = ""
  private(set) var applyScripts: [String] = []

  init(nla: Int64, policy: Int64? = nil) {
    self.nla = nla
    self.policy = policy
  }

  var value: Int64 { lock.withLock { nla } }

  func respond(_ script: String) -> ScriptedHostConnector.Behaviour {
    lock.withLock {
      // The connector asks with an empty script when connecting.
      if script.isEmpty { return .respond(ScriptResult(stdout: "")) }
      if script == Fixtures.baseline.collectorScript.text {
        var facts = Fixtures.healthy
        facts["nla"] = Fixtures.registry(.int(nla), policy: policy.map(FactValue.int))
        return .respond(ScriptResult(stdout: Fixtures.stdout(facts)))
      }
      if script.contains("$waOut") {
        let policyRead = policy.map { #"{"exists": true, "type": "DWord", "value": \#($0)}"# } ?? #"{"exists": false}"#
        return .respond(
          ScriptResult(
            stdout: #"{"f0a0": {"exists": true, "type": "DWord", "value": \#(nla)}, "f0a0.policy": \#(policyRead)}"#))
      }
      // Releasing a lock the pre-read took (a declined host, an empty plan) changes nothing else.
      if !script.contains("function WaEmit") { return .respond(ScriptResult(stdout: "")) }
      applyScripts.append(script)
      if let lockHeldBy {
        return .respond(
          ScriptResult(
            stdout:
              #"{"winaudit":"lock","step":"","status":"held","after":{"run":"\#(lockHeldBy)","since":"2025-06-01T11:59:00Z"},"message":"x"}"#,
            exitStatus: 5))
      }
      if dropApply {
        if !printedBeforeDrop.isEmpty {
          nla = script.contains("'UserAuthentication' -PropertyType 'DWord' -Value 1") ? 1 : 0
        }
        return .dropAfterPrinting("the connection was reset", stdout: printedBeforeDrop)
      }
      nla = script.contains("'UserAuthentication' -PropertyType 'DWord' -Value 1") ? 1 : 0
      return .respond(ScriptResult(stdout: Self.applyOutput(nla: nla)))
    }
  }
}

extension FixableHost {
  /// What the apply script prints: the lock line, then step 1's result with the value read back.
  static func applyOutput(nla: Int64) -> String {
    #"""
    {"winaudit":"lock","step":"","status":"taken","after":null,"message":""}
    {"winaudit":"step","step":"1","status":"ok","after":{"exists":true,"type":"DWord","value":\#(nla)},"message":""}
    """#
  }
}

/// Collects what the session prints.
final class Printed: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  var text: String { lock.withLock { lines.joined(separator: "\n") } }
  func add(_ line: String) { lock.withLock { lines.append(line) } }
}

@Suite struct FixSessionTests {
  let host = Fixtures.host

  private func session(_ fake: FixableHost, printed: Printed) throws -> (FixSession, ScriptedHostConnector) {
    let connector = ScriptedHostConnector { _, script in fake.respond(script) }
    let planner = Planner(catalogue: try RemediationFixtures.catalogue(), options: .init(only: ["nla-required"]))
    let runner = FixRunner(connector: connector, playbook: Fixtures.baseline, planner: planner, now: { Fixtures.now })
    return (FixSession(runner: runner, print: printed.add), connector)
  }

  private func journalFolder() -> JournalDirectory {
    JournalDirectory(path: FileManager.default.temporaryDirectory.appendingPathComponent("fix-\(UUID())").path)
  }

  @Test func dryRunShowsTheChangeAndChangesNothing() async throws {
    let fake = FixableHost(nla: 0)
    let printed = Printed()
    let (session, connector) = try session(fake, printed: printed)
    let code = await session.dryRun(hosts: [host], showScript: true)
    #expect(code == 1)
    #expect(fake.value == 0 && fake.applyScripts.isEmpty)
    #expect(printed.text.contains("healthy-2019 (127.0.10.1): 1 change"))
    #expect(
      printed.text.contains(
        #"1. nla-required: HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp\UserAuthentication: 0 (DWord) -> 1 (DWord)"#
      ))
    #expect(printed.text.contains("    $ErrorActionPreference = 'Stop'"))
    #expect(connector.connections == ["healthy-2019"])
  }

  @Test func applyJournalsFirstThenVerifiesOnTheSameConnection() async throws {
    let fake = FixableHost(nla: 0)
    let printed = Printed()
    let (session, connector) = try session(fake, printed: printed)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let code = try await session.apply(
      hosts: [host], confirmation: try Confirmation(assumeYes: true, input: ScriptedInput([])), journal: folder)
    #expect(code == 0)
    #expect(fake.value == 1)
    #expect(printed.text.contains("verify nla-required: converged"))
    #expect(connector.connections.count == 1)
    #expect(connector.scripts.count == 4)  // collector, pre-read, apply, collector again
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
    let entries = try JournalReader.read(path: folder.path + "/" + file)
    #expect(entries.map(\.kind) == [.run, .host, .intent, .result, .end])
    #expect(entries[2].step?.before["value"] == .int(0))

    // A second run finds nothing to change and sends no apply script.
    let again = try await session.apply(
      hosts: [host], confirmation: try Confirmation(assumeYes: true, input: ScriptedInput([])), journal: folder)
    #expect(again == 0)
    #expect(fake.applyScripts.count == 1)

    // Rollback restores the recorded before-value.
    let rollback = RollbackSession(
      connector: ScriptedHostConnector { _, script in fake.respond(script) }, now: { Fixtures.now },
      print: printed.add)
    let code2 = try await rollback.rollback(
      entries, limit: nil, confirmation: try Confirmation(assumeYes: true, input: ScriptedInput([])), journal: folder)
    #expect(code2 == 0)
    #expect(fake.value == 0)
    #expect(fake.applyScripts.last?.contains("-Value 0 -Force") == true)
  }

  @Test func declinedHostsAreNotChanged() async throws {
    let fake = FixableHost(nla: 0)
    let (session, _) = try session(fake, printed: Printed())
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let code = try await session.apply(
      hosts: [host], confirmation: try Confirmation(assumeYes: false, input: ScriptedInput(["n"])), journal: folder)
    #expect(code == 1)
    #expect(fake.applyScripts.isEmpty)
  }

  @Test func groupPolicyControlledValueIsNotTouched() async throws {
    let fake = FixableHost(nla: 1, policy: 0)
    let printed = Printed()
    let (session, _) = try session(fake, printed: printed)
    let code = await session.dryRun(hosts: [host], showScript: false)
    #expect(code == 1)
    #expect(
      printed.text.contains(
        #"skipped nla-required: Group Policy sets HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\UserAuthentication = 0"#
      ))
  }

  @Test func anotherRunsLockStopsTheApply() async throws {
    let fake = FixableHost(nla: 0)
    fake.lockHeldBy = "20250601-115900-aaaaaa"
    let printed = Printed()
    let (session, _) = try session(fake, printed: printed)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let code = try await session.apply(
      hosts: [host], confirmation: try Confirmation(assumeYes: true, input: ScriptedInput([])), journal: folder)
    #expect(code == 4)
    #expect(fake.value == 0)
    #expect(printed.text.contains("another winaudit run (20250601-115900-aaaaaa"))
  }

  @Test func aDroppedConnectionLeavesAJournalRollbackCanUse() async throws {
    let fake = FixableHost(nla: 0)
    fake.dropApply = true
    let printed = Printed()
    let (session, _) = try session(fake, printed: printed)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let code = try await session.apply(
      hosts: [host], confirmation: try Confirmation(assumeYes: true, input: ScriptedInput([])), journal: folder)
    #expect(code == 4)
    #expect(printed.text.contains("connection lost while applying"))
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
    let (_, plans) = try RollbackPlanner.plan(try JournalReader.read(path: folder.path + "/" + file))
    #expect(plans.first?.maybeApplied == ["1"])
  }

  /// The results the host printed before the connection broke are journaled: those steps are applied, not "maybe
  /// applied"; the run still ends as dropped.
  @Test func resultsPrintedBeforeADropAreJournaled() async throws {
    let fake = FixableHost(nla: 0)
    fake.dropApply = true
    fake.printedBeforeDrop = FixableHost.applyOutput(nla: 1) + "\r\n"
    let printed = Printed()
    let (session, _) = try session(fake, printed: printed)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let code = try await session.apply(
      hosts: [host], confirmation: try Confirmation(assumeYes: true, input: ScriptedInput([])), journal: folder)
    #expect(code == 4)
    #expect(printed.text.contains("connection lost while applying"), "\(printed.text)")
    #expect(printed.text.contains("1 of 1 changes confirmed"), "\(printed.text)")
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
    let entries = try JournalReader.read(path: folder.path + "/" + file)
    let results = entries.filter { $0.kind == .result }
    #expect(results.map(\.stepID) == ["1"])
    #expect(results.first?.status == "ok")
    #expect(results.first?.after?["value"] == .int(1))
    let end = try #require(entries.last)
    #expect(end.kind == .end && end.status == "dropped")
    #expect(entries.firstIndex { $0.kind == .result }! < entries.count - 1)
    let (_, plans) = try RollbackPlanner.plan(entries)
    #expect(plans.first?.maybeApplied == [])
    #expect(plans.first?.steps.count == 1)
  }

  /// A result line the drop cut off is not a result: its step stays "maybe applied".
  @Test func aResultLineCutOffByTheDropIsNotJournaled() async throws {
    let fake = FixableHost(nla: 0)
    fake.dropApply = true
    fake.printedBeforeDrop = String(FixableHost.applyOutput(nla: 1).dropLast(3))
    let printed = Printed()
    let (session, _) = try session(fake, printed: printed)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let code = try await session.apply(
      hosts: [host], confirmation: try Confirmation(assumeYes: true, input: ScriptedInput([])), journal: folder)
    #expect(code == 4)
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
    let entries = try JournalReader.read(path: folder.path + "/" + file)
    #expect(entries.filter { $0.kind == .result }.isEmpty)
    let (_, plans) = try RollbackPlanner.plan(entries)
    #expect(plans.first?.maybeApplied == ["1"])
  }
}

@Suite struct RemediationBuiltinTests {
  /// The built-in texts are the Playbooks/ files, byte for byte: they are compiled in from there.
  @Test func builtInCopiesMatchThePlaybooks() throws {
    for (text, label) in RemediationCatalogue.builtInFiles {
      let name = label.replacingOccurrences(of: "<built-in ", with: "").replacingOccurrences(of: ">", with: "")
      let file = RemediationFixtures.repository.appendingPathComponent("Playbooks/" + name)
      #expect(try String(contentsOf: file, encoding: .utf8) == text)
    }
    let builtIn = try RemediationCatalogue.builtIn
    #expect(builtIn.fixes.map(\.id) == (try RemediationFixtures.catalogue()).fixes.map(\.id))
    #expect(builtIn.diagnostics(controls: Set(Fixtures.baseline.controls.map(\.id))).isEmpty)
  }
}
