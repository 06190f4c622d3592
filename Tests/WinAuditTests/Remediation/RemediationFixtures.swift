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

  /// Writes each script to a temporary folder and runs the tree-sitter PowerShell checker over them; returns the
  /// checker's complaints, or nil when the checker is not installed (`make psparse`).
  static func parseErrors(_ scripts: [(name: String, text: String)]) throws -> String? {
    guard let python = psparsePython() else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remediation-psparse-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var files: [String] = []
    for script in scripts {
      let file = folder.appendingPathComponent(script.name + ".ps1")
      try script.text.write(to: file, atomically: true, encoding: .utf8)
      files.append(file.path)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", checker] + files
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return process.terminationStatus == 0 ? "" : output
  }

  private static func psparsePython() -> String? {
    let environment = ProcessInfo.processInfo.environment
    var candidates = [environment["PSPARSE_PYTHON"]].compactMap { $0 }
    candidates.append(repository.appendingPathComponent(".build/psvenv/bin/python").path)
    if let home = environment["HOME"] { candidates.append(home + "/.cache/psparse-venv/bin/python") }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  private static let checker = """
    import sys
    import tree_sitter_powershell as tsp
    from tree_sitter import Language, Parser
    parser = Parser(Language(tsp.language()))
    def first_error(node):
        if node.type == "ERROR" or node.is_missing:
            return node
        for child in node.children:
            found = first_error(child)
            if found is not None:
                return found
        return None
    bad = 0
    for name in sys.argv[1:]:
        data = open(name, "rb").read()
        tree = parser.parse(data)
        err = first_error(tree.root_node) if tree.root_node.has_error else None
        if err is not None:
            bad += 1
            row, col = err.start_point
            line = data.splitlines()[row] if row < len(data.splitlines()) else b""
            print(f"{name}:{row + 1}:{col + 1}: does not parse near: {line.decode('utf-8', 'replace').strip()[:120]}")
    sys.exit(1 if bad else 0)
    """
}
