import RemotePowerShell

/// The one PowerShell script a host receives in an audit: a small generated header that lists the requested facts as
/// PowerShell data, followed by the fixed `CollectorLibrary`. Running it prints one facts JSON document
/// (`FactsDocument`) and exits 0.
///
/// Every value from a playbook enters the header through `PowerShellQuote.literal` (or as a Swift `Int`), so a
/// hostile registry path or service name stays a string and cannot become code. The text is deterministic for a
/// given list of facts, so `winaudit script` shows exactly what runs, and a reference file pins it in the tests.
public struct CollectorScript: Sendable, Hashable {
  /// The facts requested, in the order the script collects them (dependencies first).
  public let facts: [Fact]
  /// The script text.
  public let text: String

  /// Builds the script for `facts`, which must already be in dependency order (`Playbook.requiredFacts` is).
  public init(facts: [Fact]) {
    self.facts = facts
    var lines = [
      "$ProgressPreference = 'SilentlyContinue'",
      "$ErrorActionPreference = 'Stop'",
      "# winaudit fact collector, facts schema \(FactsDocument.schemaVersion). Generated: `winaudit script` prints it.",
      "# Requested facts: one entry each, every value a single-quoted literal.",
      "$WinAuditRequests = @(",
    ]
    lines += facts.map { "  " + Self.request(for: $0) }
    lines.append(")")
    lines.append("")
    text = lines.joined(separator: "\n") + "\n" + CollectorLibrary.text + "\n"
  }

  /// One `[ordered]@{ ... }` entry: fixed key names, values quoted or numeric.
  static func request(for fact: Fact) -> String {
    let quote = PowerShellQuote.literal
    var fields: [(String, String)] = [("id", quote(fact.id)), ("kind", quote(fact.query.kind.rawValue))]
    switch fact.query {
    case .registry(let registry):
      fields += [("path", quote(registry.path)), ("name", quote(registry.name))]
      if let policyName = registry.policyName {
        let policyPath = registry.policyPath ?? RegistryQuery.terminalServicesPolicyPath
        fields += [("policyPath", quote(policyPath)), ("policyName", quote(policyName))]
      }
    case .firewallRules(.names(let names)):
      fields.append(("names", PowerShellQuote.array(names)))
    case .firewallRules(.group(let group)):
      fields.append(("group", quote(group)))
    case .networkProfiles, .operatingSystem, .machineGuid:
      break
    case .tcpListener(.number(let port)):
      fields.append(("port", String(port)))
    case .tcpListener(.fact(let id, let defaultPort)):
      fields += [("portFact", quote(id)), ("portDefault", String(defaultPort))]
    case .service(let name):
      fields.append(("name", quote(name)))
    case .certificates(let store):
      fields.append(("store", quote(store)))
    case .terminalSettings(let terminal):
      fields.append(("terminal", quote(terminal)))
    case .path(let path):
      fields.append(("path", quote(path)))
    }
    return "[ordered]@{ " + fields.map { "\($0.0) = \($0.1)" }.joined(separator: "; ") + " }"
  }
}
