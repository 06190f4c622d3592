import ArgumentParser
import Foundation
import WinAudit

/// `winaudit history`: the recorded audits, or one host's (or control's) status over time.
struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "List the recorded audits, or a host's or control's status over time.",
    discussion: "Every audit is recorded unless it ran with --no-history.")

  @Option(name: .long, help: ArgumentHelp("Only this host: its controls run by run.", valueName: "name"))
  var host: String?

  @Option(name: .long, help: ArgumentHelp("Only this control, run by run.", valueName: "id"))
  var control: String?

  @Option(name: .long, help: ArgumentHelp("At most this many runs (newest first).", valueName: "n"))
  var last: Int = 50

  @OptionGroup var history: HistoryOption

  func validate() throws {
    guard last > 0, last <= 100_000 else { throw ValidationError("--last must be between 1 and 100000") }
  }

  func run() throws {
    let store = try history.open()
    if host != nil || control != nil {
      print(HistoryReport.timeline(try store.timeline(host: host, control: control)), terminator: "")
    } else {
      print(HistoryReport.runs(try store.runs(limit: last)), terminator: "")
    }
  }
}

/// `winaudit diff`: what changed between two recorded audits.
struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Show what changed between two recorded audits: new drift, fixed, unreachable, changed values.",
    discussion: "Without run ids: the last two audits of the inventory audited last. Exit 0 when nothing changed, 1 "
      + "when something did.")

  @Argument(help: ArgumentHelp("The older run and the newer run (winaudit history lists them).", valueName: "run"))
  var runs: [String] = []

  @OptionGroup var history: HistoryOption

  func validate() throws {
    guard runs.isEmpty || runs.count == 2 else { throw ValidationError("give two run ids, or none") }
  }

  func run() throws {
    let store = try history.open()
    let diff: HistoryDiff
    do {
      diff = runs.isEmpty ? try HistoryDiff.latest(in: store) : try HistoryDiff.between(runs[0], runs[1], in: store)
    } catch {
      throw UsageError(error.message)
    }
    print(HistoryReport.diff(diff), terminator: "")
    throw ExitCode(diff.changes.isEmpty ? 0 : 1)
  }
}
