import ArgumentParser
import Foundation
import WinAudit

/// `winaudit runs`: the runs in the journal folder, so a RUN-ID for `rollback` is found again; `runs show ID` prints
/// one run's steps per host with what each host reported.
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List the fix and rollback runs recorded in the journal folder.",
    subcommands: [List.self, Show.self], defaultSubcommand: List.self)

  struct JournalOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Journal folder (default as for fix).", valueName: "dir"))
    var journal: String?

    var directory: JournalDirectory {
      journal.map { JournalDirectory(path: ConnectionOptions.absolute($0)) } ?? .default()
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the runs, oldest first.")

    @OptionGroup var journal: JournalOption

    func run() throws {
      let runs = JournalRuns.list(journal.directory)
      guard !runs.isEmpty else {
        print("no runs in \(journal.directory.path)")
        return
      }
      let width = max(6, runs.map(\.id.count).max() ?? 0)
      print(
        "RUN".padding(toLength: width, withPad: " ", startingAt: 0)
          + "  STARTED                   KIND      HOSTS  DONE  FAILED  OUTCOME")
      for run in runs {
        var outcome = run.outcome
        if let original = run.rollbackOf { outcome += ", undoes \(original)" }
        if !run.rolledBackBy.isEmpty { outcome += ", rolled back by " + run.rolledBackBy.joined(separator: ", ") }
        if let problem = run.problem { outcome += ": \(problem)" }
        print(
          run.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            + String(run.started.prefix(24)).padding(toLength: 24, withPad: " ", startingAt: 0) + "  "
            + run.command.padding(toLength: 8, withPad: " ", startingAt: 0) + "  "
            + String(format: "%5d  %4d  %6d  ", run.hosts.count, run.applied, run.failed) + outcome)
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one run's steps per host.")

    @OptionGroup var journal: JournalOption

    @Argument(help: "The RUN-ID.")
    var id: String

    func run() throws {
      let run = try RunID(parsing: id)
      let entries: [JournalEntry]
      do {
        entries = try JournalReader.read(directory: journal.directory, run: run)
      } catch {
        throw UsageError(error.message)
      }
      print(JournalRuns.describe(entries), terminator: "")
    }
  }
}
