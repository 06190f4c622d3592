import Foundation
import Testing

@testable import WinAudit

/// Reports are written piece by piece (the JSON and CSV reports one host at a time), so a fleet's report is never held
/// whole in memory; the pieces must make exactly the document one rendering makes, and a report file is replaced only by
/// a complete one.
@Suite("Report streaming")
struct ReportStreamingTests {
  @Test(arguments: ReportFormat.allCases)
  func piecesMakeTheWholeReport(format: ReportFormat) async {
    let (report, _) = await SampleFleet.report()
    var pieces: [String] = []
    format.write(report) { pieces.append($0) }
    #expect(pieces.joined() == format.render(report))
    switch format {
    case .json: #expect(pieces.count == report.hosts.count + 2)  // head, each host, summary
    case .csv: #expect(pieces.count == report.hosts.count + 1)  // header, each host's rows
    default: #expect(pieces.count == 1)
    }
  }

  @Test func jsonSchemaOneIsOnePiece() async {
    let (report, _) = await SampleFleet.report()
    var pieces: [String] = []
    ReportFormat.json.write(report, jsonSchema: 1) { pieces.append($0) }
    #expect(pieces == [ReportFormat.json.render(report, jsonSchema: 1)])
  }

  @Test func aReportWithoutHostsIsStillOneDocument() throws {
    let report = AuditReport(playbook: "rdp-baseline", hosts: [])
    let text = ReportFormat.json.render(report)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect((json["hosts"] as? [Any])?.isEmpty == true)
    #expect(text.contains("\n  \"hosts\": [],\n  \"summary\": {\n"))
  }

  @Test func aFailureMidwayLeavesTheTargetAsItWas() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-stream-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("report.json").path
    try "previous report\n".write(toFile: path, atomically: false, encoding: .utf8)
    let file = try ReportFile(checking: path)

    #expect(throws: ReportFile.Problem.self) {
      try file.write { (emit: (String) throws(ReportFile.Problem) -> Void) throws(ReportFile.Problem) in
        try emit("{\n  \"hosts\": [\n")
        throw ReportFile.Problem(description: "the disk filled up")
      }
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous report\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.json"])

    try file.write { (emit: (String) throws(ReportFile.Problem) -> Void) throws(ReportFile.Problem) in
      for piece in ["one ", "two ", "three\n"] { try emit(piece) }
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "one two three\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.json"])
  }
}
