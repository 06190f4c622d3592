/// The desired state of a fleet: the facts to collect on each host and the controls that judge them.
///
/// Loaded from YAML (`PlaybookLoader`; format in README "Playbooks") or built in (`Playbook.builtIn`, the RDP
/// baseline). A loaded playbook has been validated: every fact a control names exists and has the right kind, so
/// evaluating it on a host can only fail because of the host.
public struct Playbook: Sendable, Hashable {
  /// The file it came from, for messages.
  public var file: String
  public var name: String
  public var description: String?
  /// Facts as declared, in file order.
  public var facts: [Fact] {
    didSet { factIndex = Self.index(facts) }
  }
  /// Where each fact id first appears in `facts`: controls look their facts up on every host, and a linear search
  /// copying each `Fact` it passed was a tenth of a 300-host audit's client instructions.
  private var factIndex: [String: Int]
  /// Controls in file order; reports keep this order.
  public var controls: [Control]
  /// Lower-case hex SHA-256 of the YAML text it was read from (reports name the exact playbook with it); nil when
  /// built in code.
  public var digest: String?

  public init(file: String, name: String, description: String? = nil, facts: [Fact], controls: [Control]) {
    self.file = file
    self.name = name
    self.description = description
    self.facts = facts
    self.factIndex = Self.index(facts)
    self.controls = controls
  }

  private static func index(_ facts: [Fact]) -> [String: Int] {
    Dictionary(facts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The declared fact with this id.
  public func fact(_ id: String) -> Fact? {
    factIndex[id].map { facts[$0] }
  }

  /// The facts the collector script gathers: what the controls need from inside the host, plus what those facts and
  /// the wire facts depend on (PortNumber for the probe), in declaration order with dependencies first. Declared facts
  /// no control uses are not collected.
  public var requiredFacts: [Fact] {
    neededFacts.filter { !$0.isWire }
  }

  /// The facts winaudit reads from the outside (the RDP wire probe) for these controls.
  public var wireFacts: [Fact] {
    neededFacts.filter(\.isWire)
  }

  /// The ids of the controls that wire facts alone decide (their check, applicability and required controls read no
  /// host fact): what a host whose SSH login failed can still be judged on.
  var wireOnlyControls: Set<String> {
    var decided: [String: Bool] = [:]
    func wireOnly(_ control: Control) -> Bool {
      if let known = decided[control.id] { return known }
      decided[control.id] = false
      let factsOnWire = control.factReferences.allSatisfy { id in
        fact(id)?.isWire ?? false
      }
      let result =
        factsOnWire && control.applicability.minimumBuild == nil && control.applicability.buildBelow == nil
        && control.requires.allSatisfy { id in controls.first { $0.id == id }.map(wireOnly) ?? false }
      decided[control.id] = result
      return result
    }
    return Set(controls.filter(wireOnly).map(\.id))
  }

  private var neededFacts: [Fact] {
    var needed = Set<String>()
    func need(_ id: String) {
      guard needed.insert(id).inserted, let fact = fact(id) else { return }
      fact.kind.dependencies.forEach(need)
    }
    controls.flatMap(\.factReferences).forEach(need)
    var ordered: [Fact] = []
    var placed = Set<String>()
    func place(_ fact: Fact) {
      guard !placed.contains(fact.id) else { return }
      placed.insert(fact.id)
      for dependency in fact.kind.dependencies {
        if let other = self.fact(dependency) { place(other) }
      }
      ordered.append(fact)
    }
    facts.filter { needed.contains($0.id) }.forEach(place)
    return ordered
  }

  /// The playbook cut down to `ids` and every control they `requires:` (transitively), in playbook order: an audit
  /// with it judges only those controls and collects only the facts they read (`requiredFacts`).
  public func keeping(controls ids: Set<String>) -> Playbook {
    var kept: Set<String> = []
    var stack = Array(ids)
    while let id = stack.popLast() {
      guard kept.insert(id).inserted, let control = controls.first(where: { $0.id == id }) else { continue }
      stack += control.requires
    }
    var playbook = self
    playbook.controls = controls.filter { kept.contains($0.id) }
    return playbook
  }

  /// The collector script for this playbook.
  public var collectorScript: CollectorScript {
    CollectorScript(facts: requiredFacts)
  }
}

extension Playbook {
  /// The RDP baseline shipped in the binary: `Playbooks/rdp-baseline.yml`, compiled in.
  public static var builtIn: Playbook {
    get throws(DiagnosticsError) {
      try PlaybookLoader.parse(builtInText, file: "<built-in rdp-baseline.yml>")
    }
  }

  /// The built-in playbook's YAML text, for `winaudit playbook show` and for tests.
  public static var builtInText: String { String(decoding: PackageResources.rdp_baseline_yml, as: UTF8.self) }
}
