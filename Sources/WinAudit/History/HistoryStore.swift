import Foundation
import GRDB

/// Every audit's results in a local SQLite database (`$XDG_STATE_HOME/winaudit/history.sqlite`), so `winaudit history`
/// can show a host's controls over time and `winaudit diff` what changed between two audits.
///
/// WAL mode with GRDB's one-writer pool: concurrent audits never corrupt it, and a reader never blocks a writer. A file
/// that is not a winaudit history (corrupt, another program's database, a newer schema) is reported and left
/// untouched: nothing here deletes or rewrites what it does not recognise.
public final class HistoryStore: Sendable {
  /// The schema this winaudit writes; a database with a higher one was written by a newer winaudit.
  static let schemaVersion = 1

  public let path: String
  private let pool: DatabasePool

  /// The database for this user, following the XDG base directory rules (beside the fix journals).
  public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    JournalDirectory.default(environment: environment).path + "/history.sqlite"
  }

  /// Opens the history at `path`, creating it (and its folder) when missing.
  public init(path: String) throws(HistoryError) {
    self.path = path
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw HistoryError("cannot create the history folder \(folder): \(error.localizedDescription)")
    }
    let existed = FileManager.default.fileExists(atPath: path)
    do {
      var configuration = Configuration()
      configuration.busyMode = .timeout(30)
      pool = try DatabasePool(path: path, configuration: configuration)
      try Self.prepare(pool, path: path, existed: existed)
    } catch let error as HistoryError {
      throw error
    } catch {
      throw HistoryError(
        "\(path) is not a usable winaudit history (\(error.localizedDescription)); it was left untouched: move it "
          + "away, or pass --no-history")
    }
  }

  /// Creates the tables of a new database; refuses one that is not ours or is newer.
  private static func prepare(_ pool: DatabasePool, path: String, existed: Bool) throws {
    try pool.write { db in
      let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
      if tables.contains("winaudit_meta") {
        let version = try Int.fetchOne(db, sql: "SELECT value FROM winaudit_meta WHERE key = 'schema'") ?? 0
        guard version <= schemaVersion else {
          throw HistoryError(
            "\(path) has history schema \(version), newer than this winaudit's (\(schemaVersion)): it was left "
              + "untouched; use a newer winaudit, or pass --no-history")
        }
        return
      }
      guard tables.isEmpty else {
        throw HistoryError(
          "\(path) is an SQLite database but not a winaudit history: it was left untouched; pass another --history "
            + "file or --no-history")
      }
      try db.execute(
        sql: """
          CREATE TABLE winaudit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          INSERT INTO winaudit_meta (key, value) VALUES ('schema', '\(schemaVersion)');
          CREATE TABLE runs (
            id TEXT PRIMARY KEY, started TEXT NOT NULL, inventory TEXT NOT NULL, playbook TEXT NOT NULL,
            hosts INTEGER NOT NULL, compliant INTEGER NOT NULL, drift INTEGER NOT NULL, error INTEGER NOT NULL);
          CREATE TABLE hosts (
            run TEXT NOT NULL REFERENCES runs(id), host TEXT NOT NULL, address TEXT NOT NULL, status TEXT NOT NULL,
            error TEXT, PRIMARY KEY (run, host));
          CREATE TABLE results (
            run TEXT NOT NULL REFERENCES runs(id), host TEXT NOT NULL, control TEXT NOT NULL, status TEXT NOT NULL,
            expected TEXT, actual TEXT, source TEXT, PRIMARY KEY (run, host, control));
          CREATE INDEX results_host_control ON results (host, control);
          CREATE INDEX runs_inventory ON runs (inventory, started);
          """)
    }
  }

  /// Records one audit; returns its run id.
  @discardableResult
  public func record(_ report: AuditReport, inventory: String, started: Date) throws(HistoryError) -> HistoryRun {
    let summary = report.summary
    let run = HistoryRun(
      id: RunID(date: started).text, started: ISODate.roundTrip(started), inventory: inventory,
      playbook: report.playbook, hosts: summary.hosts, compliant: summary.compliant, drift: summary.drift,
      error: summary.error)
    do {
      try pool.write { db in
        try db.execute(
          sql: "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          arguments: [
            run.id, run.started, run.inventory, run.playbook, run.hosts, run.compliant, run.drift, run.error,
          ])
        for host in report.hosts {
          try db.execute(
            sql: "INSERT INTO hosts VALUES (?, ?, ?, ?, ?)",
            arguments: [run.id, host.name, host.address, host.status.rawValue, host.error])
          for finding in host.findings {
            try db.execute(
              sql: "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
              arguments: [
                run.id, host.name, finding.controlID, finding.status.rawValue, finding.expected, finding.actual,
                finding.source?.rawValue,
              ])
          }
        }
      }
    } catch {
      throw HistoryError("recording the audit in \(path) failed: \(error.localizedDescription)")
    }
    return run
  }

  /// Runs, newest first (in the order they were recorded: two audits in the same second stay apart), at most `limit`,
  /// optionally only those that audited `host`.
  public func runs(host: String? = nil, limit: Int = 50) throws(HistoryError) -> [HistoryRun] {
    try read { db in
      let sql =
        host == nil
        ? "SELECT * FROM runs ORDER BY rowid DESC LIMIT ?"
        : "SELECT runs.* FROM runs JOIN hosts ON hosts.run = runs.id WHERE hosts.host = ? "
          + "ORDER BY runs.rowid DESC LIMIT ?"
      let arguments: StatementArguments = host.map { [$0, limit] } ?? [limit]
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map(HistoryRun.init(row:))
    }
  }

  /// One host's (or every host's) status per control over time, oldest first.
  public func timeline(host: String?, control: String?) throws(HistoryError) -> [HistoryEntry] {
    try read { db in
      var conditions: [String] = []
      var arguments: [(any DatabaseValueConvertible)?] = []
      if let host {
        conditions.append("results.host = ?")
        arguments.append(host)
      }
      if let control {
        conditions.append("results.control = ?")
        arguments.append(control)
      }
      let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
      return try Row.fetchAll(
        db,
        sql: """
          SELECT runs.id AS run, runs.started AS started, results.host AS host, results.control AS control,
            results.status AS status, results.actual AS actual
          FROM results JOIN runs ON runs.id = results.run \(filter)
          ORDER BY runs.rowid, results.host, results.control
          """, arguments: StatementArguments(arguments)
      ).map(HistoryEntry.init(row:))
    }
  }

  /// The run with this id.
  public func run(_ id: String) throws(HistoryError) -> HistoryRun? {
    try read { db in try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]).map(HistoryRun.init)
    }
  }

  /// Every host's status and every finding of one run.
  func snapshot(_ id: String) throws(HistoryError) -> HistorySnapshot {
    try read { db in
      var snapshot = HistorySnapshot()
      for row in try Row.fetchAll(db, sql: "SELECT host, status, error FROM hosts WHERE run = ?", arguments: [id]) {
        snapshot.hosts[row["host"]] = HistorySnapshot.Host(status: row["status"], error: row["error"])
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT host, control, status, actual FROM results WHERE run = ?", arguments: [id])
      {
        snapshot.results[HistorySnapshot.Key(host: row["host"], control: row["control"])] =
          HistorySnapshot.Result(status: row["status"], actual: row["actual"])
      }
      return snapshot
    }
  }

  private func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
    do {
      return try pool.read(body)
    } catch {
      throw HistoryError("reading the history \(path) failed: \(error.localizedDescription)")
    }
  }
}

/// One recorded audit.
public struct HistoryRun: Sendable, Hashable {
  public var id: String
  public var started: String
  public var inventory: String
  public var playbook: String
  public var hosts: Int
  public var compliant: Int
  public var drift: Int
  public var error: Int

  init(
    id: String, started: String, inventory: String, playbook: String, hosts: Int, compliant: Int, drift: Int,
    error: Int
  ) {
    self.id = id
    self.started = started
    self.inventory = inventory
    self.playbook = playbook
    self.hosts = hosts
    self.compliant = compliant
    self.drift = drift
    self.error = error
  }

  init(row: Row) {
    self.init(
      id: row["id"], started: row["started"], inventory: row["inventory"], playbook: row["playbook"],
      hosts: row["hosts"], compliant: row["compliant"], drift: row["drift"], error: row["error"])
  }
}

/// One control on one host in one run.
public struct HistoryEntry: Sendable, Hashable {
  public var run: String
  public var started: String
  public var host: String
  public var control: String
  public var status: String
  public var actual: String?

  init(row: Row) {
    run = row["run"]
    started = row["started"]
    host = row["host"]
    control = row["control"]
    status = row["status"]
    actual = row["actual"]
  }
}

/// A history that cannot be opened, read or written: the message says what to do.
public struct HistoryError: Error, Sendable, CustomStringConvertible {
  public var message: String
  init(_ message: String) { self.message = message }
  public var description: String { message }
}
