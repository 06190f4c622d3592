import Foundation
import Testing

@testable import WinAudit

@Suite struct JournalTests {
  /// The host a journal line names.
  static let connection = InventoryHost(name: "h", address: "127.0.0.1", user: "root", identity: "/k")

  /// A thread-safe call counter for the failing write.
  final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
      lock.lock()
      defer { lock.unlock() }
      value += 1
      return value - 1
    }
  }

  /// A registry value read back after a step.
  static let observed = RemediationFixtures.json(#"{"exists": true, "type": "DWord", "value": 7}"#)

  private func temporaryDirectory() -> JournalDirectory {
    JournalDirectory(path: FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID())").path)
  }

  @Test func linesRoundTripInOrder() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    let run = RunID()
    let writer = try JournalWriter(directory: directory, run: run)
    let host = InventoryHost(name: "h", address: "127.0.0.1", user: "root", identity: "/k")
    let step = RemediationScriptSamples.steps[0]
    try writer.append(JournalEntry(kind: .run, run: run.text, command: "fix"))
    try writer.append(JournalEntry(kind: .host, run: run.text, host: "h", connection: host))
    try writer.append(JournalEntry(kind: .intent, run: run.text, host: "h", step: step))
    try writer.append(
      JournalEntry(kind: .result, run: run.text, host: "h", stepID: "1", status: "ok", after: Self.observed))
    let entries = try JournalReader.read(directory: directory, run: run)
    #expect(entries.map(\.kind) == [.run, .host, .intent, .result])
    #expect(entries[2].step == step)
    #expect(entries[1].connection == host)
    #expect(entries[3].after == Self.observed)
    let mode = try FileManager.default.attributesOfItem(atPath: writer.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test func aRunFileIsNeverReused() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    let run = RunID()
    _ = try JournalWriter(directory: directory, run: run)
    #expect(throws: JournalError.self) { try JournalWriter(directory: directory, run: run) }
  }

  @Test func aLastLineCutShortByACrashIsIgnored() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    let run = RunID()
    let writer = try JournalWriter(directory: directory, run: run)
    try writer.append(JournalEntry(kind: .run, run: run.text, command: "fix"))
    let handle = try #require(FileHandle(forWritingAtPath: writer.path))
    handle.seekToEndOfFile()
    handle.write(Data(#"{"kind":"intent","run":"#.utf8))
    try handle.close()
    #expect(try JournalReader.read(path: writer.path).count == 1)
  }

  /// A disk that fills mid-line and frees again (ENOSPC), or a file-size limit (`ulimit -f`: EFBIG, winaudit ignores
  /// SIGXFSZ): the failed write is cut back to the last whole line, so later lines follow a whole one and the journal
  /// reads back whole.
  @Test(arguments: [ENOSPC, EFBIG]) func aWriteThatFailsPartWayLeavesNoHalfLine(_ failure: Int32) throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    let run = RunID()
    let writer = try JournalWriter(directory: directory, run: run)
    try writer.append(JournalEntry(kind: .run, run: run.text, command: "fix"))
    let calls = Counter()
    writer.writeBytes = { descriptor, buffer, count in
      // The first call writes ten bytes, the next fails as a full disk does.
      if calls.next() == 0 { return write(descriptor, buffer, min(10, count)) }
      errno = failure
      return -1
    }
    let error = #expect(throws: JournalError.self) {
      try writer.append(JournalEntry(kind: .host, run: run.text, host: "h", connection: Self.connection))
    }
    #expect(error?.message.contains(String(cString: strerror(failure))) == true, "\(String(describing: error))")
    writer.writeBytes = { write($0, $1, $2) }
    try writer.append(JournalEntry(kind: .host, run: run.text, host: "h2", connection: Self.connection))
    let entries = try JournalReader.read(path: writer.path)
    #expect(entries.map(\.kind) == [.run, .host])
    #expect(entries.last?.host == "h2")
  }

  /// `fix --apply` proves the journal folder usable before any host is contacted: created when missing, refused when
  /// it is a file or lies under one.
  @Test func aJournalFolderIsProvedWritableFirst() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    let nested = JournalDirectory(path: directory.path + "/a/b")
    try nested.prepare()
    #expect(try FileManager.default.contentsOfDirectory(atPath: nested.path).isEmpty)
    let file = directory.path + "/file"
    #expect(FileManager.default.createFile(atPath: file, contents: Data()))
    #expect(throws: JournalError.self) { try JournalDirectory(path: file).prepare() }
    #expect(throws: JournalError.self) { try JournalDirectory(path: file + "/journal").prepare() }
  }

  @Test func defaultFolderFollowsXDG() {
    #expect(JournalDirectory.default(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/winaudit")
    #expect(JournalDirectory.default(environment: ["HOME": "/h"]).path == "/h/.local/state/winaudit")
    #expect(
      JournalDirectory.default(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]).path
        == "/h/.local/state/winaudit")
  }

  @Test func runIDsAreSortableAndSafe() throws {
    let id = RunID(date: RemediationFixtures.now)
    #expect(id.text.hasPrefix("20250601-120000-"))
    #expect(try RunID(parsing: id.text) == id)
    #expect(throws: UsageError.self) { try RunID(parsing: "../etc/passwd") }
    #expect(throws: UsageError.self) { try RunID(parsing: "") }
  }
}

@Suite struct RollbackPlannerTests {
  @Test func undoesInReverseIncludingStepsWithNoResult() throws {
    let host = InventoryHost(name: "h", address: "a", user: "u")
    let steps = Array(RemediationScriptSamples.steps.prefix(3))
    var entries = [
      JournalEntry(kind: .run, run: "r", command: "fix"),
      JournalEntry(kind: .host, run: "r", host: "h", connection: host),
    ]
    entries += steps.map { JournalEntry(kind: .intent, run: "r", host: "h", step: $0) }
    let observed = JournalTests.observed
    entries.append(JournalEntry(kind: .result, run: "r", host: "h", stepID: "1", status: "ok", after: observed))
    entries.append(JournalEntry(kind: .result, run: "r", host: "h", stepID: "2", status: "error", message: "boom"))
    // Step 3 has no result: the connection dropped.
    let (run, plans) = try RollbackPlanner.plan(entries)
    #expect(run == "r")
    let plan = try #require(plans.first)
    #expect(plan.steps.map(\.id) == ["3", "2", "1"])
    #expect(plan.steps.allSatisfy { $0.direction == .undo })
    #expect(plan.maybeApplied == ["3"])
    let undone = try #require(plan.steps[2].change.base as? RegistryValueChange)
    let original = try #require(steps[0].change.base as? RegistryValueChange)
    #expect(undone.before == RegistryValueState(.dword(7)))
    #expect(undone.after == original.before)
  }

  @Test func rollingBackARollbackReappliesTheChange() throws {
    let step = RemediationScriptSamples.steps[7]
    let twice = step.inverse(observedAfter: nil).inverse(observedAfter: nil)
    #expect(twice == step)
  }

  @Test func aFileThatIsNotAJournalIsRejected() {
    #expect(throws: JournalError.self) { try RollbackPlanner.plan([]) }
  }
}
