import Foundation
import Testing

@testable import WinAudit

/// `--waivers`: accepted drift is `waived` in every format and passes the exit code until its expiry, by the auditor's
/// injectable clock; after it the drift stands again with a note; a broken file is a file:line error.
@Suite("Waivers")
struct WaiverTests {
  /// A waiver for gpo-nla-2016's Group Policy NLA drift (nla-required and nla-policy-agrees) and its CredSSP drift.
  static func nlaWaiver(expires: String) -> Waivers {
    let text = """
      waivers:
        - control: nla-required
          hosts: [gpo-nla-*]
          justification: Legacy thin clients until the Q3 replacement
          approver: j.doe
          expires: \(expires)
        - control: nla-policy-agrees
          hosts: gpo-nla-2016
          justification: Same GPO as nla-required
          approver: j.doe
          expires: \(expires)
        - control: credssp-not-vulnerable
          hosts: ["*-2016"]
          justification: Patched out of band <script>alert(1)</script>
          approver: sec-team
          expires: \(expires)
      """
    return try! WaiverLoader.parse(text, file: "waivers.yml", playbook: Fixtures.baseline)
  }

  /// Only gpo-nla-2016 of the sample fleet, which drifts on exactly the three waived controls.
  static func audit(_ waivers: Waivers, now: Date) async -> AuditReport {
    let auditor = Auditor(
      connector: SampleFleet.connector, playbook: Fixtures.baseline, now: { now }, runID: SampleFleet.runID,
      waivers: waivers)
    return await auditor.audit(hosts: SampleFleet.hosts.filter { $0.name == "gpo-nla-2016" })
  }

  @Test func aWaivedDriftPassesTheExitCodeUntilItExpires() async throws {
    let waivers = Self.nlaWaiver(expires: "2025-06-30")
    #expect(ExitStatus.of(await Self.audit(Waivers([]), now: Fixtures.now)) == 1)

    let before = await Self.audit(waivers, now: Fixtures.now)
    #expect(ExitStatus.of(before) == 0)
    let host = try #require(before.hosts.first)
    #expect(host.status == .compliant)
    let nla = try #require(host.findings.first { $0.controlID == "nla-required" })
    #expect(nla.status == .waived)
    #expect(nla.waiver?.justification == "Legacy thin clients until the Q3 replacement")
    #expect(nla.waiver?.source == "waivers.yml:2")
    #expect(before.summary.waived == 3)

    // The whole last day still holds; the first instant after it does not.
    let lastDay = try #require(WaiverLoader.day("2025-06-30")).addingTimeInterval(86_399)
    #expect(ExitStatus.of(await Self.audit(waivers, now: lastDay)) == 0)
    let after = await Self.audit(waivers, now: lastDay.addingTimeInterval(1))
    #expect(ExitStatus.of(after) == 1)
    let expired = try #require(after.hosts.first?.findings.first { $0.controlID == "nla-required" })
    #expect(expired.status == .drift)
    #expect(expired.waiver?.expired == true)
    let text = ReportFormat.text.render(after)
    #expect(text.contains("waiver expired on 2025-06-30 (approved by j.doe: Legacy thin clients"), "\(text)")
  }

  @Test func everyFormatSaysWaivedWithTheJustification() async throws {
    let report = await Self.audit(Self.nlaWaiver(expires: "2025-06-30"), now: Fixtures.now)
    let text = ReportFormat.text.render(report)
    #expect(text.contains("waived until 2025-06-30 by j.doe: Legacy thin clients until the Q3 replacement"), "\(text)")
    #expect(text.contains("3 waived"), "\(text)")
    let json = ReportFormat.json.render(report)
    #expect(json.contains("\"status\": \"waived\""))
    #expect(json.contains("\"justification\": \"Legacy thin clients until the Q3 replacement\""))
    let junit = ReportFormat.junit.render(report)
    #expect(junit.contains("<skipped type=\"waived\" message=\"waived until 2025-06-30 by j.doe: Legacy thin"))
    #expect(junit.contains("Patched out of band &lt;script&gt;"))
    let html = ReportFormat.html.render(report)
    #expect(html.contains("Legacy thin clients until the Q3 replacement"))
    #expect(html.contains("Patched out of band &lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(!html.contains("<script>alert"))
    #expect(html.contains("data-status=\"waived\""))
  }

  @Test func aWaiverNamingAnUnknownControlIsAFileLineError() throws {
    let text = """
      waivers:
        - control: nla-required
          hosts: [a]
          justification: j
          approver: a
          expires: 2026-01-01
        - control: nla-requried
          hosts: [a]
          justification: j
          approver: a
          expires: 2026-02-30
      """
    do {
      _ = try WaiverLoader.parse(text, file: "w.yml", playbook: Fixtures.baseline)
      Issue.record("accepted a waiver for an unknown control")
    } catch {
      let lines = error.diagnostics.map(\.description)
      #expect(lines.contains { $0.hasPrefix("w.yml:7:") && $0.contains("unknown control 'nla-requried'") }, "\(lines)")
      #expect(lines.contains { $0.hasPrefix("w.yml:11:") && $0.contains("YYYY-MM-DD") }, "\(lines)")
    }
  }

  @Test func missingKeysAndEmptyPatternsAreRefused() {
    for text in [
      "waivers:\n  - control: nla-required\n    hosts: [a]\n",
      "waivers:\n  - {control: nla-required, hosts: [], justification: j, approver: a, expires: 2026-01-01}\n",
      "waivers:\n  - {control: nla-required, hosts: [a], justification: j, approver: a, expires: 2026-01-01, x: 1}\n",
      "other: 1\n",
    ] {
      #expect(throws: DiagnosticsError.self, "\(text)") {
        try WaiverLoader.parse(text, file: "w.yml", playbook: Fixtures.baseline)
      }
    }
  }
}
