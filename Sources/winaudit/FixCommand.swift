import ArgumentParser
import Foundation
import WinAudit

/// `winaudit fix`: audit, plan the fixes for what drifts, and (with --apply, after asking) apply, journal and verify.
struct FixCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fix",
    abstract: "Plan (dry run) or apply the fixes for the controls that drift.",
    discussion: """
      Without --apply nothing on any host changes: each host's ordered changes are shown with before -> after. With \
      --apply each host is confirmed on the terminal ([y]es/[n]o/[a]ll/[q]uit) or by --yes; every change is \
      journaled first (undo with `winaudit rollback RUN-ID`) and each host is audited again afterwards. \
      --batch and --max-fail roll the changes out batch by batch (the questions still come first). The run ends with \
      a summary per host: converged, pending reboot, drift remaining (and why), failed, declined, not started. \
      Exit codes: 0 compliant (or converged after --apply; a pending reboot counts as converged), 1 drift remains \
      (including drift outside --only), 2 invalid input, 4 a host could not be audited or changed.
      """)

  @Option(name: .long, help: ArgumentHelp("Inventory: YAML, or one [user@]host[:port] a line.", valueName: "file"))
  var inventory: String

  @OptionGroup var playbook: PlaybookOption

  @Option(
    name: .long,
    help: ArgumentHelp("Remediation playbook (repeatable; default: the built-in ones).", valueName: "file"))
  var remediation: [String] = []

  @Option(name: .long, help: ArgumentHelp("Only hosts whose name, tag or group matches.", valueName: "pattern"))
  var limit: String?

  @Option(
    name: .long, parsing: .upToNextOption, help: ArgumentHelp("Only these controls (or fixes).", valueName: "control"))
  var only: [String] = []

  @Option(
    name: .long, parsing: .upToNextOption,
    help: ArgumentHelp("Also plan these opt-in fixes, e.g. machinekeys-folder-rename.", valueName: "fix"))
  var include: [String] = []

  @Flag(name: .long, help: "Apply the changes (default: dry run).")
  var apply = false

  @Flag(name: .long, help: "Answer yes for every host (for automation).")
  var yes = false

  @Flag(name: .long, help: "Also apply fixes that drop RDP sessions, restart services or need a reboot.")
  var allowDisruptive = false

  @Flag(name: .long, help: "Print the exact PowerShell each host would run.")
  var showScript = false

  /// The way before one powershell.exe per host: for the benchmark that measures the difference, not for users.
  @Flag(name: .long, help: .hidden)
  var oneProcessPerScript = false

  @OptionGroup var concurrency: ConcurrencyOption

  @OptionGroup var rollout: RolloutOption

  @Option(name: .long, help: "Output: text, or json (the same content; the plans and questions go to stderr).")
  var format: FixOutputFormat = .text

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Journal folder (default $XDG_STATE_HOME/winaudit or ~/.local/state/winaudit).", valueName: "dir"))
  var journal: String?

  @OptionGroup var connection: ConnectionOptions

  func run() async throws {
    // Refuse before anything is contacted: an unattended --apply without --yes must change nothing.
    let interruption = Interruption()
    let confirmation: Confirmation? =
      try apply ? Confirmation(assumeYes: yes, input: TerminalInput(interruption: interruption)) : nil
    let playbook = try playbook.load()
    let catalogue =
      try remediation.isEmpty
      ? RemediationCatalogue.builtIn(for: playbook) : RemediationLoader.load(paths: remediation, playbook: playbook)
    let controls = Set(playbook.controls.map(\.id))
    let known = controls.union(catalogue.fixes.map(\.id))
    if let unknown = only.first(where: { !known.contains($0) }) {
      throw UsageError("--only \(unknown): no control or fix has that id")
    }
    if let unknown = include.first(where: { catalogue.fix($0) == nil }) {
      let optIn = catalogue.fixes.filter(\.optIn).map(\.id).joined(separator: ", ")
      throw UsageError("--include \(unknown): no fix has that id (opt-in fixes: \(optIn))")
    }
    let hosts = try connection.hosts(inventory: inventory, limit: limit)
    let directory = journal.map { JournalDirectory(path: ConnectionOptions.absolute($0)) } ?? .default()
    if apply {
      // A journal that cannot be written is bad input found before any host is contacted (and locked).
      do { try directory.prepare() } catch { throw UsageError("--journal: \(error.message)") }
    }
    let planner = Planner(
      catalogue: catalogue,
      options: .init(only: Set(only), include: Set(include), allowDisruptive: allowDisruptive))
    let runner = FixRunner(
      connector: connection.connector(), playbook: playbook, planner: planner,
      oneProcessPerScript: oneProcessPerScript)
    let session = FixSession(
      runner: runner, concurrency: try concurrency.value(default: DefaultConcurrency.fix()), interruption: interruption,
      rollout: try rollout.rollout())
    let json = format == .json
    guard let confirmation else {
      let report = await session.dryRun(hosts: hosts, showScript: showScript)
      print(json ? FixJSONReport(report).json() : FixReport.run(report), terminator: json ? "" : "\n")
      throw ExitCode(ExitStatus.of(report))
    }
    let trap = SignalTrap(interruption)
    defer { trap.cancel() }
    // The run line comes before any host is changed, and each host's plan before the question about it; with JSON on
    // stdout they go to stderr, where the questions are.
    let show: (String) -> Void = json ? { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } : { print($0) }
    let report = try await session.apply(hosts: hosts, confirmation: confirmation, journal: directory) { event in
      switch event {
      case .started(let run, let journal): show(FixReport.started(run: run, journal: journal))
      case .nothingToChange:
        show(FixReport.header(FixRunReport(run: nil, journal: nil, hosts: [], nothingToChange: true)))
      case .planned(let host): show(FixReport.planned(host))
      }
    }
    if json {
      print(FixJSONReport(report).json(), terminator: "")
    } else if let ending = FixReport.ending(report) {
      print(ending)
    }
    throw ExitCode(ExitStatus.of(report))
  }
}
