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
    let lower = file.lowercased()
    if lower.hasSuffix(".csv") { return .csv }
    if lower.hasSuffix(".ini") { return .ansibleINI }
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix(";") }
    let isYAMLFile = lower.hasSuffix(".yml") || lower.hasSuffix(".yaml")
    if isYAMLFile { return yamlKind(text) }
    guard let first = lines.first else { return .list }
    if AnsibleINIInventoryParser.isSectionHeader(first) { return .ansibleINI }
    if first == "---" || first.hasSuffix(":") || first.contains(": ") { return yamlKind(text) }
    if first.contains(","), CSVInventoryParser.looksLikeHeader(first) { return .csv }
    if lines.contains(where: {
      AnsibleINIInventoryParser.isSectionHeader($0) || AnsibleINIInventoryParser.hasVariable($0)
    }) {
      return .ansibleINI
    }
    return .list
  }

  /// winaudit's YAML when the top level has one of its keys (or cannot be read, so that its parser reports why);
  /// Ansible's when the top level is a mapping of group names.
  private static func yamlKind(_ text: String) -> InventoryFormat {
    guard let root = try? Yams.compose(yaml: text), case .mapping(let map) = root else { return .winaudit }
    let keys = map.keys.compactMap(\.string)
    if keys.contains(where: { ["defaults", "hosts", "groups"].contains($0) }) { return .winaudit }
    return keys.isEmpty ? .winaudit : .ansibleYAML
  }
}
