import Foundation
import Testing

@testable import WinAudit

/// Every script remediation can emit: pre-reads, apply scripts and rollback scripts, for every kind of step.
enum RemediationScriptSamples {
  static let run = RemediationFixtures.run
  static let now = RemediationFixtures.now

  /// One step of every kind, in both directions, with awkward values (quotes, look-alike quotes, `$`, spaces).
  static var steps: [FixStep] {
    let awkward = "Rule 'x' \u{2019}$(calc)` \"q\""
    func record(_ pairs: KeyValuePairs<String, FactValue>) -> FactValue { .record(pairs) }
    return [
      FixStep(
        id: "1", fix: "nla-required", control: "nla-required",
        action: .registryValue(RegistryValueRef(path: #"HKLM:\SOFTWARE\Test 'it'"#, name: awkward)),
        before: record(["exists": .bool(false)]),
        after: record(["exists": .bool(true), "type": .string("DWord"), "value": .int(4_294_967_295)])),
      FixStep(
        id: "2", fix: "tls", control: "tls",
        action: .registryValue(RegistryValueRef(path: #"HKLM:\SOFTWARE\A"#, name: "Multi")),
        before: record(["exists": .bool(true), "type": .string("Binary"), "value": .array([.int(1), .int(255)])]),
        after: record(["exists": .bool(true), "type": .string("MultiString"), "value": .array([.string("a'b")])])),
      FixStep(
        id: "3", fix: "fw", control: "fw", action: .firewallRule(name: awkward),
        before: record(["exists": .bool(true), "enabled": .bool(false), "profile": .string("Domain")]),
        after: record(["exists": .bool(true), "enabled": .bool(true), "profile": .string("Domain, Public")])),
      FixStep(
        id: "4", fix: "port", control: "port", action: .firewallPort(rule: "RemoteDesktop-UserMode-In-TCP"),
        before: record(["localPort": .string("3389")]), after: record(["localPort": .string("3390")])),
      FixStep(
        id: "5", fix: "svc", control: "svc", action: .serviceStartType(service: "TermService"),
        before: record(["startType": .string("Disabled")]), after: record(["startType": .string("Manual")])),
      FixStep(
        id: "6", fix: "svc", control: nil, action: .serviceStatus(service: "TermService"),
        before: record(["status": .string("Running")]), after: record(["status": .string("Stopped")]),
        disruptive: "stops TermService"),
      FixStep(
        id: "7", fix: "svc", control: "svc", action: .serviceRestart(service: "TermService"),
        before: record(["status": .string("Running")]), after: record(["status": .string("Running")]),
        disruptive: "restarts TermService"),
      FixStep(
        id: "8", fix: "machinekeys-acl", control: "machinekeys-acl",
        action: .resetACL(
          path: #"C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys"#, grants: ["*S-1-5-18:F", "*S-1-1-0:(R,W)"],
          backup: #"C:\ProgramData\winaudit\backup\20250601-120000-abc123\machinekeys-acl-0.acl"#),
        before: record(["exists": .bool(true), "sddl": .string("O:SYG:SYD:P(D;;FA;;;NS)")]),
        after: record(["grants": .array([.string("*S-1-5-18:F")])])),
      FixStep(
        id: "9", fix: "cert", control: "cert",
        action: .removeCertificate(
          store: "Remote Desktop", thumbprint: "AB12", export: #"C:\ProgramData\winaudit\backup\r\AB12.cer"#),
        before: record(["present": .bool(true)]), after: record(["present": .bool(false)])),
      FixStep(
        id: "10", fix: "key", control: "key",
        action: .rename(
          path: #"C:\MK\f686aace_guid"#, newName: "f686aace_guid_Old_20250601120000", recreateFolder: false),
        before: record(["exists": .bool(true)]), after: record(["exists": .bool(false)])),
      FixStep(
        id: "11", fix: "folder", control: "folder",
        action: .rename(path: #"C:\MK"#, newName: "MK_Old_20250601120000", recreateFolder: true),
        before: record(["exists": .bool(true)]), after: record(["exists": .bool(true)])),
    ]
  }

  static var undoSteps: [FixStep] { steps.reversed().map { $0.inverse(observedAfter: nil) } }

  /// Every script, named for failure messages.
  static func all() throws -> [(name: String, text: String)] {
    let catalogue = try RemediationFixtures.catalogue()
    let planner = Planner(catalogue: catalogue, options: .init(include: Set(catalogue.fixes.map(\.id))))
    let everything = catalogue.fixes
    return [
      ("pre-read-all", RemediationScripts.preRead(planner.probes(for: everything))),
      ("apply-every-kind", RemediationScripts.apply(steps: steps, runID: run.text, now: now)),
      ("rollback-every-kind", RemediationScripts.apply(steps: undoSteps, runID: run.text, now: now)),
      ("apply-empty", RemediationScripts.apply(steps: [], runID: run.text, now: now)),
    ] + steps.map { ("step-\($0.id)", $0.script) } + undoSteps.map { ("undo-\($0.id)", $0.script) }
  }
}

@Suite struct RemediationScriptTests {
  @Test func everyScriptParsesWithTreeSitterPowerShell() throws {
    let errors = try RemediationFixtures.parseErrors(RemediationScriptSamples.all())
    #expect(errors == "", "\(errors)")
  }

  @Test func everyStringArgumentIsQuoted() throws {
    for (name, text) in try RemediationScriptSamples.all() {
      let barewords = BarewordArguments.find(in: text)
      #expect(barewords.isEmpty, "\(name): \(barewords.joined(separator: "\n"))")
    }
  }

  @Test func everyValueIsSingleQuotedWithLookAlikesDoubled() {
    let script = RemediationScriptSamples.steps[2].script
    #expect(script.contains("Enable-NetFirewallRule -Name 'Rule ''x'' \u{2019}\u{2019}$(calc)` \"q\"'"))
    #expect(!script.contains("\"Rule"))
    let registry = RemediationScriptSamples.steps[0].script
    #expect(registry.contains(#"-Path 'HKLM:\SOFTWARE\Test ''it'''"#))
    // DWORDs above 2^31 are written the way registry reads return them: signed.
    #expect(registry.contains("-PropertyType 'DWord' -Value -1 -Force"))
  }

  @Test func firewallRulesAreNeverEnabledWithoutANameOrGroup() throws {
    for (name, text) in try RemediationScriptSamples.all() {
      for line in text.split(separator: "\n") where line.contains("Enable-NetFirewallRule") {
        #expect(line.contains("-Name '") || line.contains("-Group '"), "\(name): \(line)")
      }
    }
  }

  @Test func applyScriptTakesTheHostLockAndStopsAtTheFirstFailure() {
    let script = RemediationScripts.apply(
      steps: Array(RemediationScriptSamples.steps.prefix(2)), runID: "run-1", now: RemediationFixtures.now,
      staleAfterMinutes: 30)
    #expect(script.hasPrefix("$ErrorActionPreference = 'Stop'\n"))
    #expect(script.contains(#"$null = New-Item -Path 'HKLM:\SOFTWARE\winaudit\Lock'"#))
    #expect(script.contains("$waStaleBefore = '2025-06-01T11:30:00Z'"))
    #expect(script.contains("exit 5"))
    #expect(script.contains("if ($waFailed) { exit 3 }"))
    #expect(script.components(separatedBy: "if (-not $waFailed) {").count == 3)
    #expect(script.contains("} finally {"))
  }

  @Test func undoWritesTheRecordedBeforeValue() {
    let undo = RemediationScriptSamples.undoSteps
    let registry = undo.first { $0.id == "1" }!
    #expect(registry.direction == .undo)
    #expect(registry.script.contains("Remove-ItemProperty"))
    let acl = undo.first { $0.id == "8" }!
    #expect(acl.script.contains(#"& icacls.exe 'C:\ProgramData\Microsoft\Crypto\RSA' '/restore'"#))
    let certificate = undo.first { $0.id == "9" }!
    #expect(certificate.script.contains("Import-Certificate"))
    let restart = undo.first { $0.id == "7" }!
    #expect(restart.script == "Start-Service -Name 'TermService'")
    let stop = undo.first { $0.id == "6" }!
    #expect(stop.script == "Start-Service -Name 'TermService'")
  }

  @Test func applyScriptMatchesTheReference() throws {
    let catalogue = try RemediationFixtures.catalogue()
    let planner = Planner(catalogue: catalogue, options: .init(allowDisruptive: true))
    let fixes = planner.select(drifting: ["listener-certificate-valid", "rdp-key-file-acl", "nla-required"]).fixes
    #expect(fixes.map(\.id) == ["nla-required", "rdp-key-file-acl", "listener-certificate-valid"])
    let read = RemediationFixtures.read(
      #"""
      {"f0a0": {"exists": true, "type": "DWord", "value": 0},
       "f1a0": {"path": "C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys\\f686aace6942fb7f7ceb231212eef4a4_guid", "exists": true},
       "f1a1": {"store": "Remote Desktop", "certificates": [
         {"thumbprint": "AB12", "present": true, "subject": "CN=H", "issuer": "CN=H", "notAfter": "2026-01-01", "expired": false, "hasPrivateKey": true}]},
       "f2a0": {"store": "Remote Desktop", "certificates": [
         {"thumbprint": "AB12", "present": true, "subject": "CN=H", "issuer": "CN=H", "notAfter": "2026-01-01", "expired": false, "hasPrivateKey": true}]},
       "service:termservice": {"exists": true, "status": "Running", "startType": "Manual"}}
      """#)
    let plan = planner.plan(
      host: "h", fixes: fixes, read: read, run: RemediationFixtures.run, now: RemediationFixtures.now)
    // Stop first, then the changes, then start again; the certificate is removed once; no restart after the start.
    #expect(
      plan.steps.map(\.action.target) == [
        "service TermService",
        #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp\UserAuthentication"#,
        #"C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid"#,
        "certificate AB12 in Remote Desktop", "service TermService",
      ])
    References.check(
      RemediationScripts.apply(steps: plan.steps, runID: RemediationFixtures.run.text, now: RemediationFixtures.now),
      against: "Remediation-apply-listener-certificate.ps1")
    References.check(
      RemediationScripts.preRead(planner.probes(for: fixes)), against: "Remediation-pre-read-listener-certificate.ps1")
  }
}
