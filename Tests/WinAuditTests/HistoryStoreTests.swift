import Foundation
import Testing

@testable import WinAudit

@Suite("Audit history")
struct HistoryStoreTests {
  func folder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-history-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
    return path.path
  }

  static func report(nla: FindingStatus, reachable: Bool = true) -> AuditReport {
    let finding = Finding(
      controlID: "nla-required", title: "NLA", severity: .high, status: nla, expected: "1",
      actual: nla == .drift ? "0" : "1")
    let other = Finding(controlID: "rdp-allowed", title: "RDP", severity: .critical, status: .pass)
    let web =
      reachable
      ? HostAudit(
        name: "web-01", address: "10.0.0.1", status: nla == .drift ? .drift : .compliant,
        findings: [
          finding, other,
        ])
      : HostAudit(name: "web-01", address: "10.0.0.1", status: .unreachable, error: "connection refused")
    return AuditReport(playbook: "rdp-baseline", hosts: [web])
  }

  @Test func recordsRunsAndDiffsThem() throws {
    let path = folder() + "/history.sqlite"
    let store = try HistoryStore(path: path)
    try store.record(Self.report(nla: .pass), inventory: "/inv.yml", started: Fixtures.now)
    try store.record(Self.report(nla: .drift), inventory: "/inv.yml", started: Fixtures.now.addingTimeInterval(60))
    #expect(try store.runs().count == 2)
    var diff = try HistoryDiff.latest(in: store)
    #expect(diff.changes == [.newDrift(host: "web-01", control: "nla-required", actual: "0")])
    try store.record(
      Self.report(nla: .drift, reachable: false), inventory: "/inv.yml", started: Fixtures.now.addingTimeInterval(120))
    diff = try HistoryDiff.latest(in: store)
    #expect(diff.changes == [.newlyUnreachable(host: "web-01", error: "connection refused")])
    try store.record(Self.report(nla: .pass), inventory: "/inv.yml", started: Fixtures.now.addingTimeInterval(180))
    let runs = try store.runs()
    diff = try HistoryDiff.between(runs[2].id, runs[0].id, in: store)
    #expect(diff.changes == [.fixed(host: "web-01", control: "nla-required")])
    #expect(try store.timeline(host: "web-01", control: "nla-required").map(\.status) == ["pass", "drift", "pass"])
    #expect(HistoryReport.diff(diff).contains("fixed         web-01  nla-required"))
  }

  @Test func concurrentWritersNeverCorruptIt() async throws {
    let path = folder() + "/history.sqlite"
    await withTaskGroup(of: Void.self) { group in
      for index in 0..<8 {
        group.addTask {
          let store = try? HistoryStore(path: path)
          _ = try? store?.record(
            Self.report(nla: .pass), inventory: "/inv.yml", started: Fixtures.now.addingTimeInterval(Double(index)))
        }
      }
    }
    #expect(try HistoryStore(path: path).runs().count == 8)
  }

  @Test func whatIsNotAHistoryIsReportedAndLeftUntouched() throws {
    let garbage = folder() + "/garbage.sqlite"
    let bytes = Data("this is not a database, it is a text file that happens to be long enough".utf8)
    try bytes.write(to: URL(fileURLWithPath: garbage))
    #expect(throws: HistoryError.self) { try HistoryStore(path: garbage) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: garbage)) == bytes)

    // A newer winaudit's history: refused, not migrated down.
    let newer = folder() + "/newer.sqlite"
    _ = try HistoryStore(path: newer)
    let store = try HistoryStore(path: newer)
    _ = store
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    sqlite.arguments = [
      "python3", "-c",
      "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
        + "c.execute(\"UPDATE winaudit_meta SET value='99' WHERE key='schema'\"); c.commit()", newer,
    ]
    try sqlite.run()
    sqlite.waitUntilExit()
    #expect(sqlite.terminationStatus == 0)
    #expect {
      try HistoryStore(path: newer)
    } throws: { error in
      (error as? HistoryError)?.message.contains("newer than this winaudit") == true
    }

    // Another program's database: refused.
    let foreign = folder() + "/foreign.sqlite"
    let other = Process()
    other.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    other.arguments = [
      "python3", "-c",
      "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
        + "c.execute('CREATE TABLE t (x)'); c.commit()", foreign,
    ]
    try other.run()
    other.waitUntilExit()
    #expect {
      try HistoryStore(path: foreign)
    } throws: { error in
      (error as? HistoryError)?.message.contains("not a winaudit history") == true
    }
  }
}
