import Foundation
import Testing

@testable import WinAudit

/// A control may name the fixes that repair it (`fix:`), next to fixes that name their control.
@Suite struct NamedFixTests {
  static let playbook = """
    playbook: 1
    name: named-fixes
    facts:
      nla:
        registry:
          path: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp'
          name: UserAuthentication
    controls:
      - id: my-nla
        title: NLA on
        severity: high
        fix: nla-required
        check: {fact: nla, equals: 1}
      - id: my-other
        title: NLA on again
        severity: low
        fix: [nla-required, no-such-fix]
        check: {fact: nla, equals: 1}
    """

  @Test func namesAreParsedWithTheirPositions() throws {
    let playbook = try PlaybookLoader.parse(Self.playbook, file: "named.yml")
    #expect(playbook.controls[0].fixes.map(\.id) == ["nla-required"])
    #expect(playbook.controls[1].fixes.map(\.id) == ["nla-required", "no-such-fix"])
    #expect(playbook.controls[1].fixes[1].line == 17)
  }

  @Test func aDanglingNameIsADiagnosticAtItsPlace() throws {
    let playbook = try PlaybookLoader.parse(Self.playbook, file: "named.yml")
    let problems = try RemediationFixtures.catalogue().diagnostics(namedBy: playbook)
    #expect(problems.count == 1)
    #expect(problems.first?.description.hasPrefix("named.yml:17:") == true)
    #expect(problems.first?.message.contains("names fix 'no-such-fix'") == true)
  }

  @Test func aDriftingControlGetsTheFixItNames() throws {
    let playbook = try PlaybookLoader.parse(Self.playbook, file: "named.yml")
    let planner = Planner(
      catalogue: try RemediationFixtures.catalogue(),
      namedFixes: Dictionary(uniqueKeysWithValues: playbook.controls.map { ($0.id, $0.fixes.map(\.id)) }))
    let selection = planner.select(drifting: ["my-nla"])
    #expect(selection.fixes.map(\.id) == ["nla-required"])
    #expect(selection.unfixed.isEmpty)
    #expect(Planner(catalogue: try RemediationFixtures.catalogue()).select(drifting: ["my-nla"]).fixes.isEmpty)
  }

  @Test func aWrongTypeIsReported() {
    let text = Self.playbook.replacingOccurrences(of: "fix: nla-required\n", with: "fix: {id: x}\n")
    #expect(throws: DiagnosticsError.self) { try PlaybookLoader.parse(text, file: "named.yml") }
  }
}
