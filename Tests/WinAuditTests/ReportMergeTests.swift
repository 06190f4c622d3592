import Foundation
import Testing

@testable import WinAudit

/// `winaudit report merge`: the JSON report carries everything every format shows, shards merge into the report of
/// one unsharded audit, and what cannot be one fleet's report is refused naming the file.
@Suite("Report merge")
struct ReportMergeTests {
  /// The sample fleet with positions recorded, as `winaudit audit` writes it.
  static func fleet(waivers: Waivers = Waivers([])) async -> AuditReport {
    var report = await SampleFleet.report(waivers: waivers).0
    report.recordPositions(in: SampleFleet.hosts)
    return report
  }

  /// The report `audit --shard K/N` would have written for the same audit.
  static func shard(_ report: AuditReport, _ index: Int, of count: Int) throws -> AuditReport {
    let shard = try Shard(index: index, count: count)
    var slice = report
    slice.hosts = report.hosts.filter { shard.contains($0.name) }
    slice.run.shard = shard
    slice.run.id = "shard-\(index)"
    return slice
  }

  static func document(_ report: AuditReport, _ file: String) -> ReportMerge.Document {
    ReportMerge.Document(file: file, text: ReportFormat.json.render(report))
  }

  /// Every format rendered from the JSON read back is byte for byte the format rendered from the audit itself:
  /// findings with expected/actual/source/severity, fix availability, references, waivers (held and expired),
  /// skipped controls, errors, unreachable hosts, hosts judged only from outside, hostile values.
  @Test func theJSONReportCarriesEverythingEveryFormatShows() async throws {
    var outside = HostAudit(
      name: "outside-only", address: "10.0.0.9", status: .unreachable, error: "connection refused",
      findings: [
        Finding(controlID: "rdp-answers-from-here", title: "RDP answers", severity: .critical, status: .pass)
      ])
    outside.outsideOnly = true
    outside.duration = 1.25
    outside.tags = ["dmz"]
    var hostile = HTMLReportTests.hostile
    hostile.hosts.append(outside)
    hostile.fixableControls = ["nla-required"]
    let reports = [
      await Self.fleet(), await Self.fleet(waivers: WaiverTests.nlaWaiver(expires: "2099-12-31")),
      await Self.fleet(waivers: WaiverTests.nlaWaiver(expires: "2001-01-31")), hostile,
    ]
    for report in reports {
      let read = try JSONReportReader.read(ReportFormat.json.render(report))
      for format in ReportFormat.allCases {
        let original = format.render(report, showAll: true)
        let again = format.render(read, showAll: true)
        #expect(again == original, "\(format): \(References.diff(original, again))")
      }
      #expect(ExitStatus.of(read) == ExitStatus.of(report))
    }
    // The skipped controls' reasons, the references and the fix list are really there (not just equally absent).
    let fleet = try JSONReportReader.read(ReportFormat.json.render(await Self.fleet()))
    #expect(fleet.hosts.flatMap(\.findings).contains { $0.status == .skipped && $0.message != nil })
    #expect(fleet.controls.contains { !$0.references.isEmpty })
    #expect(!fleet.fixableControls.isEmpty)
    #expect(fleet.hosts.map(\.position) == Array(1...SampleFleet.hosts.count))
  }

  /// Three shards merged are the unsharded report: the same JSON (the run of the sample fleet's clock stands still
  /// and the merge is given its id), text, JUnit, HTML and CSV, and the same exit code, whatever order the files come
  /// in.
  @Test func threeShardsMergedAreTheUnshardedReport() async throws {
    let whole = await Self.fleet()
    let shards = try (1...3).map { try Self.shard(whole, $0, of: 3) }
    #expect(shards.allSatisfy { !$0.hosts.isEmpty }, "the sample fleet should spread over three shards")
    for order in [[0, 1, 2], [2, 0, 1]] {
      let merged = try ReportMerge.merge(
        order.map { Self.document(shards[$0], "shard-\($0 + 1).json") }, runID: SampleFleet.runID)
      #expect(merged.warnings.isEmpty)
      for format in ReportFormat.allCases {
        let expected = format.render(whole)
        let actual = format.render(merged.report)
        #expect(actual == expected, "\(format): \(References.diff(expected, actual))")
      }
      #expect(ExitStatus.of(merged.report) == ExitStatus.of(whole))
    }
  }

  /// The merged run spans the shards' runs; versions that differ are all named.
  @Test func theMergedRunSpansTheShards() async throws {
    let whole = await Self.fleet()
    var first = try Self.shard(whole, 1, of: 2)
    var second = try Self.shard(whole, 2, of: 2)
    first.run.duration = 10
    second.run.start = first.run.start.addingTimeInterval(5)
    second.run.duration = 20
    second.run.winauditVersion = "9.9.9"
    let merged = try ReportMerge.merge([Self.document(first, "a.json"), Self.document(second, "b.json")]).report
    #expect(merged.run.start == first.run.start)
    #expect(merged.run.duration == 25)
    #expect(merged.run.shard == nil)
    #expect(merged.run.winauditVersion == ["9.9.9", WinAuditVersion.current].sorted().joined(separator: ", "))
    #expect(merged.run.id != first.run.id && merged.run.id != second.run.id)
  }

  /// A start time read back from a report is written exactly as it was, whatever its floating-point fraction.
  @Test(arguments: [0.0, 0.1229999, 0.9996, 0.5, 59.9994, 0.0004])
  func timesReadBackAreWrittenTheSame(fraction: Double) throws {
    let run = AuditRun(id: "x", start: Date(timeIntervalSince1970: 1_748_736_000 + fraction), playbookName: "p")
    let json = ReportFormat.json.render(AuditReport(playbook: "p", hosts: [], run: run))
    #expect(ReportFormat.json.render(try JSONReportReader.read(json)) == json)
  }

  @Test func aMissingShardIsAWarning() async throws {
    let whole = await Self.fleet()
    let merged = try ReportMerge.merge([
      Self.document(try Self.shard(whole, 1, of: 3), "a.json"),
      Self.document(try Self.shard(whole, 3, of: 3), "c.json"),
    ])
    #expect(merged.warnings == ["shard 2/3 missing: the merged report lacks its hosts"])
  }

  /// Without positions (reports of an earlier 2.x writer, or of different inventories) hosts are sorted by name.
  @Test func withoutPositionsHostsAreInNameOrder() async throws {
    var whole = await SampleFleet.report().0
    whole.hosts.reverse()
    let merged = try ReportMerge.merge([
      Self.document(try Self.shard(whole, 1, of: 2), "a.json"),
      Self.document(try Self.shard(whole, 2, of: 2), "b.json"),
    ])
    #expect(merged.report.hosts.map(\.name) == SampleFleet.hosts.map(\.name).sorted())
  }

  /// Each refusal names the file at fault and says what is wrong.
  @Test func whatCannotBeOneFleetsReportIsRefusedNamingTheFile() async throws {
    let whole = await Self.fleet()
    let one = Self.document(try Self.shard(whole, 1, of: 3), "one.json")
    let two = Self.document(try Self.shard(whole, 2, of: 3), "two.json")
    var otherPlaybook = try Self.shard(whole, 2, of: 3)
    otherPlaybook.run.playbookDigest = String(repeating: "0", count: 64)
    var otherCount = try Self.shard(whole, 2, of: 4)
    otherCount.hosts = []
    let schema1 = ReportMerge.Document(file: "old.json", text: ReportFormat.json.render(whole, jsonSchema: 1))
    let badStatus = ReportMerge.Document(
      file: "edited.json",
      text: one.text.replacingOccurrences(of: "\"status\": \"compliant\"", with: "\"status\": \"bad\""))
    let cases: [([ReportMerge.Document], String, String)] = [
      ([one, Self.document(otherPlaybook, "other.json")], "other.json", "playbook rdp-baseline (sha256 000000000000)"),
      ([one, one.renamed("copy.json")], "copy.json", "shard 1/3 again (also one.json)"),
      ([one, two, Self.document(whole, "whole.json")], "whole.json", "is also in one.json"),
      ([one, Self.document(otherCount, "four.json")], "four.json", "shard 2/4 is one of 4"),
      ([one, schema1], "old.json", "schema 1: merge reads schema 2 reports"),
      ([one, .init(file: "cut.json", text: String(two.text.prefix(200)))], "cut.json", "not readable as JSON"),
      ([.init(file: "list.json", text: "[1, 2]")], "list.json", "not a winaudit JSON report"),
      ([two, badStatus], "edited.json", "hosts[0].status: expected one of compliant, drift"),
      ([], "report merge", "give at least one JSON report"),
    ]
    for (documents, file, message) in cases {
      #expect {
        try ReportMerge.merge(documents)
      } throws: { error in
        guard let problem = error as? ReportMerge.Problem else { return false }
        return problem.file == file && problem.message.contains(message)
      }
    }
    #expect {
      try ReportMerge.merge(paths: ["/nonexistent/shard.json"])
    } throws: { error in
      (error as? ReportMerge.Problem)?.description
        == "/nonexistent/shard.json: cannot be read (missing or not permitted)"
    }
  }
}

extension ReportMerge.Document {
  fileprivate func renamed(_ file: String) -> Self { Self(file: file, text: text) }
}
