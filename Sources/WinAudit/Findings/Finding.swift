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
