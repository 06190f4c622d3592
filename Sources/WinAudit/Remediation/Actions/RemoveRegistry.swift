/// `removeRegistry`: removes a registry value the playbook declares as a fact, when it is present.
///
///     - removeRegistry: {fact: credsspOracle}
///
/// As with `setRegistry`, a value that Group Policy sets is not touched; the policy to change is named instead.
struct RemoveRegistryAction: FixAction {
  static let name = "removeRegistry"

  var value: RegistryFact

  static func parse(_ parameters: ActionParameters) -> RemoveRegistryAction? {
    guard let map = parameters.mapping(allowed: ["fact"], required: ["fact"]), let factNode = map["fact"],
      let fact = parameters.fact(at: factNode, "fact of \(parameters.label)", kind: RegistryFact.self)
    else { return nil }
    return RemoveRegistryAction(value: fact)
  }

  var reads: [HostRead] { RegistryValueChange.reads(of: value) }

  func plan(_ context: PlanContext) -> ActionPlan {
    RegistryValueChange.plan(value, to: RegistryValueState(nil), context)
  }
}
