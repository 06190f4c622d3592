import Foundation
import PowerShellInterpreter
import Testing

@testable import WinLab

/// The registry provider: reads, writes and the errors 5.1 gives for missing keys and values.
@Suite struct CmdletRegistryTests {
  let rdp = #"'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'"#

  @Test func readsValuesWithTheirDotNetTypes() {
    let outcome = CmdletHarness.run(
      """
      $p = Get-ItemProperty -Path \(rdp) -Name PortNumber
      $p.PortNumber
      $p.PortNumber -is [int]
      Get-ItemPropertyValue -LiteralPath 'Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography' -Name MachineGuid
      (Get-Item -Path 'HKLM:\\SOFTWARE\\OpenSSH').Name
      Test-Path 'hklm:\\system\\currentcontrolset\\control'
      Test-Path 'HKLM:\\SOFTWARE\\Nope'
      """)
    #expect(outcome.exitCode == 0)
    #expect(outcome.result.errors.isEmpty)
    let lines = CmdletHarness.lines(outcome)
    #expect(lines.count == 6)
    #expect(Array(lines.prefix(2)) == ["3389", "True"])
    #expect(lines[2] == CmdletHarness.healthy().machineGuid)
    #expect(Array(lines.suffix(3)) == ["HKEY_LOCAL_MACHINE\\SOFTWARE\\OpenSSH", "True", "False"])
  }

  @Test func missingKeyIsItemNotFound() {
    let outcome = CmdletHarness.run(
      """
      $ErrorActionPreference = 'Stop'
      try { Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Nope' } catch [System.Management.Automation.ItemNotFoundException] {
        $_.Exception.Message
        $_.FullyQualifiedErrorId
      }
      """)
    #expect(
      CmdletHarness.lines(outcome) == [
        "Cannot find path 'HKLM:\\SOFTWARE\\Nope' because it does not exist.",
        "PathNotFound,Microsoft.PowerShell.Commands.GetItemPropertyCommand",
      ])
  }

  @Test func missingValueIsArgumentException() {
    let outcome = CmdletHarness.run(
      """
      try { Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\OpenSSH' -Name DefaultShell -ErrorAction Stop }
      catch [System.Management.Automation.PSArgumentException] { $_.Exception.Message }
      Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\OpenSSH' -Name DefaultShell -ErrorAction SilentlyContinue
      'after'
      """)
    #expect(
      CmdletHarness.lines(outcome) == [
        "Property DefaultShell does not exist at path HKEY_LOCAL_MACHINE\\SOFTWARE\\OpenSSH.", "after",
      ])
  }

  @Test func writesChangeTheState() throws {
    let outcome = CmdletHarness.run(
      """
      $ErrorActionPreference = 'Stop'
      Set-ItemProperty -Path \(rdp) -Name PortNumber -Value 3390
      New-ItemProperty -Path 'HKLM:\\SOFTWARE\\OpenSSH' -Name DefaultShell -PropertyType String -Value 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' | Out-Null
      New-Item -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services' -Force | Out-Null
      New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services' -Name UserAuthentication -PropertyType DWord -Value 0 | Out-Null
      Remove-ItemProperty -Path \(rdp) -Name fPromptForPassword
      try { New-ItemProperty -Path 'HKLM:\\SOFTWARE\\OpenSSH' -Name DefaultShell -Value x } catch { $_.Exception.Message }
      """)
    #expect(outcome.exitCode == 0)
    #expect(CmdletHarness.lines(outcome) == ["The property already exists."])
    let state = outcome.state
    #expect(state.registry.value(RegistryKeys.rdpTcp, "PortNumber") == .dword(3390))
    #expect(state.defaultShellIsPowerShell)
    #expect(state.effectiveRDPSettings.userAuthentication == EffectiveSetting(value: 0, source: .groupPolicy))
    #expect(state.registry.value(RegistryKeys.rdpTcp, "fPromptForPassword") == nil)
    // The listener keeps the old port until TermService restarts.
    #expect(state.rdpListener?.port == 3389)
  }

  @Test func binaryValuesRoundTrip() {
    let outcome = CmdletHarness.run(
      """
      Set-ItemProperty -Path \(rdp) -Name SSLCertificateSHA1Hash -Value ([byte[]](0xAB, 0x01)) -Type Binary
      (Get-ItemProperty -Path \(rdp)).SSLCertificateSHA1Hash.Count
      """)
    #expect(CmdletHarness.lines(outcome) == ["2"])
    #expect(outcome.state.registry.value(RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash") == .binary([0xAB, 0x01]))
  }
}
