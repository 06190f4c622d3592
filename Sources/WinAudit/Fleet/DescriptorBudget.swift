import Foundation

#if canImport(Glibc)
  import Glibc

  private let openFiles = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#elseif canImport(Darwin)
  import Darwin

  private let openFiles = RLIMIT_NOFILE
#endif

/// The open files a run needs for the hosts it works on at once, checked before any host is contacted.
///
/// Each host in flight holds its SSH socket, and while its RDP listener is probed one probe socket; libssh opens the
/// key and known_hosts files for a moment while connecting. Below that, connections fail with errors that point
/// elsewhere ("key file could not be read", "host key not in known_hosts"), so the soft limit is raised to what the
/// concurrency needs when the hard limit allows, and a concurrency the hard limit cannot carry is refused up front.
public enum DescriptorBudget {
  /// Descriptors per host in flight: the SSH socket, a probe socket, a key or known_hosts file being read, and slack.
  public static let perHost = 4
  /// Descriptors for everything else: stdio, the history database (with its WAL and shared-memory files), reports
  /// being written, the journal, the event loops of the probe.
  public static let reserve = 64

  /// What `concurrency` hosts need.
  public static func needed(concurrency: Int) -> Int { reserve + perHost * concurrency }

  /// The hard limit on open files (what the soft limit can be raised to), nil when it cannot be read or is unlimited.
  public static func hardLimit() -> Int? {
    var limits = rlimit()
    guard getrlimit(openFiles, &limits) == 0, limits.rlim_max != rlim_t.max else { return nil }
    return Int(clamping: limits.rlim_max)
  }

  /// Makes sure `concurrency` hosts can be worked on at once: raises the soft limit (up to the hard one) if needed.
  /// Returns the soft limit in effect.
  ///
  /// - Throws: `UsageError` naming the limit and the concurrency that fits when the hard limit is too low.
  @discardableResult
  public static func ensure(concurrency: Int) throws(UsageError) -> Int {
    let need = needed(concurrency: concurrency)
    var limits = rlimit()
    guard getrlimit(openFiles, &limits) == 0 else { return need }
    if limits.rlim_cur >= rlim_t(need) { return Int(clamping: limits.rlim_cur) }
    if limits.rlim_max >= rlim_t(need) {
      var raised = limits
      raised.rlim_cur = rlim_t(need)
      if setrlimit(openFiles, &raised) == 0 { return need }
    }
    let allowed = Int(clamping: max(limits.rlim_cur, limits.rlim_max))
    let fits = max(1, (allowed - reserve) / perHost)
    throw UsageError(
      "--concurrency \(concurrency) needs about \(need) open files, but this process may open at most \(allowed) "
        + "(`ulimit -Hn`): use --concurrency \(fits) or less, or raise the limit (e.g. `ulimit -n \(need)` as root, "
        + "or LimitNOFILE= in a systemd unit)")
  }
}
