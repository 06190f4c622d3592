import Foundation
import Testing

@testable import WinAudit

/// Shared inputs for the remediation tests: the repository's remediation playbooks and pre-reads of lab-like hosts.
enum RemediationFixtures {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let playbookPaths = ["Playbooks/rdp-remediation.yml", "Playbooks/listener-certificate.yml"].map {
    repository.appendingPathComponent($0).path
  }

  /// The repository's remediation playbooks, for the built-in baseline.
  static func catalogue() throws -> RemediationCatalogue {
    try RemediationLoader.load(paths: playbookPaths, playbook: Fixtures.baseline)
  }

  static let run = try! RunID(parsing: "20250601-120000-abc123")
  static let now = Date(timeIntervalSince1970: 1_748_779_200)  // 2025-06-01T12:00:00Z

  static func json(_ text: String) -> FactValue {
    try! FactValue.parseJSON(text)
  }

  /// What a host answers to `reads`: for each read, the JSON of the first answer whose key occurs in the read's
  /// PowerShell (`'UserAuthentication'`, `Terminal Services'`, `Get-WinAuditService`); reads no key matches are left
  /// out, as if the host had nothing to say.
  static func answers(_ reads: [HostRead], _ table: KeyValuePairs<String, String>) -> HostReads {
    var results: [HostRead: FactValue] = [:]
    for read in reads {
      if let answer = table.first(where: { read.expression.contains($0.key) }) { results[read] = json(answer.value) }
    }
    return HostReads(results)
  }

  /// A registry read's answer.
  static func registry(_ value: Int?) -> String {
    value.map { #"{"exists": true, "type": "DWord", "value": \#($0)}"# } ?? #"{"exists": false}"#
  }

  static let termServiceRunning =
    #"{"name": "TermService", "exists": true, "status": "Running", "startType": "Manual"}"#

  /// Runs the project's tree-sitter PowerShell checker (Support/psparse.py) over the scripts; its complaints, or ""
  /// when every script parses.
  static func parseErrors(_ scripts: [(name: String, text: String)]) throws -> String {
    let python = try PSParse.requirePython()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remediation-psparse-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var files: [String] = []
    for script in scripts {
      let file = folder.appendingPathComponent(script.name + ".ps1")
      try script.text.write(to: file, atomically: true, encoding: .utf8)
      files.append(file.path)
    }
    let result = try PSParse.run(python: python, files: files)
    return result.status == 0 ? "" : result.output
  }
}
