/// How a control is judged: which fact to read and what it should be.
public struct Check: Sendable, Hashable {
  public var fact: FactPath
  public var expectation: Expectation
  /// A value that is absent on the host passes (e.g. a policy that is not configured cannot contradict anything).
  public var allowAbsent: Bool

  public init(fact: FactPath, expectation: Expectation, allowAbsent: Bool = false) {
    self.fact = fact
    self.expectation = expectation
    self.allowAbsent = allowAbsent
  }
}
