/// One control's result on one host: what was expected, what was found, where the found value comes from, and a
/// message that explains drift or quotes the error.
public struct Finding: Sendable, Hashable {
  public var controlID: String
  public var title: String
  public var severity: Severity
  public var status: FindingStatus
  /// The expectation in words (`0`, `one of [1, 2]`, `valid for at least 30 days`); nil when skipped.
  public var expected: String?
  /// What the host has, in words; nil when it could not be read.
  public var actual: String?
  /// Where the actual value comes from (registry settings only).
  public var source: ValueSource?
  /// Why the control drifted, errored or was skipped; nil for a plain pass.
  public var message: String?
  /// The expected value when the expectation is equality to a number or a boolean (JSON keeps its type).
  public var expectedValue: FactValue?
  /// The actual value when it is a number or a boolean (JSON keeps its type).
  public var actualValue: FactValue?
  /// The waiver that covers this finding: it made drift `waived`, or it expired (`expired`) and the drift stands.
  public var waiver: AppliedWaiver?

  public init(
    controlID: String, title: String, severity: Severity, status: FindingStatus, expected: String? = nil,
    actual: String? = nil, source: ValueSource? = nil, message: String? = nil
  ) {
    self.controlID = controlID
    self.title = title
    self.severity = severity
    self.status = status
    self.expected = expected
    self.actual = actual
    self.source = source
    self.message = message
  }

  /// The finding of a judged check: its words and where the value came from.
  init(_ control: Control, _ status: FindingStatus, _ judged: (outcome: ExpectationCheck.Outcome, view: FactView)) {
    self.init(
      control, status, expected: judged.outcome.expected, actual: judged.outcome.actual, source: judged.view.source,
      message: status == .pass ? nil : judged.outcome.message)
    expectedValue = judged.outcome.expectedValue?.typedScalar
    actualValue = judged.outcome.actualValue?.typedScalar
  }

  init(
    _ control: Control, _ status: FindingStatus, expected: String? = nil, actual: String? = nil,
    source: ValueSource? = nil, message: String? = nil
  ) {
    self.init(
      controlID: control.id, title: control.title, severity: control.severity, status: status, expected: expected,
      actual: actual, source: source, message: message)
  }
}

extension FactValue {
  /// The value itself when it is a number or a boolean, else nil: what a report can give its JSON type.
  var typedScalar: FactValue? {
    switch self {
    case .bool, .int: self
    case .double(let value) where value.isFinite: self
    default: nil
    }
  }
}
