/// What `winaudit explain` returns: what the numbers mean, the controls whose drift can cause them (ranked), and, when
/// hosts were checked, each host's verdict on every candidate. The renderers (`ExplainReport`) print it; `ExitStatus`
/// maps it to the exit code.
public struct Explanation: Sendable, Hashable {
  public var query: ExplainQuery
  /// The documented meaning of each number asked about (error code first), or of the named error.
  public var meanings: [ErrorCodeMeaning]
  /// Remarks on how the input was read (a decimal that looks like a hex code).
  public var notes: [String]
  /// The playbook the candidates come from.
  public var playbook: String
  /// Ranked, most likely first.
  public var candidates: [ExplainCandidate]
  /// Per host, in inventory order; nil when no host was checked (no `--inventory`).
  public var hosts: [HostExplanation]?

  public init(
    query: ExplainQuery, meanings: [ErrorCodeMeaning], notes: [String] = [], playbook: String,
    candidates: [ExplainCandidate], hosts: [HostExplanation]? = nil
  ) {
    self.query = query
    self.meanings = meanings
    self.notes = notes
    self.playbook = playbook
    self.candidates = candidates
    self.hosts = hosts
  }
}

/// One host's answer: each candidate confirmed, ruled out or unknown; `error` when the host could not be audited.
public struct HostExplanation: Sendable, Hashable {
  public var name: String
  public var address: String
  /// Why the host could not be audited (then every verdict is unknown); nil otherwise.
  public var error: String?
  /// Whether the audit behind these verdicts failed somewhere (unreachable, the script failed, or a control could
  /// not be judged), which makes the exit code 4.
  public var incomplete: Bool
  /// One verdict per candidate, in rank order.
  public var verdicts: [CandidateVerdict]

  public init(name: String, address: String, error: String?, incomplete: Bool, verdicts: [CandidateVerdict]) {
    self.name = name
    self.address = address
    self.error = error
    self.incomplete = incomplete
    self.verdicts = verdicts
  }

  public var confirmed: [CandidateVerdict] { verdicts.filter { $0.verdict == .confirmed } }
}

/// What a host says about one candidate cause.
public struct CandidateVerdict: Sendable, Hashable {
  public enum Verdict: String, Sendable, Hashable, CaseIterable {
    /// The control drifts on the host: a cause that is there.
    case confirmed
    /// The control passes: not the cause on this host.
    case ruledOut = "ruled-out"
    /// The control could not be judged (error), does not apply, was skipped, or the host could not be audited.
    case unknown
  }

  public var controlID: String
  public var verdict: Verdict
  /// The finding's status (pass, drift, error, skipped); nil when the host could not be audited.
  public var status: FindingStatus?
  public var expected: String?
  /// What the host has; text from the host, shown through SafeText.
  public var actual: String?
  /// Why: the drift message, the error, or why it was skipped; text from the host, shown through SafeText.
  public var reason: String?
  /// The command that applies the fix on this host, for a confirmed cause with an automatic fix; nil otherwise.
  public var fixCommand: String?

  public init(
    controlID: String, verdict: Verdict, status: FindingStatus?, expected: String? = nil, actual: String? = nil,
    reason: String? = nil, fixCommand: String? = nil
  ) {
    self.controlID = controlID
    self.verdict = verdict
    self.status = status
    self.expected = expected
    self.actual = actual
    self.reason = reason
    self.fixCommand = fixCommand
  }
}
