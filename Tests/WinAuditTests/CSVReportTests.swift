import Foundation
import SwiftCSV
import Testing

@testable import WinAudit

/// The CSV report: RFC 4180 quoting that an independent parser reads back, and host values that a spreadsheet would
/// run as formulas neutralised.
@Suite("CSV report")
struct CSVReportTests {
  @Test func csvReportMatchesTheReference() async {
    let (report, _) = await SampleFleet.report()
    References.check(ReportFormat.csv.render(report), against: "report.csv")
  }

  @Test func oneRowPerHostAndControlWithAHeader() async throws {
    let (report, _) = await SampleFleet.report(waivers: WaiverTests.nlaWaiver(expires: "2099-12-31"))
    let csv = ReportFormat.csv.render(report)
    #expect(csv.hasSuffix("\r\n"))
    let rows = try Self.parse(csv)
    #expect(rows.first == CSVReport.header)
    let findings = report.hosts.map { max(1, $0.findings.count) }.reduce(0, +)
    #expect(rows.count == 1 + findings)
    let header = try #require(rows.first)
    func column(_ name: String, _ row: [String]) -> String { row[header.firstIndex(of: name)!] }
    let offline = try #require(rows.first { $0.first == "offline" })
    #expect(column("host_status", offline) == "unreachable")
    #expect(column("control", offline) == "")
    #expect(column("error", offline).contains("timed out"))
    let waived = try #require(rows.first { $0.first == "gpo-nla-2016" && column("control", $0) == "nla-required" })
    #expect(column("status", waived) == "waived")
    #expect(column("expected", waived) == "1")
    #expect(column("actual", waived) == "0")
    #expect(column("source", waived) == "group-policy")
    #expect(column("waiver", waived).contains("Legacy thin clients until the Q3 replacement"))
    let error = try #require(rows.first { $0.first == "locked-2019" && column("status", $0) == "error" })
    #expect(column("error", error).contains("denied"))
    #expect(rows.contains { column("status", $0) == "skipped" && !column("message", $0).isEmpty })
  }

  @Test(arguments: [
    ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
    ("two\r\nlines", "\"two\nlines\""), (" padded ", "\" padded \""), ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(1)", "'@SUM(1)"),
    ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), ("\t=1", "'\\u{9}=1"),
    ("-1", "-1"), ("+3389", "+3389"), ("-0.5", "-0.5"), ("-", "'-"), ("3389", "3389"), ("a=b", "a=b"),
    ("\u{1B}[2J\u{202E}x", "\\u{1B}[2J\\u{202E}x"), ("", ""),
  ])
  func hostileFieldsAreQuotedAndNeutralised(value: String, field: String) {
    #expect(CSVReport.field(value) == field)
  }

  /// A report full of hostile values reads back with an independent RFC 4180 parser (SwiftCSV) as the same rows,
  /// with no cell a spreadsheet would evaluate.
  @Test func hostileValuesReadBackAsTheSameCells() throws {
    var report = HTMLReportTests.hostile
    report.hosts[0].findings[0].actual = "=cmd|' /C calc'!A0, \"quoted\"\nnext line"
    report.hosts[0].name = "@host,with\"quotes"
    let rows = try Self.parse(ReportFormat.csv.render(report))
    #expect(rows.count == 3)
    #expect(rows.allSatisfy { $0.count == CSVReport.header.count })
    #expect(rows[1][0] == "'@host,with\"quotes")
    #expect(rows[1][8] == "'=cmd|' /C calc'!A0, \"quoted\"\nnext line")
    for cell in rows.joined() {
      #expect(!["=", "+", "@"].contains(cell.first.map(String.init) ?? ""), "\(cell)")
      #expect(!cell.unicodeScalars.contains { SafeText.isUnsafe($0) && $0 != "\n" }, "\(cell)")
    }
  }

  static func parse(_ text: String) throws -> [[String]] {
    var rows: [[String]] = []
    let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
    try csv.enumerateAsArray(startAt: 0, rowLimit: nil) { rows.append($0) }
    // The CRLF that ends the last record is no empty record.
    return rows.filter { $0 != [""] && !$0.isEmpty }
  }
}
