import Testing

@testable import WinAudit

@Suite struct RemediationLoaderTests {
  @Test func repositoryPlaybooksLoad() throws {
    let catalogue = try RemediationFixtures.catalogue()
    #expect(catalogue.fix("nla-required") != nil)
    #expect(catalogue.fix("machinekeys-folder-rename")?.optIn == true)
    #expect(catalogue.fix("tls12-server-enabled")?.disruption?.contains("reboot") == true)
    #expect(catalogue.defaultFixes(for: "listener-certificate-valid").map(\.id) == ["listener-certificate-valid"])
  }

  private func diagnostics(_ yaml: String) -> [Diagnostic] {
    do {
      _ = try RemediationLoader.parse([(yaml, "test.yml")])
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
        open-all:
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
        acl:
          summary: x
          actions:
            - resetAcl:
                path: 'C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys'
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
        nla:
          summary: x
          after: [nothing-here]
          actions:
            - setRegistry: {path: 'HKCU:\\Software', name: A, type: DWord, value: 1}
            - setRegistry: {path: 'HKLM:\\Software', name: A, type: DWord, value: yes}
            - setFirewallPort: {rule: R, port: 70000}
            - startService: TermService
              policy: {path: 'HKLM:\\P', name: X}
          disruptiv: true
      """)
    let lines = found.map(\.line)
    #expect(lines.contains(5))  // dangling after
    #expect(lines.contains(7))  // HKCU path
    #expect(lines.contains(8))  // boolean where a DWord is expected
    #expect(lines.contains(9))  // port out of range
    #expect(lines.contains(11))  // policy on a non-registry action
    #expect(found.contains { $0.line == 12 && $0.message.contains("did you mean 'disruptive'") })
  }

  @Test func yamlSyntaxErrorsHavePositions() {
    let found = diagnostics("remediation: 1\nfixes:\n  a: [unclosed\n")
    #expect(found.count == 1)
    #expect(found.first?.line ?? 0 > 0)
  }

  @Test func fixesMustRemediateBaselineControls() throws {
    let catalogue = try RemediationFixtures.catalogue()
    let controls = Set(catalogue.fixes.map(\.control)).subtracting(["credssp-not-vulnerable"])
    let found = catalogue.diagnostics(controls: controls)
    #expect(found.map(\.message).allSatisfy { $0.contains("credssp-not-vulnerable") })
    #expect(found.first?.file.hasSuffix("rdp-remediation.yml") == true)
  }
}
