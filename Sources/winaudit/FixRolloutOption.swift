import ArgumentParser
import WinAudit

/// `--batch N|P%` and `--max-fail N|P%`, shared by `fix --apply` and `rollback`: how changes roll out over the fleet.
struct RolloutOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Change hosts batch by batch in inventory order, each batch finishing before the next starts (a number of "
        + "hosts or a percentage).", valueName: "n|p%"))
  var batch: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Start no further host or batch once this many hosts failed (apply failed, dropped, locked, unreachable); the "
        + "rest are reported and journaled as not started.", valueName: "n|p%"))
  var maxFail: String?

  func validate() throws {
    _ = try rollout()
  }

  /// The rollout the flags ask for; a `ValidationError` (exit 2) for 0, negative, over 100% or not a number.
  func rollout() throws -> Rollout {
    do {
      return Rollout(
        batch: try batch.map { try HostShare(parsing: $0, option: "--batch") },
        maxFail: try maxFail.map { try HostShare(parsing: $0, option: "--max-fail") })
    } catch {
      throw ValidationError("\(error)")
    }
  }
}

/// `--format text|json` of `fix` and `rollback`.
enum FixOutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
}
