import Foundation
import RemotePowerShell
import Testing

@testable import WinAudit

/// `--batch` and `--max-fail` for fix and rollback, the summary at the end of a run, `--only` scoping, and rollback's
/// check of values changed since the run: with the scripted connector and `FixableHost`.
@Suite struct FleetRolloutTests {
  static func hosts(_ count: Int) -> [InventoryHost] {
    (1...count).map { InventoryHost(name: "host-\($0)", address: "127.0.10.\($0)", port: 2222, user: "root") }
  }

  static func yes() throws -> WinAudit.Confirmation {
    try Confirmation(assumeYes: true, input: ScriptedInput([]))
  }

  static func folder() -> JournalDirectory {
    JournalDirectory(path: FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID())").path)
  }

  /// A fleet of `FixableHost`s behind one scripted connector, planning nla-required only.
  static func session(
    _ fakes: [String: FixableHost], rollout: Rollout = Rollout(), only: Set<String> = ["nla-required"]
  ) throws -> FixSession {
    let connector = ScriptedHostConnector { host, script in fakes[host.name]!.respond(script) }
    let planner = Planner(catalogue: try RemediationFixtures.catalogue(), options: .init(only: only))
    let runner = FixRunner(connector: connector, playbook: Fixtures.baseline, planner: planner, now: { Fixtures.now })
    return FixSession(runner: runner, rollout: rollout)
  }

  static func rollback(_ fakes: [String: FixableHost], force: Bool = false, rollout: Rollout = Rollout())
    -> RollbackSession
  {
    RollbackSession(
      connector: ScriptedHostConnector { host, script in fakes[host.name]!.respond(script) }, now: { Fixtures.now },
      rollout: rollout, force: force, playbook: Fixtures.baseline)
  }

  // MARK: Flags

  @Test(arguments: [
    ("2", HostShare.count(2)), ("25%", .percent(25)), ("100%", .percent(100)), ("1", .count(1)),
  ])
  func validShares(text: String, share: HostShare) throws {
    #expect(try HostShare(parsing: text, option: "--batch") == share)
  }

  @Test(arguments: ["0", "-1", "0%", "101%", "abc", "", "2.5", "%", "1e3", "²"])
  func invalidSharesAreUsageErrors(text: String) {
    #expect(throws: UsageError.self) { try HostShare(parsing: text, option: "--max-fail") }
  }

  @Test func batchesFollowInventoryOrderAndPercentagesRoundUp() {
    #expect(Rollout(batch: .count(2)).batches(of: 5) == [0..<2, 2..<4, 4..<5])
    #expect(Rollout(batch: .percent(40)).batches(of: 5) == [0..<2, 2..<4, 4..<5])
    #expect(Rollout(batch: .percent(10)).batches(of: 5) == [0..<1, 1..<2, 2..<3, 3..<4, 4..<5])
    #expect(Rollout().batches(of: 3) == [0..<3])
    #expect(Rollout().batches(of: 0) == [])
    #expect(Rollout(maxFail: .percent(10)).failureLimit(of: 30) == 3)
    #expect(Rollout(maxFail: .percent(1)).failureLimit(of: 5) == 1)
    #expect(Rollout().failureLimit(of: 5) == nil)
  }

  // MARK: Batches and --max-fail

  /// Four hosts in batches of two, host-2's apply finds another run's lock (a failed host): host-1 and host-2 run,
  /// host-3 and host-4 are not started (unchanged, journaled as such), exit 4.
  @Test func maxFailStopsAfterTheBatchWithTheFailure() async throws {
    let fakes = Dictionary(uniqueKeysWithValues: Self.hosts(4).map { ($0.name, FixableHost(nla: 0)) })
    fakes["host-2"]!.lockHeldBy = "20250601-115900-aaaaaa"
    let session = try Self.session(fakes, rollout: Rollout(batch: .count(2), maxFail: .count(1)))
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: Self.hosts(4), confirmation: try Self.yes(), journal: folder)
    #expect(ExitStatus.of(report) == 4)
    #expect(fakes["host-1"]!.value == 1 && fakes["host-2"]!.value == 0)
    #expect(fakes["host-3"]!.value == 0 && fakes["host-4"]!.value == 0)
    #expect(fakes["host-3"]!.applyScripts.isEmpty && fakes["host-4"]!.applyScripts.isEmpty)
    #expect(report.hosts.map { $0.outcome?.status.word } == ["applied", "locked", "not-started", "not-started"])
    let summary = FixSummary(report)
    #expect(summary.hosts.map(\.result) == [.converged, .failed, .notStarted, .notStarted])
    let text = FixReport.run(report)
    #expect(text.contains("host-3: not started: 1 host failed (--max-fail 1)"), "\(text)")
    #expect(text.contains("summary (4 hosts: 1 converged, 1 failed, 2 not started)"), "\(text)")
    let entries = try JournalReader.read(path: try #require(report.journal))
    let ends = entries.filter { $0.kind == .end }
    #expect(ends.filter { $0.status == "not-started" }.compactMap(\.host).sorted() == ["host-3", "host-4"])
  }

  /// A host unreachable at planning counts against --max-fail from the start of its batch.
  @Test func anUnreachableHostCountsAsAFailure() async throws {
    let fakes = Dictionary(uniqueKeysWithValues: Self.hosts(3).map { ($0.name, FixableHost(nla: 0)) })
    let connector = ScriptedHostConnector { host, script in
      host.name == "host-1" ? .refuse("connection refused") : fakes[host.name]!.respond(script)
    }
    let planner = Planner(catalogue: try RemediationFixtures.catalogue(), options: .init(only: ["nla-required"]))
    let runner = FixRunner(connector: connector, playbook: Fixtures.baseline, planner: planner, now: { Fixtures.now })
    let session = FixSession(runner: runner, rollout: Rollout(batch: .count(1), maxFail: .count(1)))
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: Self.hosts(3), confirmation: try Self.yes(), journal: folder)
    #expect(ExitStatus.of(report) == 4)
    #expect(fakes["host-2"]!.value == 0 && fakes["host-3"]!.value == 0)
    #expect(FixSummary(report).hosts.map(\.result) == [.failed, .notStarted, .notStarted])
  }

  /// Batches are barriers: every intent of a batch is journaled after every end line of the batch before, whatever
  /// the concurrency.
  @Test func aBatchStartsOnlyAfterThePreviousOneEnded() async throws {
    let fakes = Dictionary(uniqueKeysWithValues: Self.hosts(5).map { ($0.name, FixableHost(nla: 0)) })
    let session = try Self.session(fakes, rollout: Rollout(batch: .count(2)))
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(hosts: Self.hosts(5), confirmation: try Self.yes(), journal: folder)
    #expect(ExitStatus.of(report) == 0)
    let entries = try JournalReader.read(path: try #require(report.journal))
    let batches = [["host-1", "host-2"], ["host-3", "host-4"], ["host-5"]]
    for (earlier, later) in zip(batches, batches.dropFirst()) {
      let lastEnd = try #require(entries.lastIndex { $0.kind == .end && earlier.contains($0.host ?? "") })
      let firstIntent = try #require(entries.firstIndex { $0.kind == .intent && later.contains($0.host ?? "") })
      #expect(lastEnd < firstIntent)
    }
  }

  /// Rollback in batches with --max-fail: an unreachable host stops the next batch.
  @Test func rollbackHonoursBatchesAndMaxFail() async throws {
    let fakes = Dictionary(uniqueKeysWithValues: Self.hosts(4).map { ($0.name, FixableHost(nla: 0)) })
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let applied = try await Self.session(fakes).apply(
      hosts: Self.hosts(4), confirmation: try Self.yes(), journal: folder)
    let entries = try JournalReader.read(path: try #require(applied.journal))
    let gone = ScriptedHostConnector { host, script in
      host.name == "host-1" ? .refuse("connection refused") : fakes[host.name]!.respond(script)
    }
    let rollback = RollbackSession(
      connector: gone, now: { Fixtures.now }, rollout: Rollout(batch: .count(2), maxFail: .count(1)))
    let report = try await rollback.rollback(entries, limit: nil, confirmation: try Self.yes(), journal: folder)
    #expect(ExitStatus.of(report) == 4)
    #expect(fakes["host-2"]!.value == 0)
    #expect(fakes["host-3"]!.value == 1 && fakes["host-4"]!.value == 1)
    let json = RollbackJSONReport(report)
    #expect(json.hosts.map(\.result) == [.failed, .rolledBack, .notStarted, .notStarted])
  }

  // MARK: The summary

  /// Converged, Group Policy, declined and --only in one run: each host's result and why drift remains, in text and
  /// JSON alike.
  @Test func theSummarySaysWhatIsLeftAndWhy() async throws {
    let fakes = [
      "host-1": FixableHost(nla: 0), "host-2": FixableHost(nla: 1, policy: 0), "host-3": FixableHost(nla: 0),
      "host-4": FixableHost(nla: 1),
    ]
    fakes["host-4"]!.extraFacts = ["credsspOracle": Fixtures.registry(.int(2))]
    let session = try Self.session(fakes)
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let report = try await session.apply(
      hosts: Self.hosts(4), confirmation: try Confirmation(assumeYes: false, input: ScriptedInput(["y", "n"])),
      journal: folder)
    let summary = FixSummary(report)
    #expect(summary.hosts.map(\.result) == [.converged, .drift, .declined, .drift])
    #expect(summary.hosts[1].drift.map(\.reason).contains(.groupPolicy))
    #expect(summary.hosts[3].drift.map(\.reason) == [.outsideOnly])
    #expect(ExitStatus.of(report) == 1)
    let text = FixReport.run(report)
    #expect(text.contains("summary (4 hosts: 1 converged, 2 drift, 1 declined)"), "\(text)")
    #expect(text.contains("nla-required: Group Policy owns the value"), "\(text)")
    #expect(text.contains("host-4 (127.0.10.4): drift outside --only (1 control)"), "\(text)")
    #expect(text.contains("drift outside --only (1 control: credssp-not-vulnerable)"), "\(text)")
    #expect(!text.contains("compliant, nothing to fix"), "\(text)")
    let json = FixJSONReport(report)
    #expect(json.mode == "apply" && json.exitCode == 1)
    #expect(json.hosts.map(\.result) == [.converged, .drift, .declined, .drift])
    #expect(json.hosts[3].driftOutsideOnly == ["credssp-not-vulnerable"])
    #expect(json.hosts[0].verify?.first?.result == "converged")
    #expect(json.summary.converged == 1 && json.summary.drift == 2 && json.summary.declined == 1)
    // The document parses back to the same values.
    let decoded = try JSONDecoder().decode(FixJSONReport.self, from: Data(json.json().utf8))
    #expect(decoded == json)
  }

  /// --only: a host whose only drift is outside the selection is never "compliant", in a dry run either.
  @Test func driftOutsideOnlyIsNeverCompliant() async throws {
    let fake = FixableHost(nla: 1)
    fake.extraFacts = ["credsspOracle": Fixtures.registry(.int(2))]
    let session = try Self.session(["host-1": fake])
    let report = await session.dryRun(hosts: Self.hosts(1))
    #expect(ExitStatus.of(report) == 1)
    let text = FixReport.run(report)
    #expect(text.contains("host-1 (127.0.10.1): drift outside --only (1 control)"), "\(text)")
    #expect(!text.contains("compliant"), "\(text)")
    let json = FixJSONReport(report)
    #expect(json.mode == "dry-run" && json.hosts.first?.result == .drift)
    #expect(json.hosts.first?.drift.map(\.reason) == [.outsideOnly])
  }

  // MARK: Safe rollback

  /// A value changed by hand after the run: rollback skips it with a warning and changes nothing (exit 1); --force
  /// restores it; a third rollback says the run was already rolled back and changes nothing.
  @Test func aValueChangedSinceTheRunIsSkippedUnlessForced() async throws {
    let fake = FixableHost(nla: 0)
    let fakes = ["host-1": fake]
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let applied = try await Self.session(fakes).apply(
      hosts: Self.hosts(1), confirmation: try Self.yes(), journal: folder)
    let entries = try JournalReader.read(path: try #require(applied.journal))
    #expect(fake.value == 1)
    fake.set(2)
    let scriptsBefore = fake.applyScripts.count

    let careful = try await Self.rollback(fakes).rollback(
      entries, limit: nil, confirmation: try Self.yes(), journal: folder)
    #expect(fake.value == 2)
    #expect(fake.applyScripts.count == scriptsBefore)
    #expect(ExitStatus.of(careful) == 1)
    let text = RollbackReport.run(careful)
    #expect(text.contains("host-1: rolled back 0 of 1 change; 1 skipped: changed since this run"), "\(text)")
    #expect(
      text.contains(
        "skipped: changed since: now 2 (DWord), this run wrote 1 (DWord) (--force restores it)"), "\(text)")
    #expect(RollbackJSONReport(careful).hosts.first?.steps.first?.result == "changed-since")
    #expect(RollbackJSONReport(careful).hosts.first?.result == .partlyRolledBack)

    let forced = try await Self.rollback(fakes, force: true).rollback(
      entries, limit: nil, confirmation: try Self.yes(), journal: folder)
    #expect(fake.value == 0)
    #expect(ExitStatus.of(forced) == 0)
    let forcedText = RollbackReport.run(forced)
    #expect(forcedText.contains("restored anyway (--force)"), "\(forcedText)")
    // The touched control audited again on the same connection: drifting, as before the fix.
    #expect(forcedText.contains("  re-audit nla-required: drift"), "\(forcedText)")

    let again = try await Self.rollback(fakes, force: true).rollback(
      entries, limit: nil, confirmation: try Self.yes(), journal: folder)
    #expect(again.run == nil)
    #expect(ExitStatus.of(again) == 0)
    #expect(RollbackReport.run(again).hasPrefix("run \(try #require(applied.run).text) was already rolled back"))
    #expect(fake.value == 0)
  }

  /// The decision itself: as written -> sent; already restored -> nothing sent; changed -> skipped (sent with force);
  /// a later step on a changed target follows the first.
  @Test func theStaleDecisionPerTarget() throws {
    let value = RegistryValueRef(path: #"HKLM:\SOFTWARE\X"#, name: "V")
    let other = RegistryValueRef(path: #"HKLM:\SOFTWARE\X"#, name: "W")
    func undo(_ id: String, _ ref: RegistryValueRef, wrote: Int64, back: Int64) -> FixStep {
      FixStep(
        id: id, fix: "f", control: "c",
        change: AnyChange(
          RegistryValueChange(value: ref, before: .init(.dword(wrote)), after: .init(.dword(back)))),
        direction: .undo)
    }
    let steps = [
      undo("3", value, wrote: 3, back: 2), undo("2", value, wrote: 2, back: 1), undo("1", other, wrote: 1, back: 0),
    ]
    func reads(_ v: Int64, _ w: Int64) -> HostReads {
      HostReads([
        .registryValue(value): RemediationFixtures.json(#"{"exists": true, "type": "DWord", "value": \#(v)}"#),
        .registryValue(other): RemediationFixtures.json(#"{"exists": true, "type": "DWord", "value": \#(w)}"#),
      ])
    }
    let asWritten = RollbackSession.decide(steps, current: reads(3, 1), force: false)
    #expect(asWritten.send.map(\.id) == ["3", "2", "1"] && asWritten.changedSince.isEmpty)
    let restored = RollbackSession.decide(steps, current: reads(3, 0), force: false)
    #expect(restored.send.map(\.id) == ["3", "2"] && restored.alreadyRestored == ["1"])
    let changed = RollbackSession.decide(steps, current: reads(9, 1), force: false)
    #expect(changed.send.map(\.id) == ["1"])
    #expect(changed.changedSince.map(\.step.id) == ["3", "2"])
    #expect(changed.changedSince.first?.now == "9 (DWord)" && changed.changedSince.first?.wrote == "3 (DWord)")
    let forced = RollbackSession.decide(steps, current: reads(9, 1), force: true)
    #expect(forced.send.map(\.id) == ["3", "2", "1"])
  }
}
