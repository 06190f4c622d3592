import ArgumentParser
import WinAudit

/// `--concurrency N`, shared by audit, fix and rollback: how many hosts are worked on at the same time.
struct ConcurrencyOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Hosts worked on at the same time (default: 16 per CPU core, between 16 and 128, for audit, probe and "
        + "explain; half that for fix and rollback; never more than the open-file limit carries).", valueName: "n"))
  var concurrency: Int?

  func validate() throws {
    if let concurrency, concurrency < 1 {
      throw ValidationError("--concurrency must be at least 1, got \(concurrency)")
    }
  }

  /// The value given, or the command's default, once the process may open the files that many hosts need (the soft
  /// limit raised if needed); a usage error (exit 2, before any host is contacted) when the hard limit is too low.
  func value(default fallback: Int) throws -> Int {
    let value = concurrency ?? fallback
    try DescriptorBudget.ensure(concurrency: value)
    return value
  }
}
