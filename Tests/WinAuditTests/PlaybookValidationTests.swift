import Foundation
import Testing

@testable import WinAudit

@Suite("Playbook validation")
struct PlaybookValidationTests {
  func diagnostics(_ yaml: String) -> [String] {
    do {
      _ = try PlaybookLoader.parse(yaml, file: "p.yml")
      return []
    } catch {
      return error.diagnostics.map(\.description)
    }
  }

  static let header = """
    playbook: 1
    name: test
    facts:
      port: {registry: {path: 'HKLM:\\X', name: PortNumber, default: 3389}}
      svc: {service: TermService}
      rules: {firewallRules: {group: '@FirewallAPI.dll,-28752'}}
      nets: {networkProfiles: {}}
    controls:

    """

  @Test func builtInBaselineIsValid() throws {
    let playbook = try Playbook.builtIn
    #expect(playbook.name == "rdp-baseline")
    #expect(playbook.controls.count >= 20)
    #expect(Set(playbook.controls.map(\.id)).count == playbook.controls.count)
  }

  @Test func unknownKeysAndWrongTypes() {
    let messages = diagnostics(
      Self.header + """
        - id: a
          title: A
          severity: urgent
          rationale: [x]
          check: {fact: svc, equals: Running, fudge: 1}
        - id: b
          title: B
          severity: low
          check: {fact: port, atLeast: high}
        """)
    #expect(
      messages == [
        "p.yml:11:13: error: control 'a' severity must be low, medium, high or critical, found 'urgent'",
        "p.yml:12:14: error: control 'a' rationale must be text, found a list",
        "p.yml:13:39: error: unknown key 'fudge' in control 'a' check. Allowed keys: fact, "
          + "allowAbsent, and, equals, notEquals, in, notIn, present, absent, atLeast, atMost, contains, validForDays, "
          + "equalsFact, firewallAllows, firewallNotBlocked, certificateIn, acl",
        "p.yml:17:32: error: control 'b' check.atLeast must be a number, found the text 'high'",
      ])
  }

  @Test func danglingFactAndControlReferences() {
    let messages = diagnostics(
      Self.header + """
        - id: a
          title: A
          severity: low
          requires: [missing-control]
          check: {fact: Svc.status, equals: Running}
        - id: b
          title: B
          severity: low
          check: {fact: svc.colour, equalsFact: nothing}
        """)
    #expect(
      messages == [
        "p.yml:12:14: error: control 'a' requires control 'missing-control', which does not exist",
        "p.yml:13:17: error: control 'a' check.fact refers to fact 'Svc', which is not declared under facts: did you "
          + "mean 'svc'?",
        "p.yml:17:17: error: fact 'svc' (service) has no field 'colour'; its fields are name, exists, status, startType",
        "p.yml:17:41: error: control 'b' check.equalsFact refers to fact 'nothing', which is not declared under facts: "
          + "declared facts are port, svc, rules, nets",
      ])
  }

  @Test func relationsNeedFactsOfTheRightKind() {
    let messages = diagnostics(
      Self.header + """
        - id: a
          title: A
          severity: high
          check:
            fact: svc
            firewallAllows: {port: {fact: port}, profiles: rules}
        - id: b
          title: B
          severity: high
          check:
            fact: svc
            certificateIn: {fact: port}
        """)
    #expect(
      messages == [
        "p.yml:13:11: error: control 'a' check.fact needs a fact of kind firewallRules, but 'svc' is service",
        "p.yml:14:52: error: control 'a' check.firewallAllows.profiles needs a fact of kind networkProfiles, but "
          + "'rules' is firewallRules",
        "p.yml:20:27: error: control 'b' check.certificateIn.fact needs a fact of kind certificates, but 'port' is "
          + "registry",
      ])
  }

  @Test func duplicateIdsCyclesAndExpectationCount() {
    let messages = diagnostics(
      Self.header + """
        - {id: a, title: A, severity: low, requires: b, check: {fact: svc, equals: Running}}
        - {id: b, title: B, severity: low, requires: [a], check: {fact: svc, equals: Running}}
        - {id: a, title: A2, severity: low, check: {fact: svc, equals: Running}}
        - {id: c, title: C, severity: low, check: {fact: svc}}
        - {id: d, title: D, severity: low, check: {fact: svc, equals: Running, present: true}}
        """)
    #expect(
      messages == [
        "p.yml:9:46: error: control 'a' requires 'b', which leads back to it: remove the cycle",
        "p.yml:10:47: error: control 'b' requires 'a', which leads back to it: remove the cycle",
        "p.yml:11:3: error: duplicate control id 'a' (first at line 9): ids must be unique",
        "p.yml:12:43: error: control 'c' check needs one expectation: equals, notEquals, in, notIn, present, absent, "
          + "atLeast, atMost, contains, validForDays, equalsFact, firewallAllows, firewallNotBlocked, certificateIn, acl",
        "p.yml:13:72: error: control 'd' check has several expectations (equals, present): use one per control",
      ])
  }

  @Test func factDeclarationErrors() {
    // Every built-in kind, in the order the messages list them.
    let kinds = FactKinds.builtIn.names.joined(separator: ", ")
    #expect(kinds.hasPrefix("registry, firewallRules, firewallProfiles, networkProfiles, tcpListener, service, "))
    let messages = diagnostics(
      """
      playbook: 2
      name: t
      facts:
        a: {registry: {path: 'SYSTEM\\X', name: V}}
        b: {firewallRules: {displayName: Remote Desktop}}
        c: {service: TermService, path: 'C:\\'}
        'bad id': {os: {}}
        e: {tcpListener: {port: {fact: nope}}}
        f: {acl: {}}
      controls:
        - {id: x, title: X, severity: low, check: {fact: e, present: true}}
      """)
    #expect(
      messages == [
        "p.yml:1:11: error: playbook format version 2 is not supported; this winaudit reads version 1",
        "p.yml:4:24: error: fact 'a' registry.path must be a PowerShell registry path such as 'HKLM:\\SYSTEM\\...', found "
          + "'SYSTEM\\X'",
        "p.yml:5:23: error: unknown key 'displayName' in fact 'b' firewallRules. Allowed keys: "
          + "names, group, action",
        "p.yml:6:6: error: fact 'c' must have exactly one kind (\(kinds)), found 2",
        "p.yml:7:3: error: fact id 'bad id' may only use letters, digits, '-' and '_'",
        "p.yml:8:34: error: the port of fact 'e' refers to fact 'nope', which is not declared under facts: declared "
          + "facts are e",
        "p.yml:9:7: error: unknown key 'acl' in fact 'f'. Allowed keys: \(kinds)",
      ])
  }
}
