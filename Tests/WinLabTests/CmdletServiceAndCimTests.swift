import Foundation
import PowerShellInterpreter
import Testing

@testable import WinLab

/// Services with dependencies, and the CIM classes the audit reads.
@Suite struct CmdletServiceAndCimTests {
  @Test func stopNeedsForceBecauseOfDependents() {
    let outcome = CmdletHarness.run(
      """
      try { Stop-Service -Name TermService -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
      (Get-Service -Name TermService).Status
      Stop-Service -Name TermService -Force
      (Get-Service -Name UmRdpService).Status
      Start-Service -Name TermService
      (Get-Service UmRdpService).Status
      """)
    #expect(
      CmdletHarness.lines(outcome) == [
        "ServiceHasDependentServices,Microsoft.PowerShell.Commands.StopServiceCommand", "Running", "Stopped", "Running",
      ])
    #expect(outcome.state.service("UmRdpService")?.isRunning == true)
  }

  @Test func missingServiceIsReported() {
    let outcome = CmdletHarness.run(
      """
      try { Get-Service -Name Nope -ErrorAction Stop } catch [Microsoft.PowerShell.Commands.ServiceCommandException] {
        $_.Exception.Message
      }
      """)
    #expect(CmdletHarness.lines(outcome) == ["Cannot find any service with service name 'Nope'."])
  }

  @Test func restartAppliesTheNewPort() {
    let outcome = CmdletHarness.run(
      """
      Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp' -Name PortNumber -Value 3390
      Restart-Service -Name TermService -Force
      (Get-NetTCPConnection -State Listen -LocalPort 3390 | Select-Object -First 1).LocalPort
      Set-Service -Name TermService -StartupType Disabled
      (Get-Service TermService).StartType
      """)
    #expect(CmdletHarness.lines(outcome) == ["3390", "Disabled"])
    #expect(outcome.state.rdpListener?.port == 3390)
  }

  @Test func tsGeneralSettingShowsPolicySource() throws {
    let outcome = CmdletHarness.run(
      """
      $ts = Get-CimInstance -Namespace 'root\\cimv2\\TerminalServices' -ClassName Win32_TSGeneralSetting -Filter "TerminalName='RDP-Tcp'"
      $ts.UserAuthenticationRequired
      $ts.PolicySourceUserAuthenticationRequired
      $ts.SSLCertificateSHA1HashType
      (Get-CimInstance -ClassName Win32_OperatingSystem).BuildNumber
      try { Get-CimInstance -ClassName Win32_TSGeneralSetting -ErrorAction Stop } catch { $_.Exception.GetType().FullName }
      """,
      on: SampleHostBuilder.variant("NLA-GPO-OFF") {
        $0.registry.setValue(RegistryKeys.terminalServicesPolicy, "UserAuthentication", .dword(0))
      })
    #expect(
      CmdletHarness.lines(outcome) == ["0", "1", "1", "17763", "Microsoft.Management.Infrastructure.CimException"])
  }

  @Test func hostFactsComeFromTheState() {
    let outcome = CmdletHarness.run(
      """
      [System.Environment]::MachineName
      $PSVersionTable.PSVersion.Major
      $env:ProgramData
      """, on: SampleHostBuilder.healthy(computerName: "SRV-MÜNCHEN", windows: .server2019, german: true))
    #expect(CmdletHarness.lines(outcome) == ["SRV-MÜNCHEN", "5", "C:\\ProgramData"])
  }
}
