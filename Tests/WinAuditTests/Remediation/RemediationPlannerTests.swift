import Foundation
import Testing

@testable import WinAudit

@Suite struct RemediationPlannerTests {
  let catalogue = try! RemediationFixtures.catalogue()

  private func plan(
    _ controls: [String], answers table: KeyValuePairs<String, String>, options: Planner.Options = Planner.Options()
  ) -> (HostPlan, [HostRead]) {
    let planner = Planner(catalogue: catalogue, options: options)
    let fixes = planner.select(drifting: controls).fixes
    let reads = planner.reads(for: fixes)
    let plan = planner.plan(
      host: "h", fixes: fixes, reads: RemediationFixtures.answers(reads, table), run: RemediationFixtures.run,
      now: RemediationFixtures.now)
    return (plan, reads)
  }

  @Test func localRegistryDriftBecomesOneStep() {
    let (plan, reads) = plan(
      ["nla-required"],
      answers: ["RDP-Tcp'": RemediationFixtures.registry(0), "Terminal Services'": "{\"exists\": false}"])
    #expect(
      reads.map(\.expression) == [
        #"Read-WinAuditRegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name 'UserAuthentication'"#,
        #"Read-WinAuditRegistryValue -Path 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' -Name 'UserAuthentication'"#,
      ])
    #expect(plan.steps.count == 1)
    #expect(
      plan.steps.first?.summary
        == #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp\UserAuthentication: 0 (DWord) -> 1 (DWord)"#
    )
    #expect(plan.steps.first?.disruptive == nil)
  }

  @Test func groupPolicyValueBlocksTheLocalFixAndNamesThePolicy() {
    let (plan, _) = plan(
      ["nla-required"],
      answers: ["RDP-Tcp'": RemediationFixtures.registry(1), "Terminal Services'": RemediationFixtures.registry(0)])
    #expect(plan.steps.isEmpty)
    #expect(
      plan.skipped.first?.explanation.contains(
        #"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\UserAuthentication = 0"#) == true)
  }

  @Test func anUnreadableRegistryValueIsNeverTakenForAbsent() {
    let (plan, _) = plan(
      ["nla-required"],
      answers: [
        "RDP-Tcp'": #"{"exists": true, "type": "DWord", "value": "x"}"#, "Terminal Services'": "{\"exists\": false}",
      ])
    #expect(plan.steps.isEmpty)
    #expect(plan.skipped.first?.explanation.contains("could not be read") == true)
  }

  @Test func firewallRulesGainTheConnectedProfile() {
    let (plan, _) = plan(
      ["firewall-rdp-allowed"],
      answers: [
        "-Name 'RemoteDesktop-UserMode-In-TCP'":
          #"{"name": "RemoteDesktop-UserMode-In-TCP", "exists": true, "enabled": true, "profile": "Domain"}"#,
        "-Name 'RemoteDesktop-UserMode-In-UDP'":
          #"{"name": "RemoteDesktop-UserMode-In-UDP", "exists": true, "enabled": false, "profile": "Any"}"#,
        "Get-WinAuditNetworkProfiles":
          #"{"profiles": [{"interfaceAlias": "Ethernet", "networkCategory": "Public"}]}"#,
      ])
    #expect(
      plan.steps.map(\.summary) == [
        "firewall rule RemoteDesktop-UserMode-In-TCP: enabled (Domain) -> enabled (Domain, Public)",
        "firewall rule RemoteDesktop-UserMode-In-UDP: disabled (Any) -> enabled (Any)",
      ])
  }

  @Test func firewallPortFollowsThePortNumberFactOnTCPAndUDP() {
    let (plan, reads) = plan(
      ["firewall-port-matches"],
      answers: [
        "'RemoteDesktop-UserMode-In-TCP'":
          #"{"name": "RemoteDesktop-UserMode-In-TCP", "exists": true, "enabled": true, "localPort": ["3389"]}"#,
        "'RemoteDesktop-UserMode-In-UDP'":
          #"{"name": "RemoteDesktop-UserMode-In-UDP", "exists": true, "enabled": true, "localPort": ["3389"]}"#,
        "'PortNumber'": RemediationFixtures.registry(3390),
      ])
    #expect(reads.count == 3)
    #expect(
      plan.steps.map(\.summary) == [
        "firewall rule RemoteDesktop-UserMode-In-TCP LocalPort: 3389 -> 3390",
        "firewall rule RemoteDesktop-UserMode-In-UDP LocalPort: 3389 -> 3390",
      ])
  }

  @Test func aFirewallRuleFromGroupPolicyIsNotChangedLocally() {
    let (plan, _) = plan(
      ["firewall-port-matches"],
      answers: [
        "Read-WinAuditFirewallRule":
          #"{"name": "RemoteDesktop-UserMode-In-TCP", "exists": false, "fromGroupPolicy": true}"#,
        "'PortNumber'": RemediationFixtures.registry(3390),
      ])
    #expect(plan.steps.isEmpty)
    #expect(plan.skipped.first?.explanation.contains("comes from Group Policy") == true)
  }

  static let certificates = #"""
    {"store": "Cert:\\LocalMachine\\Remote Desktop", "exists": true, "certificates": [
       {"thumbprint": "AB12", "subject": "CN=X", "issuer": "CN=X", "notAfter": "2025-01-01T00:00:00.0000000Z", "hasPrivateKey": true, "keyFileSddl": "O:SYG:SYD:P(A;;FA;;;SY)(A;;FR;;;NS)"},
       {"thumbprint": "CD34", "subject": "CN=Y", "issuer": "CN=Y", "notAfter": "2030-01-01T00:00:00.0000000Z", "hasPrivateKey": true, "keyFileSddl": "O:SYG:SYD:P(A;;FA;;;SY)(A;;FR;;;NS)"}]}
    """#

  @Test func disruptiveFixesAreSkippedUnlessAllowed() {
    let answers: KeyValuePairs<String, String> = [
      "Get-WinAuditCertificates": Self.certificates, "Read-WinAuditClock": #"{"now": "2025-06-01T12:00:00Z"}"#,
      "Get-WinAuditService": RemediationFixtures.termServiceRunning,
    ]
    let (skipped, _) = plan(["listener-certificate-valid"], answers: answers)
    #expect(skipped.steps.isEmpty)
    #expect(skipped.skipped.first?.explanation.contains("--allow-disruptive") == true)
    let (allowed, _) = plan(["listener-certificate-valid"], answers: answers, options: .init(allowDisruptive: true))
    #expect(
      allowed.steps.map(\.summary) == [
        #"certificate AB12 in Cert:\LocalMachine\Remote Desktop: present (CN=X, expires 2025-01-01T00:00:00.0000000Z) -> removed (exported to C:\ProgramData\winaudit\backup\20250601-120000-abc123\AB12.cer)"#,
        "restart service TermService: Running -> Running",
      ])
    #expect(allowed.steps.last?.disruptive == "restarts TermService")
  }

  @Test func keyFileRenameStopsTermServiceFirstAndStartsItAfter() {
    let (plan, _) = plan(
      ["rdp-key-file-acl"],
      answers: [
        "f686aace6942fb7f7ceb231212eef4a4_{MachineGuid}":
          #"{"path": "C:\\MK\\f686aace6942fb7f7ceb231212eef4a4_guid", "exists": true, "sddl": "O:SY"}"#,
        "Get-WinAuditCertificates": #"""
        {"store": "Cert:\\LocalMachine\\Remote Desktop", "exists": true, "certificates": [
           {"thumbprint": "AB12", "subject": "CN=H", "issuer": "CN=H", "notAfter": "2026-01-01T00:00:00.0000000Z", "hasPrivateKey": true, "keyFileSddl": "O:SYG:SYD:P(A;;FA;;;SY)(A;;FR;;;NS)"},
           {"thumbprint": "CD34", "subject": "CN=H", "issuer": "CN=CA", "notAfter": "2026-01-01T00:00:00.0000000Z", "hasPrivateKey": true, "keyFileSddl": "O:SYG:SYD:P(A;;FA;;;SY)(A;;FR;;;NS)"}]}
        """#,
        "Get-WinAuditService": RemediationFixtures.termServiceRunning,
      ], options: .init(allowDisruptive: true))
    #expect(
      plan.steps.map(\.summary) == [
        "service TermService: Running -> Stopped",
        #"C:\MK\f686aace6942fb7f7ceb231212eef4a4_guid: present -> renamed to f686aace6942fb7f7ceb231212eef4a4_guid_Old_20250601120000"#,
        #"certificate AB12 in Cert:\LocalMachine\Remote Desktop: present (CN=H, expires 2026-01-01T00:00:00.0000000Z) -> removed (exported to C:\ProgramData\winaudit\backup\20250601-120000-abc123\AB12.cer)"#,
        "service TermService: Stopped -> Running",
      ])
    #expect(plan.steps.map(\.id) == ["1", "2", "3", "4"])
    #expect(plan.steps[0].control == nil && plan.steps[1].control == "rdp-key-file-acl")
    #expect(plan.steps[0].disruptive == "stops TermService")
  }

  @Test func aclResetAndCertificateRemovalShareOneRestart() {
    let (plan, _) = plan(
      ["machinekeys-acl", "listener-certificate-valid"],
      answers: [
        #"RSA\MachineKeys'"#: #"{"path": "C:\\MK", "exists": true, "sddl": "O:SYG:SYD:P(D;;FA;;;NS)"}"#,
        "Get-WinAuditCertificates": #"""
        {"store": "Cert:\\LocalMachine\\Remote Desktop", "exists": true, "certificates": [
           {"thumbprint": "AB12", "subject": "CN=X", "issuer": "CN=X", "notAfter": "2030-01-01T00:00:00.0000000Z", "hasPrivateKey": false}]}
        """#,
        "Get-WinAuditService": RemediationFixtures.termServiceRunning,
      ], options: .init(allowDisruptive: true))
    #expect(plan.steps.count == 3)
    #expect(plan.steps.first?.fix == "machinekeys-acl")
    #expect(plan.steps.filter { $0.target == "restart service TermService" }.count == 1)
    #expect(plan.steps.last?.target == "restart service TermService")
  }

  @Test func certificatesExpiringSoonAreRemovedByTheHostsClock() {
    let (plan, reads) = plan(
      ["listener-certificate-validity"],
      answers: [
        "Get-WinAuditCertificates": #"""
        {"store": "Cert:\\LocalMachine\\Remote Desktop", "exists": true, "certificates": [
           {"thumbprint": "AB12", "subject": "CN=X", "issuer": "CN=X", "notAfter": "2025-06-10T00:00:00.0000000Z", "hasPrivateKey": true, "keyFileSddl": "O:SYG:SYD:P(A;;FA;;;SY)(A;;FR;;;NS)"},
           {"thumbprint": "CD34", "subject": "CN=Y", "issuer": "CN=Y", "notAfter": "2025-09-10T00:00:00.0000000Z", "hasPrivateKey": true, "keyFileSddl": "O:SYG:SYD:P(A;;FA;;;SY)(A;;FR;;;NS)"}]}
        """#,
        "Read-WinAuditClock": #"{"now": "2025-06-01T12:00:00.0000000Z"}"#,
        "Get-WinAuditService": RemediationFixtures.termServiceRunning,
      ], options: .init(allowDisruptive: true))
    #expect(reads.contains(.clock))
    #expect(
      plan.steps.map(\.target) == [
        #"certificate AB12 in Cert:\LocalMachine\Remote Desktop"#, "restart service TermService",
      ])
  }

  @Test func folderRenameOnlyWhenIncludedAndItSupersedesTheNarrowFixes() throws {
    let drifting = ["machinekeys-acl", "rdp-key-file-acl", "listener-certificate-valid"]
    let planner = Planner(catalogue: catalogue)
    #expect(
      planner.select(drifting: drifting).fixes.map(\.id) == [
        "machinekeys-acl", "rdp-key-file-acl", "listener-certificate-valid",
      ])
    let included = Planner(catalogue: catalogue, options: .init(include: ["machinekeys-folder-rename"]))
    #expect(
      included.select(drifting: drifting).fixes.map(\.id) == [
        "listener-certificate-valid", "machinekeys-folder-rename",
      ])
  }

  @Test func hostAlreadyAtTargetPlansNothing() {
    let (plan, _) = plan(
      ["nla-required", "termservice-running"],
      answers: [
        "RDP-Tcp'": RemediationFixtures.registry(1), "Terminal Services'": "{\"exists\": false}",
        "Get-WinAuditService": RemediationFixtures.termServiceRunning,
      ])
    #expect(plan.steps.isEmpty)
    #expect(plan.skipped.allSatisfy { $0.reason == .nothingToChange })
  }

  @Test func eachDistinctReadIsSentOnce() {
    let planner = Planner(catalogue: catalogue, options: .init(allowDisruptive: true))
    let fixes = planner.select(drifting: ["termservice-running", "listener-on-port", "listener-certificate-valid"])
      .fixes
    let reads = planner.reads(for: fixes).map(\.expression)
    #expect(Set(reads).count == reads.count)
    #expect(reads.filter { $0.contains("Get-WinAuditService") }.count == 1)
  }

  @Test func onlyNarrowsAndUnfixableControlsAreListed() {
    let planner = Planner(catalogue: catalogue, options: .init(only: ["nla-required", "no-such-fix"]))
    let selection = planner.select(drifting: ["nla-required", "rdp-allowed", "no-such-fix"])
    #expect(selection.fixes.map(\.id) == ["nla-required"])
    #expect(selection.unfixed.map(\.control) == ["no-such-fix"])
  }
}
