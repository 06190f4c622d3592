import Foundation
import RemotePowerShell
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
  /// Facts answered instead of the healthy ones (another control drifting).
  var extraFacts: [String: FactValue] = [:]
  private(set) var applyScripts: [String] = []

  init(nla: Int64, policy: Int64? = nil) {
    self.nla = nla
    self.policy = policy
  }

  var value: Int64 { lock.withLock { nla } }

  /// Changes the value as a person would by hand, between runs.
  func set(_ value: Int64) { lock.withLock { nla = value } }

  func respond(_ script: String) -> ScriptedHostConnector.Behaviour {
    lock.withLock {
      // The connector asks with an empty script when connecting.
      if script.isEmpty { return .respond(ScriptResult(stdout: "")) }
      // The collector alone, or in a fix's one powershell.exe (without its final `exit 0`).
      let collector = Fixtures.baseline.collectorScript
      if script == collector.text || script == collector.framedText {
        var facts = Fixtures.healthy
        facts["nla"] = Fixtures.registry(.int(nla), policy: policy.map(FactValue.int))
        facts.merge(extraFacts) { _, extra in extra }
        return .respond(ScriptResult(stdout: Fixtures.stdout(facts)))
      }
      if script.contains("$waReads") && !script.contains(#"Policies\Microsoft\Windows NT"#) {
        // A rollback's read before restoring: the local value only.
        return .respond(ScriptResult(stdout: #"{"reads": {"exists": true, "type": "DWord", "value": \#(nla)}}"#))
      }
      if script.contains("$waReads") {
        // The pre-read of nla-required: the local value, then its Group Policy twin.
        let policyRead = policy.map { #"{"exists": true, "type": "DWord", "value": \#($0)}"# } ?? #"{"exists": false}"#
        return .respond(
          ScriptResult(stdout: #"{"reads": [{"exists": true, "type": "DWord", "value": \#(nla)}, \#(policyRead)]}"#))
      }
      // Releasing a lock the pre-read took (a declined host, an empty plan) changes nothing else.
      if !script.contains("$waFailed") { return .respond(ScriptResult(stdout: "")) }
      applyScripts.append(script)
      if let lockHeldBy {
        return .respond(
          ScriptResult(
            stdout:
              #"{"winaudit":"lock","step":"","status":"held","after":{"run":"\#(lockHeldBy)","since":"2025-06-01T11:59:00Z"},"message":"x"}"#,
            exitCode: 5))
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

@Suite struct FixSessionTests {
  let host = Fixtures.host

  private func session(_ fake: FixableHost) throws -> (FixSession, ScriptedHostConnector) {
    let connector = ScriptedHostConnector { _, script in fake.respond(script) }
    let planner = Planner(catalogue: try RemediationFixtures.catalogue(), options: .init(only: ["nla-required"]))
    let runner = FixRunner(connector: connector, playbook: Fixtures.baseline, planner: planner, now: { Fixtures.now })
    return (FixSession(runner: runner), connector)
  }

  private func yes() throws -> WinAudit.Confirmation {
    try Confirmation(assumeYes: true, input: ScriptedInput([]))
  }

  private func journalFolder() -> JournalDirectory {
    JournalDirectory(path: FileManager.default.temporaryDirectory.appendingPathComponent("fix-\(UUID())").path)
  }

  @Test func dryRunShowsTheChangeAndChangesNothing() async throws {
    let fake = FixableHost(nla: 0)
    let (session, connector) = try session(fake)
    let report = await session.dryRun(hosts: [host], showScript: true)
    let text = FixReport.run(report)
    #expect(ExitStatus.of(report) == 1)
    #expect(report.run == nil && report.journal == nil)
    #expect(fake.value == 0 && fake.applyScripts.isEmpty)
    #expect(
      text.hasPrefix(
        "winaudit fix: dry run, nothing is changed (add --apply to apply)\n\nhealthy-2019 (127.0.10.1): 1 change\n"))
    #expect(
      text.contains(
        #"1. nla-required: HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp\UserAuthentication: 0 (DWord) -> 1 (DWord)"#
      ))
    #expect(text.contains("\n  script:\n    $ErrorActionPreference = 'Stop'"))
    #expect(connector.connections == ["healthy-2019"])
  }

  @Test func applyJournalsFirstThenVerifiesOnTheSameConnection() async throws {
    let fake = FixableHost(nla: 0)
    let (session, connector) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: [host], confirmation: try yes(), journal: folder)
    #expect(ExitStatus.of(report) == 0)
    #expect(fake.value == 1)
    #expect(FixReport.run(report).contains("verify nla-required: converged"))
    #expect(connector.connections.count == 1)
    #expect(connector.scripts.count == 4)  // collector, pre-read, apply, collector again
    // ... all in the one powershell.exe started once for the host, the collector without its final `exit 0`.
    #expect(connector.processStarts == ["healthy-2019"])
    let collector = Fixtures.baseline.collectorScript
    #expect(connector.scripts.first?.script == collector.framedText)
    #expect(connector.scripts.last?.script == collector.framedText)
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
    let entries = try JournalReader.read(path: folder.path + "/" + file)
    #expect(entries.map(\.kind) == [.run, .host, .intent, .result, .end])
    #expect((entries[2].step?.change.base as? RegistryValueChange)?.before == RegistryValueState(.dword(0)))

    // A second run finds nothing to change: it sends no apply script and starts no run (no second journal).
    let again = try await session.apply(hosts: [host], confirmation: try yes(), journal: folder)
    #expect(ExitStatus.of(again) == 0)
    #expect(fake.applyScripts.count == 1)
    #expect(again.run == nil && again.nothingToChange)
    #expect(FixReport.run(again).hasPrefix("winaudit fix: nothing to change on any host; no run was journaled"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1)

    // Rollback restores the recorded before-value.
    let rollback = RollbackSession(
      connector: ScriptedHostConnector { _, script in fake.respond(script) }, now: { Fixtures.now })
    let back = try await rollback.rollback(entries, limit: nil, confirmation: try yes(), journal: folder)
    #expect(ExitStatus.of(back) == 0)
    #expect(RollbackReport.run(back).contains("healthy-2019: rolled back 1 change\n"))
    #expect(fake.value == 0)
    #expect(fake.applyScripts.last?.contains("-Value 0 -Force") == true)
  }

  /// `winaudit runs`: every run of the folder with what it did, rollbacks naming the run they undo and the other way.
  @Test func runsListsFixAndRollbackRuns() async throws {
    let fake = FixableHost(nla: 0)
    let (session, _) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: [host], confirmation: try yes(), journal: folder)
    let fixRun = try #require(report.run).text
    let entries = try JournalReader.read(directory: folder, run: try #require(report.run))
    let rollback = RollbackSession(
      connector: ScriptedHostConnector { _, script in fake.respond(script) }, now: { Fixtures.now })
    _ = try await rollback.rollback(entries, limit: nil, confirmation: try yes(), journal: folder)

    let runs = JournalRuns.list(folder)
    #expect(runs.count == 2)
    let fix = try #require(runs.first { $0.id == fixRun })
    #expect(fix.command == "fix" && fix.hosts == ["healthy-2019"] && fix.applied == 1 && fix.failed == 0)
    #expect(fix.outcome == "applied")
    let undo = try #require(runs.first { $0.id != fixRun })
    #expect(undo.command == "rollback" && undo.rollbackOf == fixRun)
    #expect(fix.rolledBackBy == [undo.id])
    let shown = JournalRuns.describe(entries)
    #expect(shown.hasPrefix("run \(fixRun): fix, started "))
    #expect(shown.contains("healthy-2019: applied"))
    #expect(shown.contains("  1. nla-required: HKLM:") && shown.contains(": 0 (DWord) -> 1 (DWord): done"))
    #expect(JournalRuns.list(JournalDirectory(path: folder.path + "/missing")).isEmpty)
  }

  /// What the command line prints while an apply runs (the run line, then each plan as its question comes) is the
  /// whole run's text, line for line as before the reports existed.
  @Test func anAppliesTextIsTheStartedLineThePlansAndTheEnding() async throws {
    let fake = FixableHost(nla: 0)
    let (session, _) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    var shown: [String] = []
    let report = try await session.apply(hosts: [host], confirmation: try yes(), journal: folder) { event in
      switch event {
      case .started(let run, let journal): shown.append(FixReport.started(run: run, journal: journal))
      case .nothingToChange: Issue.record("the plan changes something")
      case .planned(let host): shown.append(FixReport.planned(host))
      }
    }
    shown.append(try #require(FixReport.ending(report)))
    let run = try #require(report.run).text
    let journal = try #require(report.journal)
    #expect(journal == folder.path + "/" + run + ".jsonl")
    #expect(shown.joined(separator: "\n") == FixReport.run(report))
    #expect(
      FixReport.run(report) == """
        winaudit fix: run \(run) (journal \(journal); undo with `winaudit rollback \(run)`)

        healthy-2019 (127.0.10.1): 1 change
          1. nla-required: HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\\UserAuthentication: 0 (DWord) -> 1 (DWord)

        healthy-2019: applied 1 change
          verify nla-required: converged

        summary (1 host: 1 converged)
          healthy-2019  converged

        run \(run): journal \(journal)
        """)
  }

  /// Each host's plan reaches the caller before the question about it; every question comes before any host changes.
  @Test func eachPlanIsShownBeforeItsQuestion() async throws {
    let fake = FixableHost(nla: 0)
    let (session, _) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let second = InventoryHost(name: "second-2019", address: "127.0.10.2", port: 2222, user: "root")
    let log = Log()
    let input = LoggedInput(["n", "y"], log: log)
    let report = try await session.apply(
      hosts: [host, second], confirmation: try Confirmation(assumeYes: false, input: input), journal: folder
    ) { event in
      if case .planned(let prepared) = event {
        log.add("plan \(prepared.host.name) applied=\(fake.applyScripts.count)")
      }
    }
    #expect(
      log.lines == [
        "plan healthy-2019 applied=0", "ask Apply 1 change to healthy-2019? [y]es/[n]o/[a]ll/[q]uit ",
        "plan second-2019 applied=0", "ask Apply 1 change to second-2019? [y]es/[n]o/[a]ll/[q]uit ",
      ])
    #expect(report.hosts.map(\.prepared.host.name) == ["healthy-2019", "second-2019"])
    #expect(report.hosts.map { $0.outcome?.status.word } == ["declined", "applied"])
    #expect(fake.applyScripts.count == 1)
    #expect(ExitStatus.of(report) == 1)  // the declined host still drifts
  }

  /// Rollback asks about every host first, each after its changes were shown, then rolls back the accepted ones; a
  /// host that cannot be reached is reported and makes the exit code 4.
  @Test func rollbackAsksAboutEveryHostBeforeChangingAny() async throws {
    let first = FixableHost(nla: 0)
    let second = FixableHost(nla: 0)
    let other = InventoryHost(name: "second-2019", address: "127.0.10.2", port: 2222, user: "root")
    let third = InventoryHost(name: "gone-2019", address: "127.0.10.3", port: 2222, user: "root")
    let hosts = ["healthy-2019": first, "second-2019": second, "gone-2019": FixableHost(nla: 0)]
    let gone = Log()
    let connector = ScriptedHostConnector { host, script in
      if host.name == "gone-2019", !gone.lines.isEmpty { return .refuse("connection refused") }
      return hosts[host.name]!.respond(script)
    }
    let planner = Planner(catalogue: try RemediationFixtures.catalogue(), options: .init(only: ["nla-required"]))
    let runner = FixRunner(connector: connector, playbook: Fixtures.baseline, planner: planner, now: { Fixtures.now })
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let applied = try await FixSession(runner: runner).apply(
      hosts: [host, other, third], confirmation: try yes(), journal: folder)
    #expect(ExitStatus.of(applied) == 0)
    #expect(first.value == 1 && second.value == 1)
    gone.add("gone-2019 is offline from now on")

    let log = Log()
    let entries = try JournalReader.read(path: try #require(applied.journal))
    let rollback = RollbackSession(connector: connector, now: { Fixtures.now }, concurrency: 2)
    let report = try await rollback.rollback(
      entries, limit: nil,
      confirmation: try Confirmation(assumeYes: false, input: LoggedInput(["n", "y", "y"], log: log)),
      journal: folder
    ) { event in
      switch event {
      case .started(let original, _, _): log.add("started \(original == applied.run?.text)")
      case .planned(let plan): log.add("plan \(plan.host.name) first=\(first.value) second=\(second.value)")
      }
    }
    #expect(
      log.lines == [
        "started true",
        "plan healthy-2019 first=1 second=1", "ask Roll back 1 change on healthy-2019? [y]es/[n]o/[a]ll/[q]uit ",
        "plan second-2019 first=1 second=1", "ask Roll back 1 change on second-2019? [y]es/[n]o/[a]ll/[q]uit ",
        "plan gone-2019 first=1 second=1", "ask Roll back 1 change on gone-2019? [y]es/[n]o/[a]ll/[q]uit ",
      ])
    #expect(first.value == 1 && second.value == 0)
    #expect(ExitStatus.of(report) == 4)
    let text = RollbackReport.run(report)
    #expect(
      text.hasSuffix(
        """

        healthy-2019: not changed (declined)
        second-2019: rolled back 1 change
        gone-2019: unreachable: connection refused

        summary (3 hosts): 1 rolled back, 1 failed, 1 declined

        run \(try #require(report.run).text): journal \(try #require(report.journal))
        """), "\(text)")
  }

  /// A journal that cannot be written (a full disk): nothing is sent but the release of this run's host lock.
  @Test func aJournalThatCannotBeWrittenSendsNothingButTheLockRelease() async throws {
    let connector = ScriptedHostConnector { _, _ in .respond(ScriptResult(stdout: "")) }
    let session = try await connector.connect(to: host)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let run = RunID()
    let writer = try JournalWriter(directory: folder, run: run)
    writer.writeBytes = { _, _, _ in
      errno = ENOSPC
      return -1
    }
    let change = RegistryValueChange(
      value: RegistryValueRef(path: #"HKLM:\SOFTWARE\X"#, name: "V"), before: .init(nil), after: .init(.dword(1)))
    let step = FixStep(id: "1", fix: "f", control: "f", change: AnyChange(change))
    let outcome = await FixRunner.execute(
      steps: [step], on: session, host: host, run: run, journal: writer, now: Fixtures.now, staleLockMinutes: 30)
    guard case .failed(_, let message) = outcome.status else {
      Issue.record("expected a failure, got \(outcome.status)")
      return
    }
    #expect(message.contains("cannot write the journal"))
    #expect(connector.scripts.count == 1)
    #expect(connector.scripts.first?.script.contains("Unlock-WinAuditHost") == true)
    #expect(connector.scripts.first?.script.contains(#"HKLM:\SOFTWARE\X'"#) == false)
  }

  /// A journal that cannot be started (its folder is a file) ends the run before any change, and the locks the
  /// pre-reads took are given back rather than left to go stale.
  @Test func aJournalThatCannotBeStartedReleasesThePreReadLocks() async throws {
    let fake = FixableHost(nla: 0)
    let (session, connector) = try session(fake)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("journal-file-\(UUID())").path
    #expect(FileManager.default.createFile(atPath: file, contents: Data()))
    defer { try? FileManager.default.removeItem(atPath: file) }
    await #expect(throws: JournalError.self) {
      _ = try await session.apply(hosts: [host], confirmation: try yes(), journal: JournalDirectory(path: file))
    }
    #expect(fake.applyScripts.isEmpty)
    #expect(connector.scripts.last?.script.contains("Unlock-WinAuditHost") == true)
  }

  @Test func declinedHostsAreNotChanged() async throws {
    let fake = FixableHost(nla: 0)
    let (session, _) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(
      hosts: [host], confirmation: try Confirmation(assumeYes: false, input: ScriptedInput(["n"])), journal: folder)
    #expect(ExitStatus.of(report) == 1)
    #expect(FixReport.run(report).contains("\nhealthy-2019: not changed (declined)\n"))
    #expect(fake.applyScripts.isEmpty)
  }

  @Test func groupPolicyControlledValueIsNotTouched() async throws {
    let fake = FixableHost(nla: 1, policy: 0)
    let (session, _) = try session(fake)
    let report = await session.dryRun(hosts: [host], showScript: false)
    #expect(ExitStatus.of(report) == 1)
    #expect(
      FixReport.run(report).contains(
        #"skipped nla-required: Group Policy sets HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\UserAuthentication = 0"#
      ))
  }

  @Test func anotherRunsLockStopsTheApply() async throws {
    let fake = FixableHost(nla: 0)
    fake.lockHeldBy = "20250601-115900-aaaaaa"
    let (session, _) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: [host], confirmation: try yes(), journal: folder)
    #expect(ExitStatus.of(report) == 4)
    #expect(fake.value == 0)
    #expect(FixReport.run(report).contains("another winaudit run (20250601-115900-aaaaaa"))
  }

  @Test func aDroppedConnectionLeavesAJournalRollbackCanUse() async throws {
    let fake = FixableHost(nla: 0)
    fake.dropApply = true
    let (session, _) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: [host], confirmation: try yes(), journal: folder)
    #expect(ExitStatus.of(report) == 4)
    #expect(FixReport.run(report).contains("connection lost while applying"))
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
    let (session, _) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: [host], confirmation: try yes(), journal: folder)
    #expect(ExitStatus.of(report) == 4)
    #expect(FixReport.run(report).contains("connection lost while applying"), "\(FixReport.run(report))")
    #expect(FixReport.run(report).contains("1 of 1 changes confirmed"), "\(FixReport.run(report))")
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
    let (session, _) = try session(fake)
    let folder = journalFolder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: [host], confirmation: try yes(), journal: folder)
    #expect(ExitStatus.of(report) == 4)
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
    let entries = try JournalReader.read(path: folder.path + "/" + file)
    #expect(entries.filter { $0.kind == .result }.isEmpty)
    let (_, plans) = try RollbackPlanner.plan(entries)
    #expect(plans.first?.maybeApplied == ["1"])
  }
}

/// Lines from several places, in the order they happened.
final class Log: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [String] = []
  var lines: [String] { lock.withLock { entries } }
  func add(_ line: String) { lock.withLock { entries.append(line) } }
}

/// Answers from a list, logging each question where it falls among the other events.
final class LoggedInput: ConfirmationInput {
  private var answers: [String]
  private let log: Log
  let isTerminal = true

  init(_ answers: [String], log: Log) {
    self.answers = answers
    self.log = log
  }

  func ask(_ prompt: String) -> String? {
    log.add("ask " + prompt)
    return answers.isEmpty ? nil : answers.removeFirst()
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
    let builtIn = try RemediationCatalogue.builtIn(for: Fixtures.baseline)
    #expect(builtIn.fixes.map(\.id) == (try RemediationFixtures.catalogue()).fixes.map(\.id))
    // Under a playbook of one's own, the built-in fixes for controls it lacks are left out, not reported.
    let own = try PlaybookLoader.parse(NamedFixTests.playbook, file: "named.yml")
    #expect(throws: DiagnosticsError.self) { try RemediationCatalogue.builtIn(for: own) }
    let ownWithoutDangling = try PlaybookLoader.parse(
      NamedFixTests.playbook.replacingOccurrences(of: ", no-such-fix]", with: "]"), file: "named.yml")
    #expect(try RemediationCatalogue.builtIn(for: ownWithoutDangling).fixes.map(\.id) == ["nla-required"])
  }
}
