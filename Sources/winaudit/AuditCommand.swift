import ArgumentParser
import Foundation
import WinAudit

/// `winaudit audit`: inventory -> one script per host -> findings -> report, with the exit code of the README.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit", abstract: "Audit hosts against a playbook (default: the built-in RDP baseline).",
    discussion: """
      Authentication: the inventory's or --identity key file (passphrase from the environment variable named by \
      --identity-passphrase-env, or a prompt), ssh-agent, then a password from WINAUDIT_PASSWORD or a prompt. \
      Secrets are never accepted as arguments.
      """)

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Inventory: winaudit YAML, Ansible INI or YAML, CSV, or one [user@]host[:port] a line; - reads stdin.",
      valueName: "file"))
  var inventory: String

  @OptionGroup var playbook: PlaybookOption

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Only hosts whose name, tag or group matches (globs, comma-separated, !x excludes).", valueName: "pattern"))
  var limit: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Audit only the K-th of N stable slices of the selected hosts (by a hash of the host name), for N machines "
        + "sharing a fleet; join their JSON reports with `winaudit report merge`.", valueName: "K/N"))
  var shard: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Accepted drift: YAML with control, hosts (globs), justification, approver, expires (YYYY-MM-DD).",
      valueName: "file"))
  var waivers: String?

  @OptionGroup var reports: ReportOptions

  @OptionGroup var concurrency: ConcurrencyOption

  @OptionGroup var connection: ConnectionOptions

  @OptionGroup var probe: ProbeOption

  @Flag(name: .long, help: "Do not record this audit in the history.")
  var noHistory = false

  @OptionGroup var history: HistoryOption

  func run() async throws {
    let playbook = try playbook.load()
    let shard = try shard.map { try Shard($0) }
    let waivers = try waivers.map { try WaiverLoader.load(path: $0, playbook: playbook) } ?? Waivers([])
    let selected = try connection.hosts(inventory: inventory, limit: limit)
    let hosts = shard.map { $0.select(selected) } ?? selected
    if let shard, hosts.isEmpty {
      FileHandle.standardError.write(
        Data("winaudit: shard \(shard) holds none of the \(selected.count) selected hosts; its report is empty\n".utf8))
    }
    // Every report and its path are checked before any host is contacted: a result asked for is never lost to a
    // path that turns out unwritable after the audit.
    let outputs = try reports.outputs()
    let progress: ProgressLine? = Terminal.canRedraw(FileHandle.standardError) ? ProgressLine() : nil
    var onProgress: (@Sendable (AuditProgress) -> Void)?
    if let progress { onProgress = { progress.show($0) } }
    let auditor = Auditor(
      connector: connection.connector(), playbook: playbook,
      concurrency: try concurrency.value(default: DefaultConcurrency.audit()),
      prober: probe.prober(), inventory: inventory, waivers: waivers, progress: onProgress)
    // The history is opened before any host is contacted: one that is not usable is reported (exit 2), untouched.
    let store = noHistory ? nil : try history.open()
    let started = Date()
    // Ctrl-C or SIGTERM: the hosts in flight are cut, the rest not started, and the reports of the hosts already
    // audited are still written (the others marked interrupted), with exit status 130.
    let task = Task { await auditor.audit(hosts: hosts) }
    let trap = SignalTrap(
      Interruption(), message: "the hosts audited so far are reported (interrupt again to exit at once)",
      onFirst: { task.cancel() }, atOnce: "No report was written.")
    var report = await task.value
    trap.cancel()
    progress?.finish()
    // Where each host stands in the selection, and which slice this is: `report merge` rebuilds the fleet's order.
    report.recordPositions(in: selected)
    report.run.shard = shard
    // The HTML drill-down says which drift `winaudit fix` can repair; a playbook without built-in fixes has none.
    if let catalogue = try? RemediationCatalogue.builtIn(for: playbook) {
      report.fixableControls = Set(catalogue.fixes.flatMap(\.repairs))
    }

    // A report file that cannot be written costs only that report: the others are still written.
    let written = reports.write(report, to: outputs)
    // Recorded after the reports are written: a history that fails never costs a report, only a warning.
    if let store {
      do {
        try store.record(report, inventory: ConnectionOptions.absolute(inventory), started: started)
      } catch {
        FileHandle.standardError.write(Data("winaudit: warning: \(error.message)\n".utf8))
      }
    }
    throw ExitCode(written ? ExitStatus.of(report) : ExitStatus.failed)
  }
}

extension HostKeyPolicy: ExpressibleByArgument {}
