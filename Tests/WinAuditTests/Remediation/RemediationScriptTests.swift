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
    func step(_ id: String, _ fix: String, _ change: any Change, control: Bool = true, disruptive: String? = nil)
      -> FixStep
    {
      FixStep(id: id, fix: fix, control: control ? fix : nil, change: AnyChange(change), disruptive: disruptive)
    }
    return [
      step(
        "1", "nla-required",
        RegistryValueChange(
          value: RegistryValueRef(path: #"HKLM:\SOFTWARE\Test 'it'"#, name: awkward), before: .init(nil),
          after: .init(.dword(4_294_967_295)), createsKey: true)),
      step(
        "2", "tls",
        RegistryValueChange(
          value: RegistryValueRef(path: #"HKLM:\SOFTWARE\A"#, name: "Multi"), before: .init(.binary([1, 255])),
          after: .init(.multiString(["a'b"])))),
      step(
        "3", "fw",
        FirewallRuleChange(
          rule: awkward, before: .init(exists: true, enabled: false, profile: "Domain"),
          after: .init(exists: true, enabled: true, profile: "Domain, Public"))),
      step(
        "4", "port",
        FirewallPortChange(
          rule: "RemoteDesktop-UserMode-In-TCP", before: .init(localPort: ["3389"]), after: .init(localPort: ["3390"]))
      ),
      step(
        "5", "svc",
        ServiceStartTypeChange(
          service: "TermService", before: .init(startType: "Disabled"), after: .init(startType: "Manual"))),
      step(
        "6", "svc", ServiceRunningChange(service: "TermService", restart: false, before: .running, after: .stopped),
        control: false, disruptive: "stops TermService"),
      step(
        "7", "svc", ServiceRunningChange(service: "TermService", restart: true, before: .running, after: .running),
        disruptive: "restarts TermService"),
      step(
        "8", "machinekeys-acl",
        AclResetChange(
          path: #"C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys"#, grants: ["*S-1-5-18:F", "*S-1-1-0:(R,W)"],
          backup: #"C:\ProgramData\winaudit\backup\20250601-120000-abc123\machinekeys-acl-0.acl"#,
          before: .init(sddl: "O:SYG:SYD:P(D;;FA;;;NS)"), after: .init(grants: ["*S-1-5-18:F"]))),
      step(
        "9", "cert",
        CertificateRemovalChange(
          store: #"Cert:\LocalMachine\Remote Desktop"#, thumbprint: "AB12",
          export: #"C:\ProgramData\winaudit\backup\r\AB12.cer"#,
          registryExport: #"C:\ProgramData\winaudit\backup\r\AB12.reg"#, before: .init(present: true),
          after: .init(present: false))),
      step(
        "10", "key",
        RenameChange(
          path: #"C:\MK\f686aace_guid"#, newName: "f686aace_guid_Old_20250601120000", recreateFolder: false,
          before: .init(exists: true), after: .init(exists: false))),
      step(
        "11", "folder",
        RenameChange(
          path: #"C:\MK"#, newName: "MK_Old_20250601120000", recreateFolder: true, before: .init(exists: true),
          after: .init(exists: true))),
      step(
        "12", "machinekeys-repair",
        AclRepairChange(
          path: #"C:\Program Data\It's MachineKeys"#, removeDenies: ["*S-1-5-20", "*S-1-1-0"],
          folderGrants: ["*S-1-1-0:(R,W)"], grants: ["*S-1-5-18:F", "*S-1-5-20:R"],
          backup: #"C:\ProgramData\winaudit\backup\20250601-120000-abc123\machinekeys-acl-0.acl"#,
          before: .init(sddl: "O:SYG:SYD:P(D;;FA;;;NS)"), after: .init(grants: ["owner Administrators"]))),
    ]
  }

  static var undoSteps: [FixStep] { steps.reversed().map { $0.inverse(observedAfter: nil) } }

  /// Every script, named for failure messages.
  static func all() throws -> [(name: String, text: String)] {
    let catalogue = try RemediationFixtures.catalogue()
    let planner = Planner(catalogue: catalogue, options: .init(include: Set(catalogue.fixes.map(\.id))))
    let everything = catalogue.fixes
    return [
      ("pre-read-all", RemediationScripts.preRead(planner.reads(for: everything))),
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
    #expect(registry.contains(#"-LiteralPath 'HKLM:\SOFTWARE\Test ''it'''"#))
    // DWORDs above 2^31 are written the way registry reads return them: signed.
    #expect(registry.contains("-PropertyType 'DWord' -Value -1 -Force"))
  }

  /// A value with line breaks reaches the host byte for byte: the apply script never re-indents a step's lines, which
  /// would put spaces inside the string literal.
  @Test func multiLineValuesAreNotReindented() {
    let value = "first\n  second\r\nthird\u{2028}fourth"
    let change = RegistryValueChange(
      value: RegistryValueRef(path: #"HKLM:\SOFTWARE\App[12]"#, name: "Banner"), before: .init(nil),
      after: .init(.string(value)))
    let step = FixStep(id: "1", fix: "f", control: "f", change: AnyChange(change))
    let script = RemediationScripts.apply(steps: [step], runID: "r", now: RemediationFixtures.now)
    #expect(script.contains(PowerShellValue.literal(value).code), "\(script)")
    #expect(script.contains(#"-LiteralPath 'HKLM:\SOFTWARE\App[12]'"#))
  }

  /// Undoing a value the change created in a key it created removes the key too, when nothing else is in it.
  @Test func undoRemovesAKeyTheChangeCreated() {
    var change = RegistryValueChange(
      value: RegistryValueRef(path: #"HKLM:\SOFTWARE\New[1]"#, name: "V"), before: .init(nil), after: .init(.dword(1)))
    change.createsKey = true
    let step = FixStep(id: "1", fix: "f", control: "f", change: AnyChange(change))
    let undo = step.inverse(observedAfter: nil).script
    #expect(undo.contains("Remove-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\New[1]' -Name 'V'"), "\(undo)")
    #expect(undo.contains("Remove-Item -LiteralPath 'HKLM:\\SOFTWARE\\New[1]'"), "\(undo)")
    #expect(undo.contains("$waKey.ValueCount -eq 0 -and $waKey.SubKeyCount -eq 0"))
    #expect(!step.script.contains("Remove-Item -LiteralPath"))
  }

  /// Every change type the journal knows has a sample above, so every script it can emit is parsed and checked.
  @Test func everyChangeKindHasASample() {
    let sampled = Set(RemediationScriptSamples.steps.map(\.change.kind))
    #expect(Set(Changes.all.map { $0.kind }).subtracting(sampled).isEmpty)
  }

  /// Removing a certificate saves its store key with reg export; undo imports it (with 'Continue', as reg import
  /// reports success on stderr) so the certificate comes back with its private key link.
  @Test func certificateRemovalKeepsTheStoreKey() {
    let apply = RemediationScriptSamples.steps.first { $0.id == "9" }!.script
    #expect(
      apply.contains(
        #"& reg.exe 'export' 'HKLM\SOFTWARE\Microsoft\SystemCertificates\Remote Desktop\Certificates\AB12' "#))
    let undo = RemediationScriptSamples.undoSteps.first { $0.id == "9" }!.script
    #expect(undo.contains("& { $ErrorActionPreference = 'Continue'; $null = & reg.exe 'import' "))
    #expect(!undo.contains("Import-Certificate"))
  }

  /// The repair's undo sets the owner recorded before it (not in `icacls /save`) back before restoring the ACLs.
  @Test func aclRepairUndoRestoresTheOwnerFirst() {
    let undo = RemediationScriptSamples.undoSteps.first { $0.id == "12" }!.script
    let owner = undo.range(of: "'/setowner' '*S-1-5-18'")
    let restore = undo.range(of: "'/restore'")
    #expect(owner != nil && restore != nil && owner!.lowerBound < restore!.lowerBound, "\(undo)")
    let apply = RemediationScriptSamples.steps.first { $0.id == "12" }!.script
    #expect(apply.contains("& takeown.exe '/f' 'C:\\Program Data\\It''s MachineKeys' '/a'"), "\(apply)")
    #expect(apply.contains("'/save'") && apply.contains("'/t' '/c'"))
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
    #expect(script.contains(#"Lock-WinAuditHost -Key 'HKLM:\SOFTWARE\winaudit\Lock'"#))
    #expect(script.contains("-StaleBefore '2025-06-01T11:30:00Z'"))
    #expect(script.contains("-HeldExitCode 5"))
    #expect(script.contains("if ($waFailed) { Exit-WinAuditScript -Code 3 }"))
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
    #expect(certificate.script.contains("& reg.exe 'import'"))
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
    let reads = planner.reads(for: fixes)
    let certificates = #"""
      {"store": "Cert:\\LocalMachine\\Remote Desktop", "exists": true, "certificates": [
         {"thumbprint": "AB12", "subject": "CN=H", "issuer": "CN=H", "notAfter": "2026-01-01T00:00:00.0000000Z", "hasPrivateKey": true, "keyFileSddl": "O:SYG:SYD:P(A;;FA;;;SY)(A;;FR;;;NS)"}]}
      """#
    let keyFile =
      #"{"path": "C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys\\f686aace6942fb7f7ceb231212eef4a4_guid", "exists": true}"#
    let answers = RemediationFixtures.answers(
      reads,
      [
        "RDP-Tcp'": RemediationFixtures.registry(0), "Terminal Services'": #"{"exists": false}"#,
        "_{MachineGuid}": keyFile, "Get-WinAuditCertificates": certificates,
        "Read-WinAuditClock": #"{"now": "2025-06-01T12:00:00Z"}"#,
        "Get-WinAuditService": RemediationFixtures.termServiceRunning,
      ])
    let plan = planner.plan(
      host: "h", fixes: fixes, reads: answers, run: RemediationFixtures.run, now: RemediationFixtures.now)
    // Stop first, then the changes, then start again; the certificate is removed once; no restart after the start.
    #expect(
      plan.steps.map(\.target) == [
        "service TermService",
        #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp\UserAuthentication"#,
        #"C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid"#,
        #"certificate AB12 in Cert:\LocalMachine\Remote Desktop"#, "service TermService",
      ])
    References.check(
      RemediationScripts.apply(steps: plan.steps, runID: RemediationFixtures.run.text, now: RemediationFixtures.now),
      against: "Remediation-apply-listener-certificate.ps1")
    References.check(RemediationScripts.preRead(reads), against: "Remediation-pre-read-listener-certificate.ps1")
  }
}
