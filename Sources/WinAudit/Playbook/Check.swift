/// How a control is judged: which fact to read and what it should be.
struct Check: Sendable, Hashable {
  var fact: FactPath
  var expectation: Expectation
  /// A value that is absent on the host passes (e.g. a policy that is not configured cannot contradict anything).
  var allowAbsent: Bool

  init(fact: FactPath, expectation: Expectation, allowAbsent: Bool = false) {
    self.fact = fact
    self.expectation = expectation
    self.allowAbsent = allowAbsent
  }
}
