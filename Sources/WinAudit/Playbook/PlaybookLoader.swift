import Foundation
import Yams

/// Reads and validates a playbook YAML file (format: README "Playbooks", `/Playbooks/rdp-baseline.yml`).
///
/// Unknown keys, wrong types, duplicate ids and dangling references (a control naming a fact or control that does
/// not exist, or a fact of the wrong kind for a relation) are all reported as diagnostics with file, line and column,
/// so `winaudit playbook check` and `winaudit audit` refuse a broken playbook before contacting any host.
public enum PlaybookLoader {
  /// The playbook format version this winaudit reads (`playbook: 1`).
  public static let formatVersion = 1

  public static func load(path: String) throws(DiagnosticsError) -> Playbook {
    try load(path: path, kinds: .builtIn)
  }

  static func load(path: String, kinds: FactKinds) throws(DiagnosticsError) -> Playbook {
    let text = try InputFile.read(path, what: "playbook", flag: "--playbook")
    return try parse(text, file: path, kinds: kinds)
  }

  public static func parse(_ text: String, file: String) throws(DiagnosticsError) -> Playbook {
    try parse(text, file: file, kinds: .builtIn)
  }

  /// Parses with the given fact kinds (the built-in ones plus kinds of one's own).
  static func parse(_ text: String, file: String, kinds: FactKinds) throws(DiagnosticsError) -> Playbook {
    let reader = YAMLReader(file: file)
    guard let root = reader.compose(text) else { throw DiagnosticsError(reader.diagnostics) }
    let parser = PlaybookParser(reader: reader, kinds: kinds)
    let playbook = parser.parse(root, file: file)
    if !reader.diagnostics.isEmpty {
      throw DiagnosticsError(reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }
    guard var playbook else { throw DiagnosticsError(reader.diagnostics) }
    playbook.digest = AuditRun.digest(of: text)
    return playbook
  }
}
