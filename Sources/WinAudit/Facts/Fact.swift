/// A named piece of host state a playbook wants to know (a registry value, a service, the RDP firewall rules...),
/// declared once in the playbook's `facts:` section and referred to by any number of controls.
///
/// Controls name facts instead of embedding queries so the collector gathers each fact once per host, however many
/// controls look at it (firewall queries in particular are slow on real Windows).
public struct Fact: Sendable, Hashable {
  /// The playbook's name for the fact; also its key in the facts JSON.
  public var id: String
  public var query: FactQuery

  public init(id: String, query: FactQuery) {
    self.id = id
    self.query = query
  }
}
