/// The exit codes of the README's table, and the one place a report becomes one: 0 compliant (or converged, or rolled
/// back), 1 drift remains (or a rollback was declined or skipped a changed value), 2 invalid input or usage (nothing
/// contacted), 4 a host could not be audited or changed.
public enum ExitStatus {
  public static let compliant: Int32 = 0
  public static let drift: Int32 = 1
  public static let usage: Int32 = 2
  public static let failed: Int32 = 4
  /// The run was interrupted (Ctrl-C, SIGTERM): 128 + SIGINT, as shells report it.
  public static let interrupted: Int32 = 130

  /// 0 every host compliant; 1 drift found; 4 at least one host could not be fully audited (wins over 1).
  public static func of(_ report: AuditReport) -> Int32 {
    report.hosts.map { of($0) }.max() ?? compliant
  }

  /// As for an audit, taken after the apply (the verifying audit); 4 also when a host's apply failed, dropped or
  /// found another run's lock. A dry run is judged by its audits alone.
  public static func of(_ report: FixRunReport) -> Int32 {
    if report.interrupted { return interrupted }
    return report.hosts.map { host in
      switch host.outcome?.status {
      case .failed, .dropped, .locked: return failed
      default: return of(host.audit)
      }
    }.max() ?? compliant
  }

  /// 0 when every selected host was rolled back (or nothing was selected, or an earlier rollback already did it); 1 when
  /// a host was declined (or the user quit at the prompt) or an undo was skipped because its value changed since the
  /// run (without --force); 4 when a host could not be rolled back (wins over 1).
  public static func of(_ report: RollbackRunReport) -> Int32 {
    if report.interrupted { return interrupted }
    return report.hosts.map { host -> Int32 in
      switch host.outcome {
      case .declined: return drift
      case .unreachable, .notStarted, .interrupted: return failed
      case .executed(let outcome):
        guard case .applied = outcome.status else { return failed }
        return host.isRolledBack ? compliant : drift
      }
    }.max() ?? compliant
  }

  /// `winaudit explain`: 0 when no checked host has a confirmed cause (or no host was checked); 1 when a candidate
  /// cause is confirmed (drifts) on some host; 4 when a host could not be fully audited (wins over 1, as for audit).
  public static func of(_ explanation: Explanation) -> Int32 {
    guard let hosts = explanation.hosts else { return compliant }
    if hosts.contains(where: \.incomplete) { return failed }
    return hosts.contains { !$0.confirmed.isEmpty } ? drift : compliant
  }

  static func of(_ audit: HostAudit) -> Int32 {
    switch audit.status {
    case .error, .unreachable: return failed
    case .interrupted: return interrupted
    case .drift: return drift
    case .compliant: return compliant
    }
  }
}
