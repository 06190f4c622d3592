import Foundation
import Yams

/// Reads and validates remediation playbooks against the playbook whose controls they repair: wrong types, unknown
/// keys, unsafe actions (an unfiltered firewall enable, a localized account name in an ACL), a fact an action names
/// that the playbook lacks, a fix id a control names that no file defines: all diagnostics with file, line and column,
/// reported before any host is contacted.
///
/// Control-to-fix links are resolved here, once: a fix repairs its own control and every control naming it with `fix:`.
public enum RemediationLoader {
  /// The format version this winaudit reads (`remediation: 1`).
  public static let formatVersion = 1

  /// Loads the user's remediation files: every fix must fit `playbook` (its control exists, its facts are declared).
  public static func load(paths: [String], playbook: Playbook) throws(DiagnosticsError) -> RemediationCatalogue {
    var texts: [(String, String)] = []
    var problems: [Diagnostic] = []
    for path in paths {
      do {
        texts.append((try InputFile.read(path, what: "remediation playbook", flag: "--remediation"), path))
      } catch {
        problems += error.diagnostics
      }
    }
    if !problems.isEmpty { throw DiagnosticsError(problems) }
    return try parse(texts, playbook: playbook)
  }

  /// Parses `(text, file)` pairs into one catalogue for `playbook`.
  ///
  /// With `onlyRelevant` (the built-in files under a playbook of one's own) fixes for controls the playbook does not
  /// have, and that no control names, are left out rather than reported: they could never be planned.
  public static func parse(
    _ files: [(text: String, file: String)], playbook: Playbook, onlyRelevant: Bool = false
  ) throws(DiagnosticsError) -> RemediationCatalogue {
    let controls = Set(playbook.controls.map(\.id))
    var namedBy: [String: Set<String>] = [:]
    for control in playbook.controls {
      for named in control.fixes { namedBy[named.id, default: []].insert(control.id) }
    }
    let relevant: (String, String) -> Bool = { id, control in
      !onlyRelevant || controls.contains(control) || namedBy[id] != nil
    }
    var fixes: [Fix] = []
    var declared: [String: Diagnostic] = [:]
    var diagnostics: [Diagnostic] = []
    var names: [(Fix, [String: Node])] = []
    for (text, file) in files {
      let reader = YAMLReader(file: file)
      if let root = reader.compose(text) {
        let parser = RemediationParser(reader: reader, facts: playbook.facts, relevant: relevant)
        for parsed in parser.parse(root) {
          if let other = declared[parsed.id] {
            reader.report(
              "duplicate fix id '\(parsed.id)' (also in \(other.file):\(other.line)): ids must be unique",
              line: parsed.location.line, column: parsed.location.column)
            continue
          }
          declared[parsed.id] = parsed.location
          guard var fix = parsed.fix else { continue }
          fix.repairs.formUnion(namedBy[fix.id] ?? [])
          if !onlyRelevant && !controls.contains(fix.control) {
            reader.report(
              "fix '\(fix.id)' remediates control '\(fix.control)', which the playbook \(playbook.name) does not have",
              line: fix.location.line, column: fix.location.column)
          }
          fixes.append(fix)
          names.append((fix, parsed.names))
        }
      }
      diagnostics += reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }
    for (fix, nodes) in names {
      for id in fix.after + fix.supersedes where declared[id] == nil {
        let node = nodes[id]
        diagnostics.append(
          Diagnostic(
            file: fix.location.file, line: node?.mark?.line ?? fix.location.line,
            column: node?.mark?.column ?? fix.location.column,
            message: "fix '\(fix.id)' names the fix '\(id)', which no remediation playbook defines"))
      }
    }
    for control in playbook.controls {
      for named in control.fixes where declared[named.id] == nil {
        diagnostics.append(
          Diagnostic(
            file: named.file, line: named.line, column: named.column,
            message:
              "control '\(control.id)' names fix '\(named.id)', which no remediation playbook has "
              + "(fixes: \(declared.keys.sorted().joined(separator: ", ")))"))
      }
    }
    if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
    return RemediationCatalogue(fixes: fixes)
  }
}

/// Reads one remediation playbook's tree through the shared `YAMLReader`.
final class RemediationParser {
  let reader: YAMLReader
  /// The facts actions may name.
  let facts: [Fact]
  /// Whether a fix (by id and control) is read at all.
  let relevant: (String, String) -> Bool

  init(reader: YAMLReader, facts: [Fact], relevant: @escaping (String, String) -> Bool) {
    self.reader = reader
    self.facts = facts
    self.relevant = relevant
  }

  static let topKeys = ["remediation", "name", "description", "fixes"]
  static let fixKeys = [
    "control", "summary", "actions", "stopServices", "restartServices", "after", "disruptive", "reboot", "optIn",
    "supersedes",
  ]

  /// One fix as read: its id and place, the fix unless it was left out or broken, and the nodes of the fix ids it
  /// names (for messages about dangling names).
  struct Parsed {
    var id: String
    var location: Diagnostic
    var fix: Fix?
    var names: [String: Node]
  }

  func parse(_ root: Node) -> [Parsed] {
    guard let top = reader.mapping(root, "the remediation playbook", allowed: Self.topKeys, required: ["fixes"])
    else { return [] }
    if let node = top["remediation"], let version = reader.int(node, "remediation (the format version)"),
      version != RemediationLoader.formatVersion
    {
      reader.report(
        "remediation format version \(version) is not supported; this winaudit reads version "
          + "\(RemediationLoader.formatVersion)", at: node)
    }
    guard let node = top["fixes"], let map = reader.mapping(node, "fixes") else { return [] }
    return map.entries.map { parseFix(id: $0.key, keyNode: $0.keyNode, $0.value) }
  }

  private func parseFix(id: String, keyNode: Node, _ node: Node) -> Parsed {
    let what = "fix '\(id)'"
    let location = Diagnostic(
      file: reader.file, line: keyNode.mark?.line ?? 0, column: keyNode.mark?.column ?? 0, message: id)
    var parsed = Parsed(id: id, location: location, fix: nil, names: [:])
    guard let map = reader.mapping(node, what, allowed: Self.fixKeys, required: ["summary", "actions"]) else {
      return parsed
    }
    let control = map["control"].flatMap { reader.string($0, "control of \(what)") }
    guard relevant(id, control ?? id) else { return parsed }
    func names(_ key: String) -> [String] {
      guard let node = map[key], let items = reader.sequence(node, "\(key) of \(what)") else { return [] }
      return items.compactMap { item in
        guard let text = reader.string(item, "each entry of \(key) of \(what)") else { return nil }
        parsed.names[text] = item
        return text
      }
    }
    let summary = map["summary"].flatMap { reader.string($0, "summary of \(what)") } ?? ""
    var actions: [any FixAction] = []
    if let node = map["actions"], let items = reader.sequence(node, "actions of \(what)") {
      if items.isEmpty { reader.report("\(what) has no actions", at: node) }
      actions = items.compactMap { parseAction($0, fix: what) }
    }
    var disruptive = map["disruptive"].flatMap { reader.string($0, "disruptive of \(what) (why it interrupts)") }
    let needsReboot = map["reboot"].flatMap { reader.bool($0, "reboot of \(what)") } ?? false
    if needsReboot {
      disruptive = [disruptive, "needs a reboot to take effect"].compactMap { $0 }.joined(separator: "; ")
    }
    parsed.fix = Fix(
      id: id, control: control, summary: summary, actions: actions,
      stopServices: map["stopServices"].flatMap { reader.stringList($0, "stopServices of \(what)") } ?? [],
      restartServices: map["restartServices"].flatMap { reader.stringList($0, "restartServices of \(what)") } ?? [],
      after: names("after"), disruptive: disruptive,
      optIn: map["optIn"].flatMap { reader.bool($0, "optIn of \(what)") } ?? false,
      supersedes: names("supersedes"), location: location)
    parsed.fix?.needsReboot = needsReboot
    return parsed
  }

  /// One action: `- <action>: <parameters>`, the parameters read by the action itself.
  private func parseAction(_ node: Node, fix: String) -> (any FixAction)? {
    let names = FixActions.names
    guard let map = reader.mapping(node, "an action of \(fix)", allowed: names) else { return nil }
    guard map.entries.count == 1, let entry = map.entries.first, let action = FixActions.action(named: entry.key)
    else {
      reader.report("each action of \(fix) needs exactly one of: \(names.joined(separator: ", "))", at: node)
      return nil
    }
    return action.parse(
      ActionParameters(reader: reader, node: entry.value, label: "\(entry.key) in \(fix)", facts: facts))
  }
}
