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

  static func catalogue() throws -> RemediationCatalogue {
    try RemediationLoader.load(paths: playbookPaths)
  }

  static let run = try! RunID(parsing: "20250601-120000-abc123")
  static let now = Date(timeIntervalSince1970: 1_748_779_200)  // 2025-06-01T12:00:00Z

  static func json(_ text: String) -> FactValue {
    try! FactValue.parseJSON(text)
  }

  /// A pre-read as the host would print it; keys follow `Planner.probes` for the given fixes.
  static func read(_ text: String) -> FactValue { json(text) }

  /// Runs the project's tree-sitter PowerShell checker (Support/psparse.py) over the scripts; its complaints, or ""
  /// when every script parses.
  static func parseErrors(_ scripts: [(name: String, text: String)]) throws -> String {
    let python = try #require(PSParse.python(), PSParse.missingMessage)
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
