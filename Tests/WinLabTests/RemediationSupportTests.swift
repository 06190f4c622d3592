import Foundation
import PowerShellInterpreter
import Testing

@testable import WinLab

/// Lab behaviours winaudit's fixes rely on, as Windows PowerShell 5.1 shows them, and the lab's fault hook.
@Suite struct RemediationSupportTests {
  @Test func setNetFirewallRuleTakesSeveralProfilesAsAnArrayOrOneString() {
    let outcome = CmdletHarness.run(
      """
      Set-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -Profile 'Domain','Public'
      Set-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-UDP' -Profile 'Private, Public'
      """, on: SampleHostBuilder.firewallPublicOff())
    #expect(outcome.result.errors.isEmpty)
    let rules = outcome.state.firewallRules
    #expect(rules.first { $0.name == "RemoteDesktop-UserMode-In-TCP" }?.profile == [.domain, .public])
    #expect(rules.first { $0.name == "RemoteDesktop-UserMode-In-UDP" }?.profile == [.private, .public])
  }

  @Test func aFolderCannotBeCreatedBelowAFileEvenWithForce() {
    let outcome = CmdletHarness.run(
      #"""
      $ErrorActionPreference = 'Stop'
      $null = New-Item -ItemType Directory -Path 'C:\ProgramData\winaudit' -Force
      Set-Content -Path 'C:\ProgramData\winaudit\backup' -Value 'x'
      try { $null = New-Item -ItemType Directory -Path 'C:\ProgramData\winaudit\backup\run' -Force; 'created' }
      catch { $_.Exception.GetType().FullName }
      Test-Path -Path 'C:\ProgramData\winaudit\backup\run'
      """#)
    #expect(CmdletHarness.lines(outcome) == ["System.IO.IOException", "False"])
  }

  @Test func hostSettingsWithoutTheFaultHookStillLoad() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winlab-settings-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let directory = HostDirectory(folder)
    try Data(#"{"name": "h", "startupMilliseconds": 5, "slowCmdlets": {}}"#.utf8).write(to: directory.settingsFile)
    let settings = try HostSettings.load(from: directory)
    #expect(settings.dropAfterCommand == nil && settings.dropAfterCount == nil)
    var faulty = settings
    faulty.dropAfterCommand = "Set-NetFirewallRule"
    faulty.dropAfterCount = 2
    try faulty.save(to: directory)
    #expect(try HostSettings.load(from: directory) == faulty)
  }
}
