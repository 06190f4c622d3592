/// The checkable view of one collected fact: its main value (what `fact: id` means) and its named fields (what
/// `fact: id.field` means), derived from the raw collector JSON.
///
/// Registry facts resolve to the effective value (Group Policy over local over the playbook's default) together
/// with its source; list-shaped kinds also offer flattened fields (`rdpListener.services`) so simple expectations
/// such as `contains` work on them.
public struct FactView: Sendable, Hashable {
  public var value: FactValue
  public var source: ValueSource?

  public init(value: FactValue, source: ValueSource? = nil) {
    self.value = value
    self.source = source
  }

  /// The fields a check may name after the fact id; a playbook naming another field is rejected when loaded.
  public static func fields(of kind: FactKind) -> [String] {
    switch kind {
    case .registry: ["value", "exists", "local", "policy", "source"]
    case .firewallRules: ["rules", "missing", "names", "localPorts", "profiles"]
    case .networkProfiles: ["profiles", "categories"]
    case .tcpListener: ["port", "listeners", "services", "processIds"]
    case .service: ["name", "exists", "status", "startType"]
    case .certificates: ["store", "exists", "certificates", "thumbprints"]
    case .terminalSettings:
      [
        "terminalName", "certificateThumbprint", "certificateType", "userAuthenticationRequired", "securityLayer",
        "minEncryptionLevel", "policySourceUserAuthenticationRequired", "policySourceSecurityLayer",
        "policySourceMinEncryptionLevel",
      ]
    case .path: ["path", "exists", "sddl"]
    case .os: ["caption", "version", "build", "powershellVersion"]
    case .machineGuid: []
    }
  }

  /// The view of `path` on a fact whose raw collected value is `raw`.
  public static func resolve(_ path: FactPath, of fact: Fact, raw: FactValue) -> FactView {
    switch fact.query {
    case .registry(let query):
      return registry(path.field, query: query, raw: raw)
    default:
      let value = path.field.map { field(named: $0, kind: fact.query.kind, raw: raw) } ?? main(fact.query.kind, raw)
      return FactView(value: value)
    }
  }

  private static func registry(_ field: String?, query: RegistryQuery, raw: FactValue) -> FactView {
    let sourceText = raw["source"]?.string
    let effective: FactView
    switch sourceText {
    case "group-policy": effective = FactView(value: raw["effective"] ?? .null, source: .groupPolicy)
    case "local": effective = FactView(value: raw["effective"] ?? .null, source: .local)
    default:
      effective = query.defaultValue.map { FactView(value: $0, source: .default) } ?? FactView(value: .null)
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

  private static func main(_ kind: FactKind, _ raw: FactValue) -> FactValue {
    switch kind {
    case .registry: return raw["effective"] ?? .null
    case .firewallRules: return raw["rules"] ?? .array([])
    case .networkProfiles: return field(named: "categories", kind: kind, raw: raw)
    case .tcpListener: return raw["listeners"] ?? .array([])
    case .service: return raw["status"] ?? .null
    case .certificates: return raw["certificates"] ?? .array([])
    case .terminalSettings, .machineGuid: return raw
    case .path: return raw["sddl"] ?? .null
    case .os: return raw["build"] ?? .null
    }
  }

  private static func field(named name: String, kind: FactKind, raw: FactValue) -> FactValue {
    func collect(_ list: String, _ member: String) -> FactValue {
      var seen: [FactValue] = []
      for item in (raw[list] ?? .null).list {
        for value in (item[member] ?? .null).list where !seen.contains(where: { $0.matches(value) }) {
          seen.append(value)
        }
      }
      return .array(seen)
    }
    switch (kind, name) {
    case (.firewallRules, "names"): return collect("rules", "name")
    case (.firewallRules, "localPorts"): return collect("rules", "localPort")
    case (.firewallRules, "profiles"): return collect("rules", "profile")
    case (.networkProfiles, "categories"): return collect("profiles", "networkCategory")
    case (.tcpListener, "services"): return collect("listeners", "services")
    case (.tcpListener, "processIds"): return collect("listeners", "processId")
    case (.certificates, "thumbprints"): return collect("certificates", "thumbprint")
    case (.firewallRules, "missing"), (.firewallRules, "rules"), (.networkProfiles, "profiles"),
      (.tcpListener, "listeners"), (.certificates, "certificates"):
      return .array((raw[name] ?? .null).list)
    default: return raw[name] ?? .null
    }
  }
}
