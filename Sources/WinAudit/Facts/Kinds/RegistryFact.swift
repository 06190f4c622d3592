/// A registry value, with its Group Policy twin when it has one: the effective value is the policy's when the policy
/// is set, else the local value, else what Windows uses by default (as the playbook declares it).
///
///     nla:
///       registry:
///         path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
///         name: UserAuthentication
///         policy: UserAuthentication   # the value's name under the policy key (optional)
///         default: 1                   # what Windows uses when neither is set (optional)
struct RegistryFact: FactKind {
  static let name = "registry"
  static let collector = CollectorFunction(name: "Get-WinAuditRegistryFact", embedded: PackageResources.Registry_ps1)
  static let fields = ["value", "exists", "local", "policy", "source"]

  /// The policy key Windows reads Remote Desktop policies from.
  static let terminalServicesPolicyPath = #"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"#

  /// The key in PowerShell's form, `HKLM:\SYSTEM\...`.
  var path: String
  var valueName: String
  /// The policy twin: a configured policy value wins over the local one.
  var policyPath: String?
  var policyName: String?
  /// What Windows uses when neither the value nor its policy is set (reported with source "default").
  var defaultValue: FactValue?

  init(
    path: String, name: String, policyPath: String? = nil, policyName: String? = nil, defaultValue: FactValue? = nil
  ) {
    self.path = path
    self.valueName = name
    self.policyPath = policyPath
    self.policyName = policyName
    self.defaultValue = defaultValue
  }

  /// Where the policy twin lives, when there is one.
  var policy: RegistryValueRef? {
    policyName.map { RegistryValueRef(path: policyPath ?? Self.terminalServicesPolicyPath, name: $0) }
  }

  var local: RegistryValueRef { RegistryValueRef(path: path, name: valueName) }

  /// Whether the value itself lives where Group Policy writes (`...\Policies\...`, like CredSSP's
  /// AllowEncryptionOracle): whoever wrote it, a GPO that configures it wins at the next refresh.
  var isPolicyKey: Bool { path.lowercased().contains("\\policies\\") }

  static func parse(_ parameters: FactParameters) -> RegistryFact? {
    let label = parameters.label
    guard
      let map = parameters.mapping(
        allowed: ["path", "name", "policy", "policyPath", "default"], required: ["path", "name"]),
      let pathNode = map["path"], let path = parameters.nonEmpty(pathNode, "\(label).path"),
      let nameNode = map["name"], let name = parameters.nonEmpty(nameNode, "\(label).name")
    else { return nil }
    if !path.contains(":\\") {
      parameters.report(
        "\(label).path must be a PowerShell registry path such as 'HKLM:\\SYSTEM\\...', found '\(path)'", at: pathNode)
      return nil
    }
    var fact = RegistryFact(path: path, name: name)
    if let node = map["policy"] { fact.policyName = parameters.nonEmpty(node, "\(label).policy") }
    if let node = map["policyPath"] {
      fact.policyPath = parameters.nonEmpty(node, "\(label).policyPath")
      if fact.policyName == nil {
        parameters.report("\(label).policyPath needs policy (the value's name under the policy key)", at: node)
      }
    }
    if let node = map["default"] {
      switch node {
      case .scalar(let scalar):
        switch scalar.tagName {
        case .int: fact.defaultValue = node.int.map { .int(Int64($0)) }
        case .float: fact.defaultValue = node.float.map(FactValue.double)
        case .bool: fact.defaultValue = node.bool.map(FactValue.bool)
        case .null: parameters.report("\(label).default is empty: remove it or give a value", at: node)
        default: fact.defaultValue = .string(scalar.string)
        }
      default:
        parameters.report(
          "\(label).default must be a single value, found \(parameters.reader.describe(node))", at: node)
      }
    }
    return fact
  }

  var request: [(key: String, value: PowerShellValue)] {
    var entries: [(key: String, value: PowerShellValue)] = [("path", .literal(path)), ("name", .literal(valueName))]
    if let policy {
      entries += [("policyPath", .literal(policy.path)), ("policyName", .literal(policy.name))]
    }
    return entries
  }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    let effective: FactView
    switch raw["source"]?.string {
    case "group-policy": effective = FactView(value: raw["effective"] ?? .null, source: .groupPolicy)
    case "local": effective = FactView(value: raw["effective"] ?? .null, source: .local)
    default: effective = defaultValue.map { FactView(value: $0, source: .default) } ?? FactView(value: .null)
    }
    switch field {
    case nil, "value": return effective
    case "exists": return FactView(value: .bool(raw["exists"]?.bool ?? false), source: .local)
    case "local":
      return raw["exists"]?.bool == true
        ? FactView(value: raw["value"] ?? .null, source: .local) : FactView(value: .null)
    case "policy":
      let policy = raw["policy"] ?? .null
      return policy["exists"]?.bool == true
        ? FactView(value: policy["value"] ?? .null, source: .groupPolicy) : FactView(value: .null)
    case "source": return FactView(value: effective.source.map { .string($0.rawValue) } ?? .null)
    default: return FactView(value: .null)
    }
  }

  func sourceNote(_ source: ValueSource?) -> String? {
    switch source {
    case .groupPolicy?:
      let policy = self.policy ?? RegistryValueRef(path: Self.terminalServicesPolicyPath, name: valueName)
      return "set by Group Policy (\(policy)); change the GPO, a local fix is undone at the next policy refresh"
    case .default?:
      return "not set locally or by policy; the Windows default applies"
    case .local? where isPolicyKey:
      return "set in a Group Policy key (\(local)): if a GPO configures it, change the GPO, because a local edit is "
        + "undone at the next policy refresh (gpresult /h shows whether one does)"
    case .local?:
      return "set locally (\(local))"
    case nil:
      return nil
    }
  }
}
