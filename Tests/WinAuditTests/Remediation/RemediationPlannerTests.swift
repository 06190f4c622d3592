import Foundation
import Testing

@testable import WinAudit

@Suite struct RemediationPlannerTests {
  let catalogue = try! RemediationFixtures.catalogue()

  private func plan(
    _ controls: [String], read: String, options: Planner.Options = Planner.Options()
  ) -> (HostPlan, [Probe]) {
    let planner = Planner(catalogue: catalogue, options: options)
    let fixes = planner.select(drifting: controls).fixes
    let probes = planner.probes(for: fixes)
    let plan = planner.plan(
      host: "h", fixes: fixes, read: RemediationFixtures.read(read), run: RemediationFixtures.run,
      now: RemediationFixtures.now)
    return (plan, probes)
  }

  @Test func localRegistryDriftBecomesOneStep() {
    let (plan, probes) = plan(["nla-required"], read: #"{"f0a0": {"exists": true, "type": "DWord", "value": 0}}"#)
    #expect(probes.map(\.key) == ["f0a0", "f0a0.policy"])
    #expect(plan.steps.count == 1)
    #expect(
      plan.steps.first?.change
        == #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp\UserAuthentication: 0 (DWord) -> 1 (DWord)"#
    )
    #expect(plan.steps.first?.disruptive == nil)
  }

  @Test func groupPolicyValueBlocksTheLocalFixAndNamesThePolicy() {
    let (plan, _) = plan(
      ["nla-required"],
      read:
        #"{"f0a0": {"exists": true, "type": "DWord", "value": 1}, "f0a0.policy": {"exists": true, "type": "DWord", "value": 0}}"#
    )
    #expect(plan.steps.isEmpty)
    #expect(
      plan.skipped.first?.explanation.contains(
        #"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\UserAuthentication = 0"#) == true)
  }

  @Test func firewallRulesGainTheConnectedProfile() {
    let (plan, _) = plan(
      ["firewall-rdp-allowed"],
      read: #"""
        {"f0a0": {"rules": [
          {"name": "RemoteDesktop-UserMode-In-TCP", "exists": true, "enabled": true, "profile": "Domain"},
          {"name": "RemoteDesktop-UserMode-In-UDP", "exists": true, "enabled": false, "profile": "Any"}]},
         "profiles": {"profiles": ["Public"]}}
        """#)
    #expect(
      plan.steps.map(\.change) == [
        "firewall rule RemoteDesktop-UserMode-In-TCP: enabled (Domain) -> enabled (Domain, Public)",
        "firewall rule RemoteDesktop-UserMode-In-UDP: disabled (Any) -> enabled (Any)",
      ])
  }

  @Test func firewallPortFollowsTheListener() {
    let (plan, _) = plan(
      ["firewall-port-matches"],
      read:
        #"{"f0a0": {"exists": true, "localPort": "3389"}, "f0a0.port": {"exists": true, "type": "DWord", "value": 3390}}"#
    )
    #expect(plan.steps.map(\.change) == ["firewall rule RemoteDesktop-UserMode-In-TCP LocalPort: 3389 -> 3390"])
  }

  @Test func disruptiveFixesAreSkippedUnlessAllowed() {
    let read = #"""
      {"f0a0": {"store": "Remote Desktop", "certificates": [
         {"thumbprint": "AB12", "present": true, "subject": "CN=X", "notAfter": "2025-01-01", "expired": true, "hasPrivateKey": true},
         {"thumbprint": "CD34", "present": true, "subject": "CN=Y", "notAfter": "2030-01-01", "expired": false, "hasPrivateKey": true}]},
       "f0a1": {"exists": false},
       "service:termservice": {"exists": true, "status": "Running", "startType": "Manual"}}
      """#
    let (skipped, _) = plan(["listener-certificate-valid"], read: read)
    #expect(skipped.steps.isEmpty)
    #expect(skipped.skipped.first?.explanation.contains("--allow-disruptive") == true)

    let (allowed, _) = plan(["listener-certificate-valid"], read: read, options: .init(allowDisruptive: true))
    #expect(
      allowed.steps.map(\.change) == [
        #"certificate AB12 in Remote Desktop: present (CN=X, expires 2025-01-01) -> removed (exported to C:\ProgramData\winaudit\backup\20250601-120000-abc123\AB12.cer)"#,
        "restart service TermService: Running -> Running",
      ])
    #expect(allowed.steps.last?.disruptive == "restarts TermService")
  }

  @Test func keyFileRenameStopsTermServiceFirstAndStartsItAfter() {
    let read = #"""
      {"f0a0": {"path": "C:\\MK\\f686aace6942fb7f7ceb231212eef4a4_guid", "exists": true},
       "f0a1": {"store": "Remote Desktop", "certificates": [
         {"thumbprint": "AB12", "present": true, "subject": "CN=H", "issuer": "CN=H", "notAfter": "2026-01-01", "expired": false, "hasPrivateKey": true},
         {"thumbprint": "CD34", "present": true, "subject": "CN=H", "issuer": "CN=CA", "notAfter": "2026-01-01", "expired": false, "hasPrivateKey": true}]},
       "service:termservice": {"exists": true, "status": "Running", "startType": "Manual"}}
      """#
    let (plan, _) = plan(["rdp-key-file-acl"], read: read, options: .init(allowDisruptive: true))
    #expect(
      plan.steps.map(\.change) == [
        "service TermService: Running -> Stopped",
        #"C:\MK\f686aace6942fb7f7ceb231212eef4a4_guid: present -> renamed to f686aace6942fb7f7ceb231212eef4a4_guid_Old_20250601120000"#,
        #"certificate AB12 in Remote Desktop: present (CN=H, expires 2026-01-01) -> removed (exported to C:\ProgramData\winaudit\backup\20250601-120000-abc123\AB12.cer)"#,
        "service TermService: Stopped -> Running",
      ])
    #expect(plan.steps.map(\.id) == ["1", "2", "3", "4"])
    #expect(plan.steps[0].control == nil && plan.steps[1].control == "rdp-key-file-acl")
    #expect(plan.steps[0].disruptive == "stops TermService")
  }

  @Test func aclResetAndCertificateRemovalShareOneRestart() {
    let read = #"""
      {"f0a0": {"path": "C:\\MK", "exists": true, "sddl": "O:SYG:SYD:P(D;;FA;;;NS)"},
       "f1a0": {"store": "Remote Desktop", "certificates": [
         {"thumbprint": "AB12", "present": true, "subject": "CN=X", "notAfter": "2025-01-01", "expired": true, "hasPrivateKey": false}]},
       "service:termservice": {"exists": true, "status": "Running", "startType": "Manual"}}
      """#
    let (plan, _) = plan(
      ["machinekeys-acl", "listener-certificate-valid"], read: read, options: .init(allowDisruptive: true))
    #expect(plan.steps.count == 3)
    #expect(plan.steps.first?.fix == "machinekeys-acl")
    #expect(plan.steps.filter { if case .serviceRestart = $0.action { true } else { false } }.count == 1)
    #expect(plan.steps.last?.action == .serviceRestart(service: "TermService"))
  }

  @Test func certificatesExpiringSoonAreRemovedByTheHostsClock() {
    let read = #"""
      {"f0a0": {"store": "Remote Desktop", "certificates": [
         {"thumbprint": "AB12", "present": true, "subject": "CN=X", "notAfter": "2025-06-10T00:00:00.0000000Z", "expired": false, "hasPrivateKey": true},
         {"thumbprint": "CD34", "present": true, "subject": "CN=Y", "notAfter": "2025-09-10T00:00:00.0000000Z", "expired": false, "hasPrivateKey": true}]},
       "now": {"now": "2025-06-01T12:00:00.0000000Z"},
       "service:termservice": {"exists": true, "status": "Running", "startType": "Manual"}}
      """#
    let (plan, probes) = plan(["listener-certificate-validity"], read: read, options: .init(allowDisruptive: true))
    #expect(probes.map(\.key).contains("now"))
    #expect(plan.steps.map(\.action.target) == ["certificate AB12 in Remote Desktop", "restart service TermService"])
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
      read:
        #"{"f1a0": {"exists": true, "type": "DWord", "value": 1}, "service:termservice": {"exists": true, "status": "Running", "startType": "Manual"}}"#
    )
    #expect(plan.steps.isEmpty)
    #expect(plan.skipped.allSatisfy { $0.reason == .nothingToChange })
  }

  @Test func onlyNarrowsAndUnfixableControlsAreListed() {
    let planner = Planner(catalogue: catalogue, options: .init(only: ["nla-required", "no-such-fix"]))
    let selection = planner.select(drifting: ["nla-required", "rdp-allowed", "no-such-fix"])
    #expect(selection.fixes.map(\.id) == ["nla-required"])
    #expect(selection.unfixed.map(\.control) == ["no-such-fix"])
  }
}
