import Foundation
import Testing
import WinAudit
import WinLab

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Several reports from one audit, checked report paths, and waivers, with the real `winaudit` binary against lab
/// hosts (each lab on its own prefix: 127.0.80 and 127.0.81).
@Suite(.serialized) struct ReportsFleetTests {
  static let hosts = ["healthy-2019", "nla-off", "hostile-values"]

  static func scratch(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-\(name)-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// A bad report path is found before any host is contacted (no powershell.exe started); then one audit with four
  /// reports contacts each host once and writes all four.
  @Test func fourReportsFromOneAuditContactEachHostOnce() throws {
    let fleet = try FleetHarness(hosts: Self.hosts, addressPrefix: "127.0.80", port: 2280)
    defer { fleet.stop() }
    let folder = try Self.scratch("reports")
    defer { try? FileManager.default.removeItem(at: folder) }
    let inventory = fleet.lab.inventory.path

    let bad = try FleetHarness.winaudit([
      "audit", "--inventory", inventory, "--report", "text", "--report", "json:\(folder.path)/a.json",
      "--report", "html:\(folder.path)/missing/a.html",
    ])
    #expect(bad.status == 2, "\(bad.err)")
    #expect(bad.err.contains("--report html:"), "\(bad.err)")
    for host in Self.hosts { #expect(try fleet.processStarts(host) == 0, "\(host) was contacted") }
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.json").path))

    let paths = ["json": "a.json", "html": "a.html", "junit": "a.xml"].mapValues { folder.appendingPathComponent($0) }
    let run = try FleetHarness.winaudit([
      "audit", "--inventory", inventory, "--report", "text", "--report", "json:\(paths["json"]!.path)",
      "--report", "html:\(paths["html"]!.path)", "--report", "junit:\(paths["junit"]!.path)",
    ])
    #expect(run.status == 1, "\(run.err)")
    for host in Self.hosts { #expect(try fleet.processStarts(host) == 1, "\(host): not exactly one powershell.exe") }
    #expect(run.out.contains("Summary: 3 hosts: 1 compliant, 2 drift, 0 error"), "\(run.out)")

    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: paths["json"]!)) as? [String: Any])
    #expect(json["schema"] as? Int == 2)
    let runInfo = try #require(json["run"] as? [String: Any])
    #expect(runInfo["inventory"] as? String == inventory)
    let hosts = try #require(json["hosts"] as? [[String: Any]])
    #expect(hosts.map { $0["name"] as? String } == Self.hosts)
    for host in hosts {
      #expect(host["judgedFrom"] as? String == "inside")
      #expect((host["os"] as? [String: Any])?["build"] is Int, "\(host["name"] ?? "")")
      #expect(host["durationSeconds"] is NSNumber)
    }

    let html = try String(contentsOf: paths["html"]!, encoding: .utf8)
    #expect(html.components(separatedBy: "<tr class=\"host\"").count - 1 == 3)
    #expect(html.components(separatedBy: "<script").count == 2, "a host's value opened a script element")
    #expect(!html.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x2028 })

    let junit = try Data(contentsOf: paths["junit"]!)
    let parser = XMLParser(data: junit)
    #expect(parser.parse(), "JUnit is not well-formed: \(String(describing: parser.parserError))")
    let junitText = String(decoding: junit, as: UTF8.self)
    #expect(junitText.components(separatedBy: "<testsuite ").count - 1 == 3)
    #expect(junitText.contains("hostname=\""))
  }

  /// A waiver for nla-off's drift turns exit 1 into 0; the same waiver with an expiry in the past is drift again
  /// (exit 1) with a note; a waiver naming an unknown control is a file:line error before any host is contacted.
  @Test func waiversTurnDriftIntoWaivedUntilTheyExpire() throws {
    let fleet = try FleetHarness(hosts: ["nla-off", "healthy-2019"], addressPrefix: "127.0.81", port: 2281)
    defer { fleet.stop() }
    let folder = try Self.scratch("waivers")
    defer { try? FileManager.default.removeItem(at: folder) }
    let inventory = fleet.lab.inventory.path
    func waivers(_ control: String, expires: String) throws -> String {
      let file = folder.appendingPathComponent("waivers-\(control)-\(expires).yml")
      try """
      waivers:
        - control: \(control)
          hosts: [nla-*]
          justification: Kiosk clients without CredSSP until they are replaced
          approver: j.doe
          expires: \(expires)
      """.write(to: file, atomically: true, encoding: .utf8)
      return file.path
    }

    let unknown = try FleetHarness.winaudit([
      "audit", "--inventory", inventory, "--waivers", try waivers("nla-requried", expires: "2999-12-31"),
    ])
    #expect(unknown.status == 2, "\(unknown.err)")
    #expect(unknown.err.contains(".yml:2:"), "\(unknown.err)")
    #expect(unknown.err.contains("unknown control 'nla-requried'"), "\(unknown.err)")
    #expect(try fleet.processStarts("nla-off") == 0)

    let plain = try FleetHarness.winaudit(["audit", "--inventory", inventory])
    #expect(plain.status == 1, "\(plain.out)\n\(plain.err)")

    let current = try waivers("nla-required", expires: "2999-12-31")
    let waived = try FleetHarness.winaudit([
      "audit", "--inventory", inventory, "--waivers", current, "--report", "text",
      "--report", "json:\(folder.path)/waived.json",
    ])
    #expect(waived.status == 0, "\(waived.out)\n\(waived.err)")
    #expect(waived.out.contains("waived until 2999-12-31 by j.doe: Kiosk clients"), "\(waived.out)")
    let json = try String(contentsOf: folder.appendingPathComponent("waived.json"), encoding: .utf8)
    #expect(json.contains("\"status\": \"waived\""))

    let expired = try FleetHarness.winaudit([
      "audit", "--inventory", inventory, "--waivers", try waivers("nla-required", expires: "2001-01-31"),
    ])
    #expect(expired.status == 1, "\(expired.out)\n\(expired.err)")
    #expect(expired.out.contains("waiver expired on 2001-01-31"), "\(expired.out)")
  }
}
