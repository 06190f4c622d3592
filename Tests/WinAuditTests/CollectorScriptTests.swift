import Foundation
import RemotePowerShell
import Testing

@testable import WinAudit

@Suite("Collector script")
struct CollectorScriptTests {
  /// A playbook with every fact kind and hostile strings in every value that reaches PowerShell.
  static let hostile = #"""
    playbook: 1
    name: hostile
    facts:
      reg:
        registry:
          path: 'HKLM:\SOFTWARE\x''; Remove-Item C:\ -Recurse; ''$(whoami)`n"'
          name: "it’s ‘quoted’ ‚low‛ $env:USERNAME @(1) ; exit 1"
          policy: "Value`$x"
          policyPath: 'HKLM:\SOFTWARE\Policies\x'' + (Get-Date) + '''
          default: 1
      byName:
        firewallRules:
          names: [RemoteDesktop-UserMode-In-TCP, "a,b", "x' -Group '*", "#comment", "multi
        line"]
      byGroup:
        firewallRules: {group: "@FirewallAPI.dll,-28752'); Enable-NetFirewallRule; ('"}
      nets: {networkProfiles: {}}
      listenFixed: {tcpListener: {port: 3389}}
      listenFact: {tcpListener: {port: {fact: reg, default: 3390}}}
      svc: {service: "Term*Service'; Stop-Service TermService; '"}
      certs: {certificates: "Cert:\\LocalMachine\\Remote Desktop'}"}
      ts: {terminalSettings: "RDP-Tcp' OR TerminalName LIKE '%"}
      file: {path: 'C:\ProgramData\${MachineGuid}\{MachineGuid}`$(calc)'}
      os: {os: {}}
      guid: {machineGuid: {}}
    controls:
      - {id: a, title: A, severity: low, check: {fact: reg, equals: 1}}
      - {id: b, title: B, severity: low, check: {fact: byName, present: true}}
      - {id: c, title: C, severity: low, check: {fact: byGroup, firewallAllows: {port: 3389, profiles: nets}}}
      - {id: d, title: D, severity: low, check: {fact: listenFixed, present: true}}
      - {id: e, title: E, severity: low, check: {fact: listenFact.services, contains: TermService}}
      - {id: f, title: F, severity: low, check: {fact: svc, equals: Running}}
      - {id: g, title: G, severity: low, check: {fact: ts.certificateThumbprint, certificateIn: {fact: certs}}}
      - {id: h, title: H, severity: low, check: {fact: file, acl: {canRead: [SY]}}}
      - {id: i, title: I, severity: low, check: {fact: os.build, atLeast: 14393}}
      - {id: j, title: J, severity: low, check: {fact: guid, present: true}}
    """#

  static var hostilePlaybook: Playbook { try! PlaybookLoader.parse(hostile, file: "hostile.yml") }

  @Test func baselineScriptMatchesTheReference() throws {
    References.check(try Playbook.builtIn.collectorScript.text, against: "collector-rdp-baseline.ps1")
  }

  @Test func scriptShape() throws {
    let script = try Playbook.builtIn.collectorScript
    let lines = script.text.components(separatedBy: "\n")
    #expect(lines[0] == "$ProgressPreference = 'SilentlyContinue'")
    #expect(lines[1] == "$ErrorActionPreference = 'Stop'")
    #expect(script.text.hasSuffix("Write-Output (ConvertTo-WinAuditJson -Value $WinAuditDocument -Depth 10)\nexit 0\n"))
    #expect(!script.text.contains("Enable-NetFirewallRule"))
    #expect(!script.text.contains("Set-"))
    // Firewall rules are read in one place, once per script.
    #expect(script.text.components(separatedBy: "Get-NetFirewallPortFilter").count == 2)
    #expect(script.text.components(separatedBy: "Get-WinAuditFirewallRules -Names $names").count == 2)
  }

  /// In a fix's one powershell.exe the collector is the same script without its final `exit 0` (which would end the
  /// whole process there).
  @Test func theFramedCollectorIsTheSameWithoutItsFinalExit() throws {
    let script = try Playbook.builtIn.collectorScript
    #expect(script.framedText + "exit 0\n" == script.text)
    #expect(!script.framedText.contains("\nexit "))
  }

  @Test func onlyFactsControlsUseAreCollectedAndDependenciesComeFirst() {
    let facts = Self.hostilePlaybook.requiredFacts.map(\.id)
    #expect(facts.firstIndex(of: "reg")! < facts.firstIndex(of: "listenFact")!)
    let baseline = try! Playbook.builtIn.requiredFacts.map(\.id)
    #expect(baseline.firstIndex(of: "portNumber")! < baseline.firstIndex(of: "rdpListener")!)
    #expect(Set(baseline).count == baseline.count)
  }

  @Test func hostileValuesStayLiterals() {
    let header = Self.hostilePlaybook.collectorScript.text.components(
      separatedBy: "\n# ---- winaudit collector: shared")[0]
    #expect(header.contains(#"path = 'HKLM:\SOFTWARE\x''; Remove-Item C:\ -Recurse; ''$(whoami)`n"'"#))
    #expect(header.contains("name = 'it’’s ‘‘quoted’’ ‚‚low‛‛ $env:USERNAME @(1) ; exit 1'"))
    #expect(header.contains(#"names = @('RemoteDesktop-UserMode-In-TCP','a,b','x'' -Group ''*','#comment','multi"#))
    #expect(header.contains("portFact = 'reg'; portDefault = 3390"))
  }

  /// Every script the collector can generate must parse with tree-sitter-powershell (Windows PowerShell's grammar is
  /// not available here). Fails, never skips, when the parser is not installed: CI must have it.
  @Test func everyGeneratedScriptParsesWithTreeSitter() throws {
    let python = try PSParse.requirePython()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-psparse-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var files: [String] = []
    func write(_ name: String, _ text: String) throws {
      let url = folder.appendingPathComponent(name)
      try text.write(to: url, atomically: true, encoding: .utf8)
      files.append(url.path)
    }
    try write("baseline.ps1", try Playbook.builtIn.collectorScript.text)
    try write("hostile.ps1", Self.hostilePlaybook.collectorScript.text)
    for fact in Self.hostilePlaybook.facts {
      try write("single-\(fact.id).ps1", CollectorScript(facts: [fact]).text)
    }
    try write("empty.ps1", CollectorScript(facts: []).text)
    try write("baseline-framed.ps1", try Playbook.builtIn.collectorScript.framedText)
    try write("one-shot-bootstrap.ps1", RemotePowerShellCommand.bootstrap)
    try write("loop-bootstrap.ps1", FramedPowerShellSession.loopBootstrap)
    let result = try PSParse.run(python: python, files: files)
    #expect(result.status == 0, "tree-sitter-powershell reported errors:\n\(result.output)")
  }

  @Test func everyStringArgumentIsQuoted() throws {
    for text in [try Playbook.builtIn.collectorScript.text, Self.hostilePlaybook.collectorScript.text] {
      let barewords = BarewordArguments.find(in: text)
      #expect(barewords.isEmpty, "\(barewords.joined(separator: "\n"))")
    }
    #expect(BarewordArguments.find(in: "Get-NetFirewallRule -PolicyStore ActiveStore -Name 'x -Name y'").count == 1)
  }

  @Test func theCheckerRejectsBrokenPowerShell() throws {
    let python = try PSParse.requirePython()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-bad-\(UUID().uuidString).ps1")
    try "$x = @(\n  Get-Thing -Name A,B\n".write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try PSParse.run(python: python, files: [url.path])
    #expect(result.status == 1)
    #expect(result.output.contains(":1:1: error:"))
  }
}

/// Finds and runs Tests/WinAuditTests/Support/psparse.py with a Python that has tree-sitter-powershell.
enum PSParse {
  /// The one line a missing parser gives: `theTreeSitterParserIsInstalled` fails with it, and each test that needs the
  /// parser is cancelled rather than failing again.
  static let missingMessage: Comment = "run `make test` first: it installs the tree-sitter parser venv"

  /// The parser's python, or the current test cancelled (not failed: the one failure is the installation test's).
  static func requirePython() throws -> String {
    guard let python = python() else { try Test.cancel(missingMessage) }
    return python
  }

  static var script: String {
    References.testsDirectory.appendingPathComponent("Support/psparse.py").path
  }

  /// PSPARSE_PYTHON, else $PSPARSE_VENV/bin/python, else <package>/.build/psvenv/bin/python.
  static func python() -> String? {
    let environment = ProcessInfo.processInfo.environment
    var candidates: [String] = []
    if let python = environment["PSPARSE_PYTHON"], !python.isEmpty { candidates.append(python) }
    if let venv = environment["PSPARSE_VENV"], !venv.isEmpty { candidates.append(venv + "/bin/python") }
    candidates.append(References.packageRoot.appendingPathComponent(".build/psvenv/bin/python").path)
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  static func run(python: String, files: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script] + files
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
