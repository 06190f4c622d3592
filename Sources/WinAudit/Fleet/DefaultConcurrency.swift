import Foundation

/// How many hosts a run works on at once when `--concurrency` is not given: a number per core of the auditing
/// machine, never more than its open-file limit carries.
///
/// Why per core: the client's own work per host is the SSH key exchange and the login signature (libcrypto, about a
/// third of the client's instructions per host under callgrind) plus decoding and judging the facts, all CPU; waiting
/// for a host costs nothing (the read loop blocks in poll). More hosts in flight than the cores can serve only queue
/// their key exchanges: on 2 cores, 1,000 lab hosts at 100 in flight took twice as long as at 32, and at 256 hosts
/// that were merely waiting for a core timed out. The figures behind `perCore` are in README "Benchmark"
/// (`BENCH_CONCURRENCY` in Samples/bench/suite.sh measures them on any machine).
public enum DefaultConcurrency {
  /// Hosts in flight per core for an audit.
  public static let perCore = 16
  /// The default never goes below or above these, whatever the core count.
  public static let bounds = 16...128

  /// The default for `audit`, `probe` and `explain` on a machine with `cores` cores whose processes may open
  /// `openFiles` files (the hard limit; nil when unknown).
  public static func audit(
    cores: Int = ProcessInfo.processInfo.activeProcessorCount, openFiles: Int? = DescriptorBudget.hardLimit()
  ) -> Int {
    let wanted = min(max(perCore * max(1, cores), bounds.lowerBound), bounds.upperBound)
    guard let openFiles else { return wanted }
    return max(1, min(wanted, (openFiles - DescriptorBudget.reserve) / DescriptorBudget.perHost))
  }

  /// The default for `fix` and `rollback`: half the audit's, since each host then holds its lock, journal and
  /// several scripts for longer, and a smaller batch in flight is a smaller batch to look at if something goes wrong.
  public static func fix(
    cores: Int = ProcessInfo.processInfo.activeProcessorCount, openFiles: Int? = DescriptorBudget.hardLimit()
  ) -> Int {
    max(1, audit(cores: cores, openFiles: openFiles) / 2)
  }
}
