import Foundation

/// `winaudit report merge`: joins the JSON reports (schema 2) of one audit split with `--shard K/N` into the report
/// one unsharded audit would have written, so any format can be rendered from it and its exit code decided as the
/// audit's would have been.
///
/// It refuses (each a `Problem` naming the file) what cannot be one fleet's report: a file that is not readable JSON
/// or not schema 2, reports of different playbooks (by SHA-256 of the playbook text, else by name), a host in two
/// reports, the same shard twice, shards of different counts. Hosts keep inventory order: by the `position` every
/// report records (the host's place in the selection before sharding) when all hosts have distinct ones, else by
/// name. The summary is recomputed from the hosts.
public enum ReportMerge {
  /// Why the reports cannot be merged; `file` is the report at fault.
  public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
  }

  /// One report to merge: where it came from (for messages) and its text.
  public struct Document: Sendable, Hashable {
    public var file: String
    public var text: String

    public init(file: String, text: String) {
      self.file = file
      self.text = text
    }
  }

  /// The merged report, and what the user should know about it (shards that are missing).
  public struct Merged: Sendable {
    public var report: AuditReport
    public var warnings: [String]
  }

  /// Reads `paths` and merges them; an unreadable file is a `Problem` naming it.
  public static func merge(paths: [String], runID: String = UUID().uuidString) throws(Problem) -> Merged {
    var documents: [Document] = []
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw Problem(file: path, message: "cannot be read (missing or not permitted)")
      }
      guard let text = String(data: data, encoding: .utf8) else {
        throw Problem(file: path, message: "not readable as JSON: not UTF-8 text")
      }
      documents.append(Document(file: path, text: text))
    }
    return try merge(documents, runID: runID)
  }

  /// Merges the documents' reports into one under a new run id; the run starts with the earliest report and ends
  /// with the latest, and has no shard.
  public static func merge(_ documents: [Document], runID: String = UUID().uuidString) throws(Problem) -> Merged {
    guard let first = documents.first else {
      throw Problem(file: "report merge", message: "give at least one JSON report to merge")
    }
    var reports: [(file: String, report: AuditReport)] = []
    for document in documents {
      do {
        reports.append((document.file, try JSONReportReader.read(document.text)))
      } catch {
        throw Problem(file: document.file, message: error.message)
      }
    }
    let base = reports[0].report.run
    var owner: [String: String] = [:]
    var shards: [Int: String] = [:]
    for (file, report) in reports {
      let run = report.run
      if run.playbookDigest != base.playbookDigest || run.playbookName != base.playbookName {
        throw Problem(
          file: file,
          message: "playbook \(describe(run)) differs from \(first.file)'s \(describe(base)): merge reports of one "
            + "audit (the same playbook)")
      }
      if let shard = run.shard {
        if let other = reports.compactMap({ $0.report.run.shard }).first, other.count != shard.count {
          throw Problem(
            file: file,
            message: "shard \(shard) is one of \(shard.count), but another report is shard \(other): merge the shards "
              + "of one sharding")
        }
        if let seen = shards.updateValue(file, forKey: shard.index) {
          throw Problem(file: file, message: "shard \(shard) again (also \(seen)): give each shard's report once")
        }
      }
      for host in report.hosts {
        if let seen = owner.updateValue(file, forKey: host.name) {
          throw Problem(
            file: file,
            message: "host \(host.name) is also in \(seen): each host must be in one report (shards of one "
              + "sharding never overlap)")
        }
      }
    }
    var warnings: [String] = []
    if let count = reports.compactMap({ $0.report.run.shard?.count }).first {
      let missing = (1...count).filter { shards[$0] == nil }
      if !missing.isEmpty {
        warnings.append(
          "shard\(missing.count == 1 ? "" : "s") " + missing.map { "\($0)/\(count)" }.joined(separator: ", ")
            + " missing: the merged report lacks \(missing.count == 1 ? "its" : "their") hosts")
      }
    }
    return Merged(report: combine(reports.map(\.report), runID: runID), warnings: warnings)
  }

  private static func describe(_ run: AuditRun) -> String {
    run.playbookName + (run.playbookDigest.map { " (sha256 \($0.prefix(12)))" } ?? "")
  }

  private static func combine(_ reports: [AuditReport], runID: String) -> AuditReport {
    var hosts = reports.flatMap(\.hosts)
    let positions = hosts.compactMap(\.position)
    if positions.count == hosts.count, Set(positions).count == positions.count {
      hosts.sort { $0.position! < $1.position! }
    } else {
      hosts.sort { ($0.name.lowercased(), $0.name) < ($1.name.lowercased(), $1.name) }
    }
    let start = reports.map(\.run.start).min() ?? Date()
    let end = reports.map { $0.run.start.addingTimeInterval($0.run.duration) }.max() ?? start
    let versions = Array(Set(reports.map(\.run.winauditVersion))).sorted()
    let inventories = Set(reports.map(\.run.inventory))
    let base = reports[0]
    let run = AuditRun(
      id: runID, start: start, duration: max(0, end.timeIntervalSince(start)),
      winauditVersion: versions.joined(separator: ", "), playbookName: base.run.playbookName,
      playbookDigest: base.run.playbookDigest, inventory: inventories.count == 1 ? base.run.inventory : nil)
    // The controls are the playbook's, the same in every report; one written before the list existed adds those seen.
    var controls = base.controls
    var known = Set(controls.map(\.id))
    for control in reports.flatMap(\.controls) where known.insert(control.id).inserted {
      controls.append(control)
    }
    var merged = AuditReport(playbook: base.playbook, hosts: hosts, run: run, controls: controls)
    merged.fixableControls = reports.reduce(into: Set<String>()) { $0.formUnion($1.fixableControls) }
    return merged
  }
}
