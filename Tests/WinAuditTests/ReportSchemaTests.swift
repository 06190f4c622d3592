import Foundation
import Testing

@testable import WinAudit

/// JSON schema 2's run metadata and typed values, and JUnit against the Jenkins/Ant junit-10.xsd.
@Suite("Report schemas")
struct ReportSchemaTests {
  static func json(_ report: AuditReport) throws -> [String: Any] {
    let data = Data(ReportFormat.json.render(report).utf8)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test func jsonSchemaTwoCarriesTheRunAndEachHostsIdentity() async throws {
    let (report, _) = await SampleFleet.report()
    let json = try Self.json(report)
    #expect(json["schema"] as? Int == 2)
    let run = try #require(json["run"] as? [String: Any])
    #expect(run["id"] as? String == SampleFleet.runID)
    #expect(run["start"] as? String == "2025-06-01T00:00:00.000Z")
    #expect(run["durationSeconds"] as? Int == 0)  // the injected clock stands still
    #expect(run["winauditVersion"] as? String == WinAuditVersion.current)
    let playbook = try #require(run["playbook"] as? [String: Any])
    #expect(playbook["name"] as? String == "rdp-baseline")
    #expect(playbook["sha256"] as? String == AuditRun.digest(of: Playbook.builtInText))
    #expect(run["inventory"] as? String == "hosts.yml")
    #expect(run["shard"] is NSNull)

    let hosts = try #require(json["hosts"] as? [[String: Any]])
    let gpo = try #require(hosts.first { $0["name"] as? String == "gpo-nla-2016" })
    #expect(gpo["judgedFrom"] as? String == "inside")
    let os = try #require(gpo["os"] as? [String: Any])
    #expect(os["build"] as? Int == 14393)
    #expect(gpo["powershellVersion"] is String)
    let offline = try #require(hosts.first { $0["name"] as? String == "offline" })
    #expect(offline["judgedFrom"] is NSNull)
    #expect(offline["os"] is NSNull)

    // Numbers stay numbers, with the words beside them.
    let controls = try #require(gpo["controls"] as? [[String: Any]])
    let nla = try #require(controls.first { $0["id"] as? String == "nla-required" })
    #expect(nla["expected"] as? Int == 1)
    #expect(nla["actual"] as? Int == 0)
    #expect(nla["expectedText"] as? String == "1")
    #expect(nla["actualText"] as? String == "0")
    let summary = try #require(json["summary"] as? [String: Any])
    #expect(summary["unreachable"] as? Int == 1)
  }

  /// A shard's report says which slice it is, and every host its place in the selection before sharding.
  @Test func aShardReportRecordsItsSliceAndEachHostsPosition() async throws {
    var (report, _) = await SampleFleet.report()
    report.recordPositions(in: SampleFleet.hosts)
    report.run.shard = try Shard("2/3")
    report.hosts = report.hosts.filter { report.run.shard!.contains($0.name) }
    let json = try Self.json(report)
    let run = try #require(json["run"] as? [String: Any])
    let shard = try #require(run["shard"] as? [String: Any])
    #expect(shard["index"] as? Int == 2)
    #expect(shard["count"] as? Int == 3)
    let hosts = try #require(json["hosts"] as? [[String: Any]])
    #expect(hosts.map { $0["name"] as? String } == ["locked-2019"])
    #expect(hosts.first?["position"] as? Int == 4)
    let controls = try #require(json["controls"] as? [[String: Any]])
    #expect(controls.count == (try Playbook.builtIn).controls.count)
    #expect(controls.contains { $0["fixAvailable"] as? Bool == true })
  }

  @Test func aHostSeenOnlyFromOutsideIsJudgedFromOutside() throws {
    var audit = HostAudit(
      name: "h", address: "10.0.0.1", status: .unreachable, error: "refused",
      findings: [Finding(controlID: "rdp-answers-from-here", title: "t", severity: .critical, status: .pass)])
    audit.outsideOnly = true
    let hosts = try #require(try Self.json(AuditReport(playbook: "p", hosts: [audit]))["hosts"] as? [[String: Any]])
    #expect(hosts.first?["judgedFrom"] as? String == "outside")
  }

  static let schema = References.directory.appendingPathComponent("junit-10.xsd")

  @Test func junitValidatesAgainstTheJenkinsAntSchema() async throws {
    let validator = try XSDValidator(schema: try Data(contentsOf: Self.schema))
    let (report, _) = await SampleFleet.report()
    let junit = ReportFormat.junit.render(report)
    #expect(try validator.problems(in: Data(junit.utf8)) == [])
    #expect(junit.contains("timestamp=\"2025-06-01T00:00:00.000Z\" time=\"0.000\" hostname=\"127.0.10.2\""))
    let waived = await SampleFleet.report(waivers: WaiverTests.nlaWaiver(expires: "2099-12-31")).0
    #expect(try validator.problems(in: Data(ReportFormat.junit.render(waived).utf8)) == [])
    #expect(try validator.problems(in: Data(ReportFormat.junit.render(HTMLReportTests.hostile).utf8)) == [])
  }

  /// The validator is not a rubber stamp: what the old JUnit wrote (`skipped` on `testsuites`), a missing required
  /// attribute, a misplaced element and a bad time are each refused.
  @Test func theSchemaValidatorRefusesWhatTheSchemaForbids() throws {
    let validator = try XSDValidator(schema: try Data(contentsOf: Self.schema))
    let bad = [
      "<testsuites skipped=\"1\"><testsuite name=\"a\" tests=\"0\" failures=\"0\" errors=\"0\"/></testsuites>",
      "<testsuites><testsuite name=\"a\" tests=\"0\" failures=\"0\"/></testsuites>",
      "<testsuites><testcase name=\"x\"/></testsuites>",
      "<testsuites><testsuite name=\"a\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"1s\"/></testsuites>",
      "<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"x\">"
        + "<property name=\"a\" value=\"b\"/></testcase></testsuite></testsuites>",
    ]
    for document in bad {
      #expect(try !validator.problems(in: Data(document.utf8)).isEmpty, "\(document)")
    }
    let good =
      "<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"1\" errors=\"0\" time=\"0.250\"><properties>"
      + "<property name=\"a\" value=\"b\"/></properties><testcase name=\"x\"><failure message=\"m\">t</failure>"
      + "</testcase></testsuite></testsuites>"
    #expect(try validator.problems(in: Data(good.utf8)) == [])
  }
}
