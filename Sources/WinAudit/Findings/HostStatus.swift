/// The verdict for one host, which decides the exit code (any interrupted host: 130; else any error or unreachable
/// host: 4; else any drift: 1).
public enum HostStatus: String, Sendable, Hashable, CaseIterable {
  /// Every applicable control passed.
  case compliant
  /// At least one control drifted, and every control could be judged.
  case drift
  /// The host was reached but the audit is incomplete: the script failed, its output was unreadable, or a control
  /// could not be judged.
  case error
  /// No SSH session: connection refused, authentication failed, host key rejected, timeout.
  case unreachable
  /// Not judged: the run was interrupted (Ctrl-C, SIGTERM) before this host's audit finished.
  case interrupted
}
