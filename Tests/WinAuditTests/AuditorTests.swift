import Foundation
import RemotePowerShell
import Testing

@testable import WinAudit

/// The fleet every report reference is made from: one host per outcome.
enum SampleFleet {
  static let hosts: [InventoryHost] = [
    InventoryHost(name: "healthy-2019", address: "127.0.10.1", port: 2222, user: "root", tags: ["lab"]),
    InventoryHost(name: "gpo-nla-2016", address: "127.0.10.2", port: 2222, user: "root", tags: ["lab"]),
    InventoryHost(name: "firewall-2022", address: "127.0.10.3", port: 2222, user: "root", tags: ["lab"]),
    InventoryHost(name: "locked-2019", address: "127.0.10.4", port: 2222, user: "root"),
    InventoryHost(name: "crashed-2019", address: "127.0.10.5", port: 2222, user: "root"),
    InventoryHost(name: "offline", address: "192.0.2.1", port: 22, user: "root"),
  ]

  static var connector: ScriptedHostConnector {
    var gpo = Fixtures.healthy
    gpo["nla"] = Fixtures.registry(.int(1), policy: .int(0))
    gpo["credsspOracle"] = Fixtures.registry(.int(2))
    var firewall = Fixtures.healthy
    firewall["portNumber"] = Fixtures.registry(.int(3390))
    firewall["rdpListener"] = Fixtures.listener(port: 3390)
    firewall["networkProfiles"] = Fixtures.profiles(["Public"])
    firewall["rdpFirewall"] = .object([
      .init("rules", .array([Fixtures.rule("RemoteDesktop-UserMode-In-TCP", profile: "Domain, Private")])),
      .init("missing", .array([])),
    ])
    var locked = Fixtures.healthy
    locked["rdpCertificates"] = nil
    locked["machineKeys"] = Fixtures.path("O:SYG:SYD:PAI(D;;FA;;;NS)(A;;FA;;;BA)(A;;FA;;;SY)")
    return ScriptedHostConnector([
      "healthy-2019": .respond(ScriptResult(stdout: Fixtures.stdout(Fixtures.healthy))),
      "gpo-nla-2016": .respond(ScriptResult(stdout: Fixtures.stdout(gpo, build: 14393))),
      "firewall-2022": .respond(ScriptResult(stdout: Fixtures.stdout(firewall, build: 20348, bom: false))),
      "locked-2019": .respond(
        ScriptResult(
          stdout: Fixtures.stdout(
            locked, failures: ["rdpCertificates": "Access to the path 'Remote Desktop' is denied."]))),
      "crashed-2019": .respond(
        ScriptResult(
          stdout: "", errors: ["The term 'Get-CimInstance' is not recognized as the name of a cmdlet."],
          exitCode: 1)),
      "offline": .refuse("root@192.0.2.1:22: connection timed out after 10 s"),
    ])
  }

  /// The run id every reference report carries.
  static let runID = "00000000-0000-4000-8000-000000000001"

  static func report(waivers: Waivers = Waivers([]), now: Date = Fixtures.now) async -> (
    AuditReport, ScriptedHostConnector
  ) {
    let connector = connector
    let auditor = Auditor(
      connector: connector, playbook: Fixtures.baseline, concurrency: 3, now: { now }, runID: runID,
      inventory: "hosts.yml", waivers: waivers)
    var report = await auditor.audit(hosts: hosts)
    report.fixableControls = Set(
      (try? RemediationCatalogue.builtIn(for: Fixtures.baseline))?.fixes.flatMap(\.repairs) ?? [])
    return (report, connector)
  }
}

@Suite("Auditor and reports")
struct AuditorTests {
  @Test func oneConnectionAndOneScriptPerHost() async throws {
    let (report, connector) = await SampleFleet.report()
    #expect(report.hosts.map(\.name) == SampleFleet.hosts.map(\.name))
    #expect(connector.connections.sorted() == SampleFleet.hosts.map(\.name).sorted())
    let scripts = connector.scripts
    #expect(scripts.map(\.host).sorted() == SampleFleet.hosts.dropLast().map(\.name).sorted())
    let expected = try Playbook.builtIn.collectorScript.text
    #expect(scripts.allSatisfy { $0.script == expected })
  }

  @Test func statusesAndExitCode() async {
    let (report, _) = await SampleFleet.report()
    #expect(report.hosts.map(\.status) == [.compliant, .drift, .drift, .error, .error, .unreachable])
    #expect(ExitStatus.of(report) == 4)
    let summary = report.summary
    #expect(summary.hosts == 6)
    #expect(summary.compliant == 1)
    #expect(summary.drift == 2)
    #expect(summary.error == 3)
  }

  @Test func aLoginWithoutAnElevatedTokenIsAnErrorWithAdviceNeverDrift() throws {
    var facts = Fixtures.healthy
    facts["nla"] = Fixtures.registry(.int(0))
    let result = ScriptResult(stdout: Fixtures.stdout(facts, elevated: false))
    let audit = Auditor.evaluate(result, host: Fixtures.host, playbook: try Playbook.builtIn, now: Fixtures.now)
    #expect(audit.status == .error)
    #expect(audit.findings.isEmpty)
    #expect(audit.error?.contains("HEALTHY-2019\\Administrator whose token is not elevated") == true)
    #expect(audit.error?.contains("Log in with an account in Administrators") == true)
    let elevated = Auditor.evaluate(
      ScriptResult(stdout: Fixtures.stdout(facts)), host: Fixtures.host, playbook: try Playbook.builtIn,
      now: Fixtures.now)
    #expect(elevated.status == .drift)
  }

  @Test func concurrencyIsBounded() async {
    let gate = Gate()
    let connector = ScriptedHostConnector { _, script in
      if !script.isEmpty { gate.enter() }
      Thread.sleep(forTimeInterval: 0.02)
      if !script.isEmpty { gate.leave() }
      return .respond(ScriptResult(stdout: Fixtures.stdout(Fixtures.healthy)))
    }
    let hosts = (0..<12).map { InventoryHost(name: "h\($0)", address: "10.0.0.\($0)", user: "u") }
    let progress = ProgressRecorder()
    let auditor = Auditor(
      connector: connector, playbook: Fixtures.baseline, concurrency: 4, now: { Fixtures.now },
      progress: { progress.record($0) })
    let report = await auditor.audit(hosts: hosts)
    #expect(ExitStatus.of(report) == 0)
    #expect(gate.peak <= 4)
    #expect(progress.last?.done == 12)
    #expect(progress.count == 12)
  }

  @Test func textReportMatchesTheReference() async {
    let (report, _) = await SampleFleet.report()
    References.check(ReportFormat.text.render(report), against: "report.txt")
    #expect(ReportFormat.text.render(report, color: true).contains("\u{1B}[33mdrift"))
    #expect(!ReportFormat.text.render(report).contains("\u{1B}"))
  }

  @Test func jsonReportMatchesTheReference() async throws {
    let (report, _) = await SampleFleet.report()
    let json = ReportFormat.json.render(report)
    References.check(json, against: "report.json")
    // It is valid JSON with the documented top-level keys, in order.
    let parsed = try FactValue.parseJSON(json)
    guard case .object(let pairs) = parsed else { throw FactsDecodingError("not an object") }
    #expect(pairs.map(\.key) == ["schema", "run", "controls", "hosts", "summary"])
    guard case .object(let hostFields)? = parsed["hosts"]?.list.first else { throw FactsDecodingError("no host") }
    #expect(
      hostFields.map(\.key) == [
        "name", "position", "address", "tags", "status", "judgedFrom", "error", "durationSeconds", "os",
        "powershellVersion", "controls",
      ])
    guard case .object(let controlFields)? = parsed["controls"]?.list.first else {
      throw FactsDecodingError("no playbook control")
    }
    #expect(controlFields.map(\.key) == ["id", "title", "severity", "references", "fixAvailable"])
    let control = parsed["hosts"]?.list.first?["controls"]?.list.first
    guard case .object(let fields)? = control else { throw FactsDecodingError("no control") }
    #expect(
      fields.map(\.key) == [
        "id", "title", "severity", "status", "expected", "expectedText", "actual", "actualText", "source", "message",
        "waiver",
      ])
  }

  @Test func jsonSchemaOneStaysAvailableForTheTransition() async throws {
    let (report, _) = await SampleFleet.report()
    let json = ReportFormat.json.render(report, jsonSchema: 1)
    References.check(json, against: "report.schema1.json")
    let parsed = try FactValue.parseJSON(json)
    guard case .object(let pairs) = parsed else { throw FactsDecodingError("not an object") }
    #expect(pairs.map(\.key) == ["schema", "hosts", "summary"])
  }

  @Test func htmlReportMatchesTheReference() async {
    let (report, _) = await SampleFleet.report()
    References.check(ReportFormat.html.render(report), against: "report.html")
  }

  @Test func junitReportMatchesTheReference() async {
    let (report, _) = await SampleFleet.report()
    References.check(ReportFormat.junit.render(report), against: "report.junit.xml")
  }

  @Test func noSecretInReports() async {
    let (report, _) = await SampleFleet.report()
    for format in ReportFormat.allCases {
      #expect(!format.render(report).contains("WINAUDIT_PASSWORD"))
    }
  }
}

/// Counts how many hosts run their script at the same time.
final class Gate: @unchecked Sendable {
  private let lock = NSLock()
  private var current = 0
  private(set) var peak = 0

  func enter() {
    lock.withLock {
      current += 1
      peak = max(peak, current)
    }
  }

  func leave() {
    lock.withLock { current -= 1 }
  }
}

final class ProgressRecorder: @unchecked Sendable {
  private let lock = NSLock()
  private var updates: [AuditProgress] = []

  func record(_ progress: AuditProgress) {
    lock.withLock { updates.append(progress) }
  }

  var last: AuditProgress? { lock.withLock { updates.last } }
  var count: Int { lock.withLock { updates.count } }
}
