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
    var problems: [Diagnostic] = []
    do {
      _ = try RemediationCatalogue.builtIn(for: playbook)
    } catch {
      problems = error.diagnostics
    }
    #expect(problems.count == 1)
    #expect(problems.first?.description.hasPrefix("named.yml:17:") == true)
    #expect(problems.first?.message.contains("names fix 'no-such-fix'") == true)
  }

  @Test func aDriftingControlGetsTheFixItNames() throws {
    let text = Self.playbook.replacingOccurrences(of: ", no-such-fix]", with: "]")
    let playbook = try PlaybookLoader.parse(text, file: "named.yml")
    let catalogue = try RemediationCatalogue.builtIn(for: playbook)
    #expect(catalogue.fix("nla-required")?.repairs == ["nla-required", "my-nla", "my-other"])
    let planner = Planner(catalogue: catalogue)
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
