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

  @Option(name: .long, help: "Report format: text, json, junit or html.")
  var format: ReportFormat = .text

  @Option(
    name: .long,
    help: ArgumentHelp(
      "JSON report schema: 2 (default) or 1, the old shape, for consumers still moving to 2.", valueName: "1|2"))
  var jsonSchema: Int = 2

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Accepted drift: YAML with control, hosts (globs), justification, approver, expires (YYYY-MM-DD).",
      valueName: "file"))
  var waivers: String?

  @Option(name: .long, help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "file"))
  var output: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Text report: list only the hosts that are not compliant (problems, the default) or every host (all).",
      valueName: "problems|all"))
  var show: HostListing = .problems

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A report to write, repeatable: FORMAT (stdout) or FORMAT:FILE, FORMAT one of text, json, junit, html. Every file is "
        + "checked before any host is contacted.", valueName: "format[:file]"))
  var report: [String] = []

  @Option(
    name: .long,
    help: "Colour the text report on stdout: auto (a terminal, unless NO_COLOR or TERM=dumb), always or never.")
  var color: ColorChoice = .auto

  @OptionGroup var concurrency: ConcurrencyOption

  @OptionGroup var connection: ConnectionOptions

  @OptionGroup var probe: ProbeOption

  @Flag(name: .long, help: "Do not record this audit in the history.")
  var noHistory = false

  @OptionGroup var history: HistoryOption

  func run() async throws {
    let playbook = try playbook.load()
    guard jsonSchema == 1 || jsonSchema == 2 else {
      FileHandle.standardError.write(Data("winaudit: --json-schema \(jsonSchema): use 2 (the default) or 1\n".utf8))
      throw ExitCode(ExitStatus.usage)
    }
    let waivers = try waivers.map { try WaiverLoader.load(path: $0, playbook: playbook) } ?? Waivers([])
    let hosts = try connection.hosts(inventory: inventory, limit: limit)
    // Every report and its path are checked before any host is contacted: a result asked for is never lost to a
    // path that turns out unwritable after the audit.
    let outputs = try reportOutputs()
    let progress: ProgressLine? = Terminal.canRedraw(FileHandle.standardError) ? ProgressLine() : nil
    var onProgress: (@Sendable (AuditProgress) -> Void)?
    if let progress { onProgress = { progress.show($0) } }
    let auditor = Auditor(
      connector: connection.connector(), playbook: playbook, concurrency: try concurrency.value(default: 32),
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
    // The HTML drill-down says which drift `winaudit fix` can repair; a playbook without built-in fixes has none.
    if let catalogue = try? RemediationCatalogue.builtIn(for: playbook) {
      report.fixableControls = Set(catalogue.fixes.flatMap(\.repairs))
    }

    var writeFailed = false
    for output in outputs {
      let color =
        output.file == nil
        && Terminal.colors(self.color, FileHandle.standardOutput, environment: ProcessInfo.processInfo.environment)
      let text = output.format.render(report, color: color, showAll: show == .all, jsonSchema: jsonSchema)
      guard let file = output.file else {
        print(text, terminator: "")
        continue
      }
      do {
        try file.write(text)
      } catch {
        // The other reports are still written.
        FileHandle.standardError.write(Data("winaudit: \(error)\n".utf8))
        writeFailed = true
      }
    }
    // Recorded after the reports are written: a history that fails never costs a report, only a warning.
    if let store {
      do {
        try store.record(report, inventory: ConnectionOptions.absolute(inventory), started: started)
      } catch {
        FileHandle.standardError.write(Data("winaudit: warning: \(error.message)\n".utf8))
      }
    }
    throw ExitCode(writeFailed ? ExitStatus.failed : ExitStatus.of(report))
  }

  /// The reports to write: `--report` entries, else `--format` / `--output`; each file checked now (exit 2).
  private func reportOutputs() throws -> [(format: ReportFormat, file: ReportFile?)] {
    func fail(_ message: String) -> ExitCode {
      FileHandle.standardError.write(Data("winaudit: \(message)\n".utf8))
      return ExitCode(ExitStatus.usage)
    }
    func checked(_ path: String, _ option: String) throws -> ReportFile {
      do {
        return try ReportFile(checking: path)
      } catch {
        throw fail("\(option): \(error)")
      }
    }
    guard !report.isEmpty else { return [(format, try output.map { try checked($0, "--output") })] }
    if output != nil { throw fail("--report and --output do not go together: write --report FORMAT:FILE") }
    var outputs: [(format: ReportFormat, file: ReportFile?)] = []
    var paths: Set<String> = []
    for entry in report {
      let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
      guard let name = parts.first, let format = ReportFormat(rawValue: name) else {
        throw fail(
          "--report \(entry): unknown format '\(parts.first ?? "")'; use "
            + ReportFormat.allCases.map(\.rawValue).joined(separator: ", ") + ", optionally with :FILE")
      }
      guard parts.count == 2 else {
        outputs.append((format, nil))
        continue
      }
      guard !parts[1].isEmpty, paths.insert(parts[1]).inserted else {
        throw fail("--report \(entry): give each report its own file")
      }
      outputs.append((format, try checked(parts[1], "--report \(entry)")))
    }
    if outputs.filter({ $0.file == nil }).count > 1 {
      throw fail("only one --report can go to stdout; give the others a file (FORMAT:FILE)")
    }
    return outputs
  }
}

extension ReportFormat: ExpressibleByArgument {}

/// Which hosts the text report's host table lists.
enum HostListing: String, ExpressibleByArgument {
  case problems
  case all
}
extension HostKeyPolicy: ExpressibleByArgument {}
