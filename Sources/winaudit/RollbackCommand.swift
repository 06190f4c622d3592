import ArgumentParser
import Foundation
import WinAudit

/// `winaudit rollback RUN-ID`: restore what a `fix --apply` run changed, newest change first, from its journal.
struct RollbackCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback",
    abstract: "Restore the before-values a fix run recorded in its journal.",
    discussion: """
      Hosts are reached with the connection details the journal recorded. Changes with no recorded result (the \
      connection dropped) are restored too: restoring a value that never changed changes nothing. Confirmation as \
      for fix --apply. Exit codes: 0 rolled back, 2 invalid input, 4 a host could not be rolled back.
      """)

  @Argument(help: "The run id `winaudit fix --apply` printed.")
  var runID: String

  @Option(name: .long, help: ArgumentHelp("Only these hosts (names or globs, comma-separated).", valueName: "pattern"))
  var limit: String?

  @Option(name: .long, help: ArgumentHelp("Journal folder (default as for fix).", valueName: "dir"))
  var journal: String?

  @Flag(name: .long, help: "Answer yes for every host (for automation).")
  var yes = false

  @OptionGroup var concurrency: ConcurrencyOption

  @OptionGroup var connection: ConnectionOptions

  func run() async throws {
    let interruption = Interruption()
    let confirmation = try Confirmation(
      assumeYes: yes, input: TerminalInput(interruption: interruption), verb: "roll back")
    let run = try RunID(parsing: runID)
    let hostLimit = try limit.map { try HostLimit($0) }
    let directory = journal.map { JournalDirectory(path: ConnectionOptions.absolute($0)) } ?? .default()
    let entries: [JournalEntry]
    do {
      entries = try JournalReader.read(directory: directory, run: run)
    } catch {
      // A journal that cannot be read is bad input (exit 2): nothing has been contacted.
      throw UsageError(error.message)
    }
    let session = RollbackSession(
      connector: connection.connector(), concurrency: concurrency.value(default: 16), interruption: interruption)
    let trap = SignalTrap(interruption)
    defer { trap.cancel() }
    // The run line comes before any host is contacted, and each host's changes before the question about them.
    let report = try await session.rollback(
      entries, limit: hostLimit, confirmation: confirmation, journal: directory
    ) { event in
      switch event {
      case .started(let original, let run, let journal):
        print(RollbackReport.started(original: original, run: run, journal: journal))
      case .planned(let plan): print(RollbackReport.planned(plan))
      }
    }
    print(RollbackReport.ending(report))
    throw ExitCode(ExitStatus.of(report))
  }
}
