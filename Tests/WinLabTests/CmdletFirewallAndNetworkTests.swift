import Foundation
import PowerShellInterpreter
import Testing

@testable import WinLab

/// Firewall rules, port filters, TCP listeners and connection profiles.
@Suite struct CmdletFirewallAndNetworkTests {
  @Test func queriesByGroupAndReadsPortFilters() {
    let outcome = CmdletHarness.run(
      """
      $rules = @(Get-NetFirewallRule -Group '@FirewallAPI.dll,-28752' -PolicyStore ActiveStore)
      $rules.Count
      $tcp = Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP'
      $tcp.Enabled
      $tcp.Profile
      ($tcp | Get-NetFirewallPortFilter).LocalPort
      $tcp | ConvertTo-Json -Depth 2 -Compress | Out-Null
      [int]$tcp.Direction
      """)
    #expect(outcome.result.errors.isEmpty)
    #expect(CmdletHarness.lines(outcome) == ["3", "True", "Any", "3389", "1"])
  }

  @Test func unknownNameIsANonTerminatingObjectNotFound() {
    let outcome = CmdletHarness.run(
      """
      Get-NetFirewallRule -Name 'Nope' -ErrorVariable e -ErrorAction SilentlyContinue
      $e[0].Exception.Message
      $e[0].CategoryInfo.Category
      'still running'
      """)
    #expect(
      CmdletHarness.lines(outcome) == [
        "No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to 'Nope'. Verify the value of the "
          + "property and retry.",
        "ObjectNotFound", "still running",
      ])
  }

  @Test func enableWithoutAFilterEnablesEveryRule() {
    let outcome = CmdletHarness.run("Enable-NetFirewallRule")
    #expect(outcome.exitCode == 0)
    let disabledAfter = outcome.state.firewallRules.filter { !$0.enabled }
    let disabledBefore = CmdletHarness.healthy().firewallRules.filter { !$0.enabled }
    #expect(disabledAfter.isEmpty)
    #expect(!disabledBefore.isEmpty)
  }

  @Test func enableByNameAndGroupTouchesOnlyThoseRules() {
    var state = SampleHostBuilder.firewallPublicOff()
    for index in state.firewallRules.indices where state.firewallRules[index].group == SampleHostBuilder.rdpGroup {
      state.firewallRules[index].enabled = false
    }
    let outcome = CmdletHarness.run(
      """
      Enable-NetFirewallRule -Group '@FirewallAPI.dll,-28752'
      Set-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -Profile Any -LocalPort 3390
      Disable-NetFirewallRule -Name 'RemoteDesktop-Shadow-In-TCP'
      """, on: state)
    #expect(outcome.result.errors.isEmpty)
    let rules = outcome.state.firewallRules
    #expect(rules.first { $0.name == "RemoteDesktop-UserMode-In-TCP" }?.profile == .any)
    #expect(rules.first { $0.name == "RemoteDesktop-UserMode-In-TCP" }?.localPort == "3390")
    #expect(rules.first { $0.name == "RemoteDesktop-UserMode-In-UDP" }?.enabled == true)
    #expect(rules.first { $0.name == "RemoteDesktop-Shadow-In-TCP" }?.enabled == false)
    #expect(rules.first { $0.name == "FPS-SMB-In-TCP" }?.enabled == false)
  }

  @Test func groupPolicyRulesAreOnlyInTheActiveStoreAndReadOnly() {
    var state = CmdletHarness.healthy()
    state.firewallRules.append(
      FirewallRule(
        name: "{GPO-RDP-Block}", displayName: "Block RDP", group: nil, enabled: true, action: .block, localPort: "3389",
        policyStore: .gpo))
    let outcome = CmdletHarness.run(
      """
      @(Get-NetFirewallRule).Count
      @(Get-NetFirewallRule -PolicyStore ActiveStore).Count
      Get-NetFirewallRule -PolicyStore ActiveStore -Name '{GPO-RDP-Block}' | Disable-NetFirewallRule -ErrorVariable denied -ErrorAction SilentlyContinue
      $denied[0].CategoryInfo.Category
      """, on: state)
    #expect(CmdletHarness.lines(outcome) == ["7", "8", "PermissionDenied"])
    #expect(outcome.state.firewallRules.last?.enabled == true)
  }

  @Test func slowFirewallTakesItsTime() {
    let start = Date()
    let outcome = CmdletHarness.run(
      "@(Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP').Count",
      options: WinLabOptions(slowCmdlets: ["get-netfirewallrule": 300]))
    #expect(CmdletHarness.lines(outcome) == ["1"])
    #expect(Date().timeIntervalSince(start) >= 0.3)
  }

  @Test func tcpListenerMapsToTermService() {
    let outcome = CmdletHarness.run(
      """
      $c = Get-NetTCPConnection -State Listen -LocalPort 3389 | Select-Object -First 1
      $svc = Get-CimInstance -ClassName Win32_Service -Filter "ProcessId = $($c.OwningProcess)"
      $svc.Name
      Get-NetTCPConnection -State Listen -LocalPort 3390 -ErrorVariable missing -ErrorAction SilentlyContinue
      $missing[0].Exception.Message
      $?
      'next'
      """)
    let lines = CmdletHarness.lines(outcome)
    #expect(lines.first == "TermService")
    #expect(
      lines.dropFirst().first
        == "No MSFT_NetTCPConnection objects found with property 'LocalPort' equal to '3390'. Verify the value of the "
        + "property and retry.")
    #expect(lines.last == "next")
  }

  @Test func connectionProfileShowsTheCategory() {
    let outcome = CmdletHarness.run(
      """
      $p = Get-NetConnectionProfile
      $p.NetworkCategory
      [int]$p.NetworkCategory
      Set-NetConnectionProfile -InterfaceAlias 'Ethernet' -NetworkCategory Private
      """, on: SampleHostBuilder.firewallPublicOff())
    #expect(CmdletHarness.lines(outcome) == ["Public", "0"])
    #expect(outcome.state.activeFirewallProfiles == .private)
  }

  @Test func firewallProfilesShowTheSettingsInForce() {
    var state = CmdletHarness.healthy()
    state.firewallProfiles = FirewallProfileSettings.defaults.map {
      var profile = $0
      if profile.name == "Public" { profile.allowInboundRules = false }
      return profile
    }
    let outcome = CmdletHarness.run(
      """
      $all = @(Get-NetFirewallProfile -PolicyStore 'ActiveStore')
      $all.Count
      $public = $all | Where-Object { $_.Name -eq 'Public' }
      "$($public.Enabled) $($public.DefaultInboundAction) $($public.AllowInboundRules) $($public.AllowLocalFirewallRules)"
      [int]$public.AllowInboundRules
      """, on: state)
    #expect(outcome.result.errors.isEmpty)
    #expect(CmdletHarness.lines(outcome) == ["3", "True Block False True", "0"])
  }

  @Test func firewallProfilesOutsideTheActiveStoreAreNotModelled() {
    let outcome = CmdletHarness.run("Get-NetFirewallProfile -Name 'Domain'")
    #expect(outcome.result.errors.map(\.message).joined().contains("WinLab does not model Get-NetFirewallProfile"))
  }

  @Test func addressApplicationAndServiceFiltersJoinByInstanceID() {
    var state = CmdletHarness.healthy()
    state.firewallRules.append(
      FirewallRule(
        name: "block-guests", displayName: "Block guests", enabled: true, action: .block, protocol: "TCP",
        localPort: "3389", remoteAddress: "203.0.113.0/24, 198.51.100.7"))
    let outcome = CmdletHarness.run(
      """
      $addresses = @{}
      foreach ($f in @(Get-NetFirewallAddressFilter -PolicyStore 'ActiveStore' -All)) { $addresses[$f.InstanceID] = $f }
      $addresses['block-guests'].RemoteAddress -join '|'
      $addresses['RemoteDesktop-UserMode-In-TCP'].RemoteAddress
      $programs = @{}
      foreach ($f in @(Get-NetFirewallApplicationFilter -PolicyStore 'ActiveStore' -All)) { $programs[$f.InstanceID] = $f }
      $programs['RemoteDesktop-UserMode-In-TCP'].Program
      $services = @{}
      foreach ($f in @(Get-NetFirewallServiceFilter -PolicyStore 'ActiveStore' -All)) { $services[$f.InstanceID] = $f }
      $services['RemoteDesktop-UserMode-In-TCP'].Service
      @(Get-NetFirewallRule -PolicyStore 'ActiveStore' -Direction 'Inbound' -Action 'Block' -Enabled 'True').Count
      """, on: state)
    #expect(outcome.result.errors.isEmpty)
    #expect(
      CmdletHarness.lines(outcome) == [
        "203.0.113.0/24|198.51.100.7", "Any", "%SystemRoot%\\system32\\svchost.exe", "termservice", "1",
      ])
  }

  /// What the firewall cmdlets answer with MpsSvc stopped is not known: the lab fails loudly.
  @Test func theActiveStoreCannotBeReadWhileTheFirewallServiceIsStopped() {
    var state = CmdletHarness.healthy()
    state.updateService("MpsSvc") { $0.status = .stopped }
    let outcome = CmdletHarness.run(
      "Get-NetFirewallRule -PolicyStore 'ActiveStore' -Name 'RemoteDesktop-UserMode-In-TCP'", on: state)
    #expect(outcome.result.errors.map(\.message).joined().contains("MpsSvc"))
  }

  @Test func blockRulesAndProfileSettingsDecideWhetherTheListenerIsReachable() {
    var state = CmdletHarness.healthy()
    #expect(state.firewallAllowsInbound(port: 3389))
    state.firewallProfiles = FirewallProfileSettings.defaults.map {
      var profile = $0
      profile.allowLocalFirewallRules = false
      return profile
    }
    #expect(!state.firewallAllowsInbound(port: 3389))
    state.firewallProfiles = FirewallProfileSettings.defaults.map {
      var profile = $0
      profile.enabled = false
      return profile
    }
    state.firewallRules.append(
      FirewallRule(
        name: "block", displayName: "Block", enabled: true, action: .block, protocol: "TCP", localPort: "Any"))
    #expect(state.firewallAllowsInbound(port: 3389))
    state.firewallProfiles = nil
    #expect(!state.firewallAllowsInbound(port: 3389))
  }
}
