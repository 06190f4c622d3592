import Foundation

/// What a journal folder holds, run by run: for `winaudit runs`, so a RUN-ID is found again without reading journals.
public struct RunSummary: Sendable, Hashable {
  public var id: String
  /// When the run started (the run line's time, ISO 8601).
  public var started: String
  /// `fix` or `rollback`.
  public var command: String
  /// The run a rollback undoes.
  public var rollbackOf: String?
  public var hosts: [String]
  /// Steps the hosts reported done, and those they reported failed.
  public var applied: Int
  public var failed: Int
  /// Each host's end status (`applied`, `failed`, `dropped`, ...); hosts without one had their connection cut.
  public var outcomes: [String: String]
  /// Rollback runs that name this run.
  public var rolledBackBy: [String]
  /// Why the journal could not be read, when it could not: the run is still listed.
  public var problem: String?

  /// One word for the run: `applied`, `partly failed`, `interrupted`, `unreadable`.
  public var outcome: String {
    if problem != nil { return "unreadable" }
    if hosts.contains(where: { outcomes[$0] == nil }) { return "interrupted" }
    if failed > 0 || outcomes.values.contains(where: { $0 != "applied" && $0 != "nothing-to-do" }) {
      return "partly failed"
    }
    return "applied"
  }
}

public enum JournalRuns {
  /// Every run in `directory`, oldest first (RUN-IDs sort by time); a folder that does not exist has none.
  public static func list(_ directory: JournalDirectory) -> [RunSummary] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    var runs = names.filter { $0.hasSuffix(".jsonl") }.sorted().map { name in
      summary(id: String(name.dropLast(".jsonl".count)), path: directory.path + "/" + name)
    }
    for index in runs.indices {
      runs[index].rolledBackBy = runs.filter { $0.rollbackOf == runs[index].id }.map(\.id)
    }
    return runs
  }

  static func summary(id: String, path: String) -> RunSummary {
    var summary = RunSummary(
      id: id, started: "", command: "fix", hosts: [], applied: 0, failed: 0, outcomes: [:], rolledBackBy: [])
    let entries: [JournalEntry]
    do {
      entries = try JournalReader.read(path: path)
    } catch {
      summary.problem = error.message
      return summary
    }
    for entry in entries {
      switch entry.kind {
      case .run:
        summary.started = entry.at
        summary.command = entry.command ?? "fix"
        summary.rollbackOf = entry.rollbackOf
      case .host:
        if let host = entry.host, !summary.hosts.contains(host) { summary.hosts.append(host) }
      case .result:
        if entry.status == "ok" { summary.applied += 1 } else { summary.failed += 1 }
      case .end:
        if let host = entry.host { summary.outcomes[host] = entry.status ?? "ended" }
      case .intent:
        break
      }
    }
    return summary
  }

  /// One run for people: its kind and start, then per host each step's change and what the host reported.
  public static func describe(_ entries: [JournalEntry]) -> String {
    var lines: [String] = []
    var results: [String: [String: String]] = [:]
    var ends: [String: String] = [:]
    for entry in entries {
      if entry.kind == .result, let host = entry.host, let step = entry.stepID {
        results[host, default: [:]][step] = entry.status == "ok" ? "done" : "failed: " + (entry.message ?? "?")
      }
      if entry.kind == .end, let host = entry.host {
        ends[host] = (entry.status ?? "ended") + (entry.message.map { " (\($0))" } ?? "")
      }
    }
    // Hosts in the order they first appear (the run names them up front), each with its intents: the applies run in
    // parallel, so one host's lines may be interleaved with another's.
    var hosts: [String] = []
    var intents: [String: [FixStep]] = [:]
    for entry in entries {
      switch entry.kind {
      case .run:
        var line = "run \(entry.run): \(entry.command ?? "fix"), started \(entry.at)"
        if let original = entry.rollbackOf { line += ", undoes \(original)" }
        lines.append(line)
      case .host:
        if let host = entry.host, !hosts.contains(host) { hosts.append(host) }
      case .intent:
        guard let step = entry.step, let host = entry.host else { continue }
        intents[host, default: []].append(step)
      case .result, .end:
        break
      }
    }
    for host in hosts {
      lines.append("")
      lines.append("\(host): " + SafeText.line(ends[host] ?? "no end recorded (connection cut?)"))
      for step in intents[host] ?? [] {
        let state = results[host]?[step.id] ?? "no result (maybe applied)"
        lines.append("  \(step.id). \(step.fix): " + SafeText.line(step.summary) + ": " + SafeText.line(state))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
