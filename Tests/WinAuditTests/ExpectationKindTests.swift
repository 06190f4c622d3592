import Foundation
import Testing

@testable import WinAudit

/// Every expectation kind on a small playbook, pass and drift, independent of the baseline.
@Suite("Expectation kinds")
struct ExpectationKindTests {
  static let facts = """
    facts:
      value: {registry: {path: 'HKLM:\\X', name: V}}
      other: {registry: {path: 'HKLM:\\X', name: W}}
      svc: {service: Spooler}
      store: {certificates: 'Cert:\\LocalMachine\\My'}
      os: {os: {}}
    """

  func evaluate(_ check: String, facts: [String: FactValue], applies: String = "", build: Int = 17763) -> Finding {
    let yaml = """
      playbook: 1
      name: kinds
      \(Self.facts)
      controls:
        - id: c
          title: C
          severity: low
      \(applies)
          check:
      \(check)
      """
    let playbook: Playbook
    do {
      playbook = try PlaybookLoader.parse(yaml, file: "kinds.yml")
    } catch {
      Issue.record("\(error)")
      return Finding(controlID: "c", title: "C", severity: .low, status: .error)
    }
    let document = Fixtures.document(facts, build: build)
    return DiffEngine.findings(playbook: playbook, facts: document, host: Fixtures.host, now: Fixtures.now)[0]
  }

  func status(_ check: String, _ value: FactValue?, other: FactValue? = nil) -> FindingStatus {
    var facts: [String: FactValue] = ["value": Fixtures.registry(value)]
    if let other { facts["other"] = Fixtures.registry(other) }
    return evaluate(check, facts: facts).status
  }

  @Test(
    arguments: [
      ("      fact: value\n      equals: 1", FactValue.int(1), FindingStatus.pass),
      ("      fact: value\n      equals: 1", .double(1.0), .pass),
      ("      fact: value\n      equals: 1", .string("1"), .pass),
      ("      fact: value\n      equals: 1", .int(2), .drift),
      ("      fact: value\n      equals: Running", .string("running"), .pass),
      ("      fact: value\n      notEquals: 2", .int(1), .pass),
      ("      fact: value\n      notEquals: 2", .int(2), .drift),
      ("      fact: value\n      in: [1, 2]", .int(2), .pass),
      ("      fact: value\n      in: [1, 2]", .int(3), .drift),
      ("      fact: value\n      notIn: [0]", .int(3), .pass),
      ("      fact: value\n      notIn: [0]", .int(0), .drift),
      ("      fact: value\n      atLeast: 10", .int(10), .pass),
      ("      fact: value\n      atLeast: 10", .int(9), .drift),
      ("      fact: value\n      atMost: 10", .double(9.5), .pass),
      ("      fact: value\n      atMost: 10", .int(11), .drift),
      ("      fact: value\n      atMost: 10", .string("many"), .drift),
      ("      fact: value\n      contains: b", .array([.string("a"), .string("B")]), .pass),
      ("      fact: value\n      contains: c", .array([.string("a")]), .drift),
      ("      fact: value\n      contains: Desk", .string("Remote Desktop"), .pass),
      ("      fact: value\n      present: true", .int(0), .pass),
      ("      fact: value\n      present: true", .array([]), .drift),
      ("      fact: value\n      absent: true", .int(0), .drift),
      ("      fact: value\n      validForDays: 30", .string("2025-08-01T00:00:00.0000000Z"), .pass),
      ("      fact: value\n      validForDays: 30", .string("2025-06-15T00:00:00+01:00"), .drift),
      ("      fact: value\n      validForDays: 30", .string("not a date"), .drift),
      ("      fact: value\n      allowAbsent: true\n      equals: 1", .int(1), .pass),
    ] as [(String, FactValue, FindingStatus)])
  func simpleExpectations(check: String, value: FactValue, expected: FindingStatus) {
    #expect(status(check, value) == expected)
  }

  @Test func presenceOfAnAbsentValue() {
    #expect(status("      fact: value\n      present: true", nil) == .drift)
    #expect(status("      fact: value\n      absent: true", nil) == .pass)
    #expect(status("      fact: value\n      equals: 1", nil) == .drift)
    #expect(status("      fact: value\n      allowAbsent: true\n      equals: 1", nil) == .pass)
    #expect(status("      fact: value\n      notEquals: 2", nil) == .drift)
  }

  @Test func equalsFactComparesTwoFacts() {
    #expect(status("      fact: value\n      equalsFact: other", .int(3389), other: .int(3389)) == .pass)
    let finding = evaluate(
      "      fact: value\n      equalsFact: other",
      facts: ["value": Fixtures.registry(.int(3389)), "other": Fixtures.registry(.int(3390))])
    #expect(finding.status == .drift)
    #expect(finding.expected == "same as other (3390)")
    #expect(finding.message?.hasPrefix("other is 3390") == true)
  }

  @Test func fieldsOfAService() {
    let facts = ["svc": Fixtures.service("Spooler", status: "Running", startType: "Disabled")]
    #expect(evaluate("      fact: svc\n      equals: Running", facts: facts).status == .pass)
    #expect(evaluate("      fact: svc.startType\n      notEquals: Disabled", facts: facts).status == .drift)
  }

  @Test func applicabilityByBuildAndTag() {
    let facts = ["value": Fixtures.registry(.int(1))]
    let newer = "    applies:\n      osBuild: {atLeast: 20348}"
    let skipped = evaluate("      fact: value\n      equals: 1", facts: facts, applies: newer)
    #expect(skipped.status == .skipped)
    #expect(skipped.message == "applies to OS build 20348 and later; this host is build 17763")
    #expect(evaluate("      fact: value\n      equals: 1", facts: facts, applies: newer, build: 20348).status == .pass)
    let tagged = "    applies:\n      tags: [prod]"
    #expect(evaluate("      fact: value\n      equals: 1", facts: facts, applies: tagged).status == .skipped)
    let lab = "    applies:\n      tags: [LAB]"
    #expect(evaluate("      fact: value\n      equals: 1", facts: facts, applies: lab).status == .pass)
    let below = "    applies:\n      osBuild: {below: 17763}"
    #expect(evaluate("      fact: value\n      equals: 1", facts: facts, applies: below).status == .skipped)
  }

  @Test func certificateExpiryAsAPlainDate() {
    let facts = ["store": Fixtures.certificates([Fixtures.certificate(notAfter: "2025-07-15T00:00:00.0000000Z")])]
    let finding = evaluate("      fact: store.certificates\n      present: true", facts: facts)
    #expect(finding.status == .pass)
  }
}
