import Foundation
import Yams

/// Reads and validates remediation playbooks: wrong types, unknown keys and unsafe actions (an unfiltered firewall
/// enable, a localized account name in an ACL) are diagnostics with file, line and column, reported before any host
/// is contacted.
public enum RemediationLoader {
  /// The format version this winaudit reads (`remediation: 1`).
  public static let formatVersion = 1

  public static func load(paths: [String]) throws(DiagnosticsError) -> RemediationCatalogue {
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
    return try parse(texts)
  }

  /// Parses `(text, file)` pairs into one catalogue.
  public static func parse(_ files: [(text: String, file: String)]) throws(DiagnosticsError) -> RemediationCatalogue {
    var fixes: [Fix] = []
    var diagnostics: [Diagnostic] = []
    var nodes: [(Fix, [String: Node])] = []
    for (text, file) in files {
      let reader = YAMLReader(file: file)
      if let root = reader.compose(text) {
        let parser = RemediationParser(reader: reader)
        for (fix, refs) in parser.parse(root) {
          if let other = fixes.first(where: { $0.id == fix.id }) {
            reader.report(
              "duplicate fix id '\(fix.id)' (also in \(other.location.file):\(other.location.line)): ids must be unique",
              line: fix.location.line, column: fix.location.column)
            continue
          }
          fixes.append(fix)
          nodes.append((fix, refs))
        }
      }
      diagnostics += reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }
    let ids = Set(fixes.map(\.id))
    for (fix, refs) in nodes {
      for id in fix.after + fix.supersedes where !ids.contains(id) {
        let node = refs[id]
        diagnostics.append(
          Diagnostic(
            file: fix.location.file, line: node?.mark?.line ?? fix.location.line,
            column: node?.mark?.column ?? fix.location.column,
            message: "fix '\(fix.id)' names the fix '\(id)', which no remediation playbook defines"))
      }
    }
    if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
    return RemediationCatalogue(fixes: fixes)
  }
}

/// Reads one remediation playbook's tree through the shared `YAMLReader`.
final class RemediationParser {
  let reader: YAMLReader

  init(reader: YAMLReader) {
    self.reader = reader
  }

  static let topKeys = ["remediation", "name", "description", "fixes"]
  static let fixKeys = [
    "control", "summary", "actions", "stopServices", "restartServices", "after", "disruptive", "reboot", "optIn",
    "supersedes",
  ]
  static let actionKeys = [
    "setRegistry", "removeRegistry", "enableFirewallRules", "setFirewallPort", "setServiceStartType", "startService",
    "restartService", "resetAcl", "removeBrokenCertificates", "renameRdpKeyFile", "renameFolder",
  ]
  static let registryTypes = ["DWord", "QWord", "String", "ExpandString", "MultiString", "Binary"]
  static let profiles = ["Domain", "Private", "Public"]
  static let startTypes = ["Automatic", "Manual", "Disabled"]

  /// The fixes of the file, each with the nodes of the fix ids it names (for messages about dangling names).
  func parse(_ root: Node) -> [(Fix, [String: Node])] {
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
    return map.entries.compactMap { parseFix(id: $0.key, keyNode: $0.keyNode, $0.value) }
  }

  private func parseFix(id: String, keyNode: Node, _ node: Node) -> (Fix, [String: Node])? {
    let what = "fix '\(id)'"
    guard let map = reader.mapping(node, what, allowed: Self.fixKeys, required: ["summary", "actions"]) else {
      return nil
    }
    var refs: [String: Node] = [:]
    func names(_ key: String) -> [String] {
      guard let node = map[key], let items = reader.sequence(node, "\(key) of \(what)") else { return [] }
      return items.compactMap { item in
        guard let text = reader.string(item, "each entry of \(key) of \(what)") else { return nil }
        refs[text] = item
        return text
      }
    }
    let summary = map["summary"].flatMap { reader.string($0, "summary of \(what)") } ?? ""
    var actions: [FixAction] = []
    if let node = map["actions"], let items = reader.sequence(node, "actions of \(what)") {
      if items.isEmpty { reader.report("\(what) has no actions", at: node) }
      actions = items.compactMap { parseAction($0, fix: what) }
    }
    var disruptive = map["disruptive"].flatMap { reader.string($0, "disruptive of \(what) (why it interrupts)") }
    if let node = map["reboot"], reader.bool(node, "reboot of \(what)") == true {
      disruptive = [disruptive, "needs a reboot to take effect"].compactMap { $0 }.joined(separator: "; ")
    }
    let fix = Fix(
      id: id,
      control: map["control"].flatMap { reader.string($0, "control of \(what)") },
      summary: summary,
      actions: actions,
      stopServices: map["stopServices"].flatMap { reader.stringList($0, "stopServices of \(what)") } ?? [],
      restartServices: map["restartServices"].flatMap { reader.stringList($0, "restartServices of \(what)") } ?? [],
      after: names("after"),
      disruptive: disruptive,
      optIn: map["optIn"].flatMap { reader.bool($0, "optIn of \(what)") } ?? false,
      supersedes: names("supersedes"),
      location: Diagnostic(
        file: reader.file, line: keyNode.mark?.line ?? 0, column: keyNode.mark?.column ?? 0, message: id))
    return (fix, refs)
  }

  // MARK: Actions

  private func parseAction(_ node: Node, fix: String) -> FixAction? {
    guard let map = reader.mapping(node, "an action of \(fix)", allowed: Self.actionKeys + ["policy"]) else {
      return nil
    }
    let kinds = map.entries.filter { $0.key != "policy" }
    guard kinds.count == 1, let (kind, _, value) = kinds.first else {
      reader.report(
        "each action of \(fix) needs exactly one of: \(Self.actionKeys.joined(separator: ", "))", at: node)
      return nil
    }
    let policy = map["policy"].flatMap { registryRef($0, "policy of \(kind) in \(fix)") }
    if map["policy"] != nil, kind != "setRegistry", kind != "removeRegistry" {
      reader.report("policy applies to setRegistry and removeRegistry only", at: map.keyNode("policy"))
    }
    let what = "\(kind) in \(fix)"
    switch kind {
    case "setRegistry":
      guard
        let fields = reader.mapping(
          value, what, allowed: ["path", "name", "type", "value"],
          required: ["path", "name", "type", "value"]),
        let ref = registryRef(value, what, fields: fields),
        let data = registryData(fields, what)
      else { return nil }
      return .setRegistryValue(ref, data, policy: policy)
    case "removeRegistry":
      guard let ref = registryRef(value, what) else { return nil }
      return .removeRegistryValue(ref, policy: policy)
    case "enableFirewallRules":
      return firewallRules(value, what)
    case "setFirewallPort":
      guard let fields = reader.mapping(value, what, allowed: ["rule", "port"], required: ["rule", "port"]),
        let rule = fields["rule"].flatMap({ reader.string($0, "rule of \(what)") }), let portNode = fields["port"]
      else { return nil }
      if case .scalar(let scalar) = portNode, scalar.string == "listener" {
        return .setFirewallRulePort(rule: rule, port: .listener)
      }
      guard
        let port = reader.int(
          portNode, "port of \(what) (a number, or listener for the RDP PortNumber)",
          range: 1...65535)
      else { return nil }
      return .setFirewallRulePort(rule: rule, port: .fixed(port))
    case "setServiceStartType":
      guard
        let fields = reader.mapping(
          value, what, allowed: ["service", "startType"],
          required: ["service", "startType"]),
        let service = fields["service"].flatMap({ reader.string($0, "service of \(what)") }),
        let startType = fields["startType"].flatMap({ oneOf($0, "startType of \(what)", Self.startTypes) })
      else { return nil }
      return .setServiceStartType(service: service, startType: startType)
    case "startService":
      return reader.string(value, "\(what) (a service name)").map(FixAction.startService)
    case "restartService":
      return reader.string(value, "\(what) (a service name)").map(FixAction.restartService)
    case "resetAcl":
      guard let fields = reader.mapping(value, what, allowed: ["path", "grants"], required: ["path", "grants"]),
        let path = fields["path"].flatMap({ windowsPath($0, "path of \(what)") }),
        let grantsNode = fields["grants"], let grants = reader.stringList(grantsNode, "grants of \(what)")
      else { return nil }
      if grants.isEmpty {
        reader.report("grants of \(what) is empty: the folder would be left with no access", at: grantsNode)
      }
      for grant in grants where !Self.isSIDGrant(grant) {
        reader.report(
          "grant '\(grant)' in \(what) must name a SID such as '*S-1-5-18:(OI)(CI)F': account names are localized",
          at: grantsNode)
      }
      return .resetACL(path: path, grants: grants)
    case "removeBrokenCertificates":
      guard
        let fields = reader.mapping(
          value, what, allowed: ["store", "validForDays", "selfSigned"], required: ["store"]),
        let store = fields["store"].flatMap({ reader.string($0, "store of \(what)") })
      else { return nil }
      let days = fields["validForDays"].flatMap { reader.int($0, "validForDays of \(what)", range: 0...3650) }
      let selfSigned = fields["selfSigned"].flatMap { reader.bool($0, "selfSigned of \(what)") } ?? false
      return .removeBrokenCertificates(CertificateSelection(store: store, validForDays: days, selfSigned: selfSigned))
    case "renameRdpKeyFile":
      guard let fields = reader.mapping(value, what, allowed: ["folder"], required: ["folder"]),
        let folder = fields["folder"].flatMap({ windowsPath($0, "folder of \(what)") })
      else { return nil }
      return .renameRDPKeyFile(folder: folder)
    case "renameFolder":
      guard let fields = reader.mapping(value, what, allowed: ["path"], required: ["path"]),
        let path = fields["path"].flatMap({ windowsPath($0, "path of \(what)") })
      else { return nil }
      return .renameFolder(path: path)
    default:
      return nil
    }
  }

  private func registryRef(_ node: Node, _ what: String, fields: YAMLReader.Mapping? = nil) -> RegistryValueRef? {
    guard let fields = fields ?? reader.mapping(node, what, allowed: ["path", "name"], required: ["path", "name"]),
      let pathNode = fields["path"], let path = reader.string(pathNode, "path of \(what)"),
      let name = fields["name"].flatMap({ reader.string($0, "name of \(what)") })
    else { return nil }
    guard path.hasPrefix(#"HKLM:\"#) else {
      reader.report("path of \(what) must be a registry path starting with HKLM:\\, found '\(path)'", at: pathNode)
      return nil
    }
    return RegistryValueRef(path: path, name: name)
  }

  private func registryData(_ fields: YAMLReader.Mapping, _ what: String) -> RegistryData? {
    guard let typeNode = fields["type"], let type = oneOf(typeNode, "type of \(what)", Self.registryTypes),
      let valueNode = fields["value"]
    else { return nil }
    let valueWhat = "value of \(what) (a \(type))"
    switch type {
    case "DWord":
      return reader.int(valueNode, valueWhat, range: 0...Int(UInt32.max)).map { .dword(Int64($0)) }
    case "QWord":
      return reader.int(valueNode, valueWhat).map { .qword(Int64($0)) }
    case "String":
      return reader.string(valueNode, valueWhat).map(RegistryData.string)
    case "ExpandString":
      return reader.string(valueNode, valueWhat).map(RegistryData.expandString)
    case "MultiString":
      return reader.stringList(valueNode, valueWhat).map(RegistryData.multiString)
    default:
      guard let items = reader.sequence(valueNode, "\(valueWhat): a list of bytes") else { return nil }
      let bytes = items.compactMap { reader.int($0, "each byte of \(valueWhat)", range: 0...255) }
      return bytes.count == items.count ? .binary(bytes.map(UInt8.init)) : nil
    }
  }

  private func firewallRules(_ node: Node, _ what: String) -> FixAction? {
    guard let fields = reader.mapping(node, what, allowed: ["names", "group", "profiles"], required: ["profiles"])
    else { return nil }
    let selector: FirewallRuleSelector
    switch (fields["names"], fields["group"]) {
    case (let namesNode?, nil):
      guard let names = reader.stringList(namesNode, "names of \(what)") else { return nil }
      guard !names.isEmpty else {
        reader.report("names of \(what) is empty: enabling without a name would enable every rule", at: namesNode)
        return nil
      }
      selector = .names(names)
    case (nil, let groupNode?):
      guard let group = reader.string(groupNode, "group of \(what) (a group id such as '@FirewallAPI.dll,-28752')")
      else { return nil }
      if !group.hasPrefix("@") {
        reader.report(
          "group of \(what) must be the group id ('@FirewallAPI.dll,-28752'), not the localized display group",
          at: groupNode)
      }
      selector = .group(group)
    default:
      reader.report(
        "\(what) needs exactly one of names or group: Enable-NetFirewallRule without them enables every rule",
        at: node)
      return nil
    }
    guard let profilesNode = fields["profiles"] else { return nil }
    if case .scalar(let scalar) = profilesNode, scalar.string == "connected" {
      return .enableFirewallRules(selector, profiles: .connected)
    }
    guard let profiles = reader.stringList(profilesNode, "profiles of \(what) (connected, or a list)") else {
      return nil
    }
    for profile in profiles where !Self.profiles.contains(profile) && profile != "Any" {
      reader.report(
        "unknown firewall profile '\(profile)' in \(what): use Domain, Private, Public, Any or connected",
        at: profilesNode)
    }
    return .enableFirewallRules(selector, profiles: .profiles(profiles))
  }

  private func oneOf(_ node: Node, _ what: String, _ allowed: [String]) -> String? {
    guard let text = reader.string(node, what) else { return nil }
    guard let match = allowed.first(where: { $0.lowercased() == text.lowercased() }) else {
      reader.report("\(what) must be one of \(allowed.joined(separator: ", ")), found '\(text)'", at: node)
      return nil
    }
    return match
  }

  private func windowsPath(_ node: Node, _ what: String) -> String? {
    guard let path = reader.string(node, what) else { return nil }
    let bytes = Array(path.utf8)
    guard bytes.count >= 3, bytes[1] == UInt8(ascii: ":"), bytes[2] == UInt8(ascii: "\\"), !path.hasSuffix("\\")
    else {
      reader.report(
        "\(what) must be an absolute Windows path such as 'C:\\ProgramData\\...', found '\(path)'", at: node)
      return nil
    }
    return path
  }

  /// `*S-1-5-18:(OI)(CI)F`: a SID (not a localized account name) followed by the permissions.
  static func isSIDGrant(_ grant: String) -> Bool {
    guard grant.hasPrefix("*S-1-"), let colon = grant.firstIndex(of: ":") else { return false }
    let sid = grant[grant.index(grant.startIndex, offsetBy: 3)..<colon]
    return !sid.isEmpty && sid.allSatisfy { $0.isNumber || $0 == "-" } && grant.index(after: colon) < grant.endIndex
  }
}
