/// One kind of host state the collector can read (a registry value, a service, firewall rules...): everything about
/// the kind lives in the type that conforms, one file per kind under `Facts/Kinds/`.
///
/// A kind says how its playbook parameters are written and checked, what its request in the collector script holds,
/// which PowerShell function collects it, which fields a check may name, and how a field is read from the collected
/// value. Adding a kind means writing one conforming type (plus its collector function) and listing it once in
/// `FactKinds.builtIn`; nothing else switches over kinds.
protocol FactKind: Sendable, Hashable {
  /// The kind's name in playbooks and in the facts JSON (`registry`).
  static var name: String { get }
  /// Who gathers it: the collector script on the host, or winaudit itself from the outside (the RDP wire probe).
  static var origin: FactOrigin { get }
  /// The PowerShell function that collects one fact of this kind from its request (`param($Request)`).
  static var collector: CollectorFunction { get }
  /// The fields a check may name after the fact id (`termService.startType`); a playbook naming another is rejected.
  static var fields: [String] { get }
  /// Reads the parameters written after the kind's name, reporting every problem where it is written; nil when they
  /// are unusable.
  static func parse(_ parameters: FactParameters) -> Self?

  /// The request's entries besides `id` and `kind`: what the collector function reads, every value a literal.
  var request: [(key: String, value: PowerShellValue)] { get }
  /// Facts this one reads on the host, which the collector gathers first (a listener on the port a registry fact
  /// names).
  var dependencies: [String] { get }
  /// The checkable view of the collected value: the main value for `field == nil`, else the named field.
  func view(_ field: String?, of raw: FactValue) -> FactView
  /// What drift on this fact means for fixing it, given where the value came from (Group Policy, local, default).
  func sourceNote(_ source: ValueSource?) -> String?
}

extension FactKind {
  static var origin: FactOrigin { .host }
  var name: String { Self.name }
  var dependencies: [String] { [] }
  func sourceNote(_ source: ValueSource?) -> String? { nil }

  /// Whether `other` is a fact of this same kind.
  static func isKind(of other: any FactKind) -> Bool { type(of: other).name == name }
}

/// Where a fact is read: inside the host (by the collector script over SSH) or from the auditing machine (what the
/// host answers on the network). The second works even when SSH does not.
enum FactOrigin: Sendable, Hashable {
  case host
  case wire
}

/// A collector function: its name, which the script's dispatch table maps the kind to, and its PowerShell text.
struct CollectorFunction: Sendable, Hashable {
  var name: String
  var text: String

  init(name: String, text: String) {
    self.name = name
    self.text = text
  }

  /// A function compiled into the binary from `Facts/Kinds/Collectors/*.ps1`.
  init(name: String, embedded bytes: [UInt8]) {
    self.init(name: name, text: String(decoding: bytes, as: UTF8.self))
  }
}

/// The fact kinds a playbook may use: the built-in ones, or those plus kinds of one's own (tests add a throwaway one).
struct FactKinds: Sendable {
  var kinds: [any FactKind.Type]

  init(_ kinds: [any FactKind.Type]) {
    self.kinds = kinds
  }

  /// Every kind winaudit ships, in the order the collector script defines their functions.
  static let builtIn = FactKinds([
    RegistryFact.self, FirewallRulesFact.self, FirewallProfilesFact.self, NetworkProfilesFact.self,
    TcpListenerFact.self, ServiceFact.self,
    CertificatesFact.self, TerminalSettingsFact.self, PathFact.self, OperatingSystemFact.self, MachineGuidFact.self,
    UserRightsFact.self, DomainMembershipFact.self, LocalGroupFact.self, RDPWireFact.self,
  ])

  var names: [String] { kinds.map { $0.name } }

  func kind(named name: String) -> (any FactKind.Type)? {
    kinds.first { $0.name == name }
  }

  static func + (lhs: FactKinds, rhs: [any FactKind.Type]) -> FactKinds {
    FactKinds(lhs.kinds + rhs)
  }
}

/// A kind with one text parameter, written `service: TermService` or `service: {name: TermService}`, and sent under
/// the same key in its request.
protocol SingleParameterFactKind: FactKind {
  /// The parameter's key (`name`).
  static var parameterKey: String { get }
  var parameter: String { get }
  init(parameter: String)
}

extension SingleParameterFactKind {
  static func parse(_ parameters: FactParameters) -> Self? {
    parameters.single(key: parameterKey).map(Self.init(parameter:))
  }

  var request: [(key: String, value: PowerShellValue)] { [(Self.parameterKey, .literal(parameter))] }
}
