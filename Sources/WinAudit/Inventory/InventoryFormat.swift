import Yams

/// The inventory forms winaudit reads, as `--inventory-format` names them; `auto` decides from the file's name and
/// content.
public enum InventoryFormat: String, Sendable, CaseIterable {
  case auto
  /// winaudit's own YAML: `defaults`, `hosts` (a list), `groups`.
  case winaudit
  /// An Ansible INI inventory: `[group]`, `[group:vars]`, `[group:children]`, `host key=value`.
  case ansibleINI = "ansible-ini"
  /// An Ansible YAML inventory: `all:` with `hosts`, `vars` and `children`.
  case ansibleYAML = "ansible-yaml"
  /// A CSV file with a header row (name, address, port, user, tags, shell, rdp_port).
  case csv
  /// One `[user@]host[:port]` a line.
  case list

  /// What `auto` reads `text` as. The file name decides for `.csv` and `.ini`; otherwise the first line that is not a
  /// comment does (a `[section]`, a YAML key, a CSV header), then any `[section]` or `key=value` line further down.
  static func detect(_ text: String, file: String) -> InventoryFormat {
    detectComposing(text, file: file).format
  }

  /// `detect`, and the YAML tree it composed to decide (nil when it composed none, or the text is not valid YAML), so
  /// the parser reads that tree instead of composing the file a second time (a 1,000-host inventory took longer to
  /// parse twice than to audit one host).
  static func detectComposing(_ text: String, file: String) -> (format: InventoryFormat, composed: Node?) {
    let lower = file.lowercased()
    if lower.hasSuffix(".csv") { return (.csv, nil) }
    if lower.hasSuffix(".ini") { return (.ansibleINI, nil) }
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix(";") }
    let isYAMLFile = lower.hasSuffix(".yml") || lower.hasSuffix(".yaml")
    if isYAMLFile { return yamlKind(text) }
    guard let first = lines.first else { return (.list, nil) }
    if AnsibleINIInventoryParser.isSectionHeader(first) { return (.ansibleINI, nil) }
    if first == "---" || first.hasSuffix(":") || first.contains(": ") { return yamlKind(text) }
    if first.contains(","), CSVInventoryParser.looksLikeHeader(first) { return (.csv, nil) }
    if lines.contains(where: {
      AnsibleINIInventoryParser.isSectionHeader($0) || AnsibleINIInventoryParser.hasVariable($0)
    }) {
      return (.ansibleINI, nil)
    }
    return (.list, nil)
  }

  /// winaudit's YAML when the top level has one of its keys (or cannot be read, so that its parser reports why);
  /// Ansible's when the top level is a mapping of group names.
  private static func yamlKind(_ text: String) -> (format: InventoryFormat, composed: Node?) {
    guard let root = try? Yams.compose(yaml: text, YAMLReader.resolver) else { return (.winaudit, nil) }
    guard case .mapping(let map) = root else { return (.winaudit, root) }
    let keys = map.keys.compactMap(\.string)
    if keys.contains(where: { ["defaults", "hosts", "groups"].contains($0) }) { return (.winaudit, root) }
    return (keys.isEmpty ? .winaudit : .ansibleYAML, root)
  }
}
