/// A named piece of host state a playbook wants to know (a registry value, a service, the RDP firewall rules...),
/// declared once in the playbook's `facts:` section and referred to by any number of controls.
///
/// Controls name facts instead of embedding queries so the collector gathers each fact once per host, however many
/// controls look at it (firewall queries in particular are slow on real Windows).
public struct Fact: Sendable, Hashable {
  /// The playbook's name for the fact; also its key in the facts JSON.
  public var id: String
  /// What is read and how: the fact's kind with its parameters.
  var kind: any FactKind

  init(id: String, kind: any FactKind) {
    self.id = id
    self.kind = kind
  }

  /// The kind's name (`registry`), as in the playbook and the facts JSON.
  public var kindName: String { kind.name }

  /// Read from outside the host (the RDP probe), not by the collector.
  var isWire: Bool { type(of: kind).origin == .wire }

  public static func == (lhs: Fact, rhs: Fact) -> Bool {
    lhs.id == rhs.id && AnyHashable(lhs.kind) == AnyHashable(rhs.kind)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(id)
    hasher.combine(AnyHashable(kind))
  }
}
