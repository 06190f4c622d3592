import Foundation
import Testing
import WinLab

@testable import WinAudit

/// A fact kind that exists only in this test: whether a path exists on the host. It is one type, registered once
/// (`FactKinds.builtIn + [PathExistsFact.self]`), which is all a new kind needs.
private struct PathExistsFact: FactKind {
  static let name = "pathExists"
  static let collector = CollectorFunction(
    name: "Get-WinAuditPathExists",
    text: """
      function Get-WinAuditPathExists {
        param($Request)
        return [ordered]@{ path = $Request['path']; exists = [bool](Test-Path -LiteralPath $Request['path']) }
      }

      """)
  static let fields = ["path", "exists"]

  var path: String

  static func parse(_ parameters: FactParameters) -> PathExistsFact? {
    parameters.single(key: "path").map(PathExistsFact.init(path:))
  }

  var request: [(key: String, value: PowerShellValue)] { [("path", .literal(path))] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: raw[field ?? "exists"] ?? .null)
  }
}

@Suite struct FactKindExtensionTests {
  static let playbook = #"""
    playbook: 1
    name: extension
    facts:
      machineKeys: {pathExists: 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys'}
      nowhere: {pathExists: {path: 'C:\does not exist'}}
      termService: {service: TermService}
    controls:
      - {id: machinekeys-there, title: MachineKeys exists, severity: low, check: {fact: machineKeys, equals: true}}
      - {id: nowhere-absent, title: No such folder, severity: low, check: {fact: nowhere.exists, equals: false}}
      - {id: termservice-running, title: TermService runs, severity: low, check: {fact: termService, equals: Running}}
    """#

  @Test func aKindOfOneTypeRegisteredOnceAuditsALabHost() async throws {
    let kinds = FactKinds.builtIn + [PathExistsFact.self]
    let playbook = try PlaybookLoader.parse(Self.playbook, file: "extension.yml", kinds: kinds)
    let script = playbook.collectorScript.text
    #expect(script.components(separatedBy: "function Get-WinAuditPathExists").count == 2)
    #expect(script.contains("'pathExists' = 'Get-WinAuditPathExists'"))

    let fleet = try FleetHarness(hosts: ["healthy-2019"], addressPrefix: "127.0.44", port: 2240)
    defer { fleet.stop() }
    let report = try await fleet.audit(playbook: playbook)
    let host = try #require(report.hosts.first)
    #expect(host.error == nil, "\(host.error ?? "")")
    #expect(host.findings.map(\.status) == [.pass, .pass, .pass], "\(host.findings)")
    #expect(try fleet.processStarts("healthy-2019") == 1)
  }

  @Test func withoutRegistrationTheKindIsAnUnknownKey() {
    #expect(throws: DiagnosticsError.self) { try PlaybookLoader.parse(Self.playbook, file: "extension.yml") }
    do {
      _ = try PlaybookLoader.parse(Self.playbook, file: "extension.yml")
    } catch {
      #expect(error.description.contains("extension.yml:4:17: error: unknown key 'pathExists' in fact 'machineKeys'"))
    }
  }
}
