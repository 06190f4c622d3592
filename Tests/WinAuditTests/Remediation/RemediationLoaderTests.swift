import Testing

@testable import WinAudit

@Suite struct RemediationLoaderTests {
  @Test func repositoryPlaybooksLoad() throws {
    let catalogue = try RemediationFixtures.catalogue()
    #expect(catalogue.fix("nla-required") != nil)
    #expect(catalogue.fix("machinekeys-folder-rename")?.optIn == true)
    #expect(catalogue.fix("tls12-server-enabled")?.disruptive?.contains("reboot") == true)
    #expect(catalogue.fix("firewall-port-matches")?.actions.first is SetFirewallPortAction)
  }

  private func diagnostics(_ yaml: String) -> [Diagnostic] {
    do {
      _ = try RemediationLoader.parse([(yaml, "test.yml")], playbook: Fixtures.baseline)
      return []
    } catch {
      return error.diagnostics
    }
  }

  @Test func unfilteredFirewallEnableIsRejectedWithPosition() {
    let found = diagnostics(
      """
      remediation: 1
      fixes:
        firewall-rdp-allowed:
          summary: x
          actions:
            - enableFirewallRules:
                profiles: connected
      """)
    #expect(found.count == 1)
    #expect(found.first?.line == 7)
    #expect(found.first?.description.hasPrefix("test.yml:7:") == true)
    #expect(found.first?.message.contains("every rule") == true)
  }

  @Test func localizedAccountNamesAreRejected() {
    let found = diagnostics(
      """
      remediation: 1
      fixes:
        machinekeys-acl:
          summary: x
          actions:
            - resetAcl:
                fact: machineKeys
                grants: ['Administrators:F', '*S-1-5-18:F']
      """)
    #expect(found.map(\.line) == [8])
    #expect(found.first?.message.contains("SID") == true)
  }

  @Test func wrongTypesUnknownKeysAndDanglingNamesAreAllReported() {
    let found = diagnostics(
      """
      remediation: 1
      fixes:
        nla-required:
          summary: x
          after: [nothing-here]
          actions:
            - setRegistry: {fact: noSuchFact, value: 1}
            - setRegistry: {fact: nla, value: yes, type: DWord}
            - setFirewallPort: {rule: R, port: 70000}
            - startService: TermService
              policy: {path: 'HKLM:\\P', name: X}
            - resetAcl: {fact: nla, grants: ['*S-1-5-18:F']}
          disruptiv: true
        no-such-control:
          summary: x
          actions:
            - startService: TermService
      """)
    let lines = found.map(\.line)
    #expect(lines.contains(5))  // dangling after
    #expect(found.contains { $0.line == 7 && $0.message.contains("names fact 'noSuchFact'") })
    #expect(lines.contains(8))  // boolean where a DWord is expected
    #expect(lines.contains(9))  // port out of range
    #expect(found.contains { $0.line == 11 && $0.message.contains("unknown key 'policy'") })
    #expect(found.contains { $0.line == 12 && $0.message.contains("needs a fact of kind path, but 'nla' is registry") })
    #expect(found.contains { $0.line == 13 && $0.message.contains("did you mean 'disruptive'") })
    #expect(found.contains { $0.line == 14 && $0.message.contains("control 'no-such-control'") })
  }

  @Test func yamlSyntaxErrorsHavePositions() {
    let found = diagnostics("remediation: 1\nfixes:\n  a: [unclosed\n")
    #expect(found.count == 1)
    #expect(found.first?.line ?? 0 > 0)
  }

  @Test func fixesMustRemediateControlsOfThePlaybook() throws {
    var baseline = Fixtures.baseline
    baseline.controls.removeAll { $0.id == "credssp-not-vulnerable" }
    var found: [Diagnostic] = []
    do {
      _ = try RemediationLoader.load(paths: RemediationFixtures.playbookPaths, playbook: baseline)
    } catch {
      found = error.diagnostics
    }
    #expect(found.count == 1)
    #expect(found.first?.message.contains("credssp-not-vulnerable") == true)
    #expect(found.first?.file.hasSuffix("rdp-remediation.yml") == true)
    // The built-in files under the same playbook leave that fix out instead.
    #expect(try RemediationCatalogue.builtIn(for: baseline).fix("credssp-not-vulnerable") == nil)
  }
}
