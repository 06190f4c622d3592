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
      connection dropped) are restored too: restoring a value that never changed changes nothing. Before restoring, \
      each value is read: one that is no longer what the run wrote was changed since, and is left as it is with a \
      warning unless --force. The touched controls are audited again afterwards. A run already rolled back is not \
      rolled back again. Confirmation as for fix --apply. Exit codes: 0 rolled back, 1 a host was declined (or the \
      prompt quit) or a changed value was skipped, 2 invalid input, 4 a host could not be rolled back.
      """)

  @Argument(help: "The run id `winaudit fix --apply` printed.")
  var runID: String

  @Option(name: .long, help: ArgumentHelp("Only these hosts (names or globs, comma-separated).", valueName: "pattern"))
  var limit: String?

  @Option(name: .long, help: ArgumentHelp("Journal folder (default as for fix).", valueName: "dir"))
  var journal: String?

  @Flag(name: .long, help: "Answer yes for every host (for automation).")
  var yes = false

  @Flag(name: .long, help: "Restore values even when they changed since the run.")
  var force = false

  /// The way before one powershell.exe per host: for the benchmark that measures the difference, not for users.
  @Flag(name: .long, help: .hidden)
  var oneProcessPerScript = false

  @OptionGroup var concurrency: ConcurrencyOption

  @OptionGroup var rollout: RolloutOption

  @Option(name: .long, help: "Output: text, or json (the same content; the plans and questions go to stderr).")
  var format: FixOutputFormat = .text

  @OptionGroup var playbook: PlaybookOption

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
      connector: connection.connector(), concurrency: try concurrency.value(default: DefaultConcurrency.fix()),
      interruption: interruption,
      rollout: try rollout.rollout(), force: force, playbook: try playbook.load(),
      oneProcessPerScript: oneProcessPerScript)
    let trap = SignalTrap(interruption)
    defer { trap.cancel() }
    // The run line comes before any host is contacted, and each host's changes before the question about them; with
    // JSON on stdout they go to stderr, where the questions are.
    let json = format == .json
    let show: (String) -> Void = json ? { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } : { print($0) }
    let report = try await session.rollback(
      entries, limit: hostLimit, confirmation: confirmation, journal: directory
    ) { event in
      switch event {
      case .started(let original, let run, let journal):
        show(RollbackReport.started(original: original, run: run, journal: journal))
      case .planned(let plan): show(RollbackReport.planned(plan))
      }
    }
    if json {
      print(RollbackJSONReport(report).json(), terminator: "")
    } else {
      print(RollbackReport.ending(report))
    }
    throw ExitCode(ExitStatus.of(report))
  }
}
