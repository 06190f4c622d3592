import ArgumentParser

/// `--concurrency N`, shared by audit, fix and rollback: how many hosts are worked on at the same time.
struct ConcurrencyOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Hosts worked on at the same time (default: 32 for audit, 16 for fix and rollback).", valueName: "n"))
  var concurrency: Int?

  func validate() throws {
    if let concurrency, concurrency < 1 {
      throw ValidationError("--concurrency must be at least 1, got \(concurrency)")
    }
  }

  /// The value given, or the command's default.
  func value(default fallback: Int) -> Int { concurrency ?? fallback }
}
