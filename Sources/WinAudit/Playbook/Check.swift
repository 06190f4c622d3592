/// How a control is judged: which fact to read and what it should be.
struct Check: Sendable, Hashable {
  var fact: FactPath
  var expectation: Expectation
  /// A value that is absent on the host passes (e.g. a policy that is not configured cannot contradict anything).
  var allowAbsent: Bool
  /// Checks on other facts that must hold too for the control to pass (NLA only works over the TLS security layer).
  var and: [Check]

  init(fact: FactPath, expectation: Expectation, allowAbsent: Bool = false, and: [Check] = []) {
    self.fact = fact
    self.expectation = expectation
    self.allowAbsent = allowAbsent
    self.and = and
  }

  /// Every fact the check reads, its `and` checks included.
  var facts: [FactPath] { [fact] + and.flatMap(\.facts) }

  /// Every expectation of the check and its `and` checks.
  var expectations: [Expectation] { [expectation] + and.flatMap(\.expectations) }
}
