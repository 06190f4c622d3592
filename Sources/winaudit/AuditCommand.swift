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

  @Option(name: .long, help: "Report format: text, json or junit.")
  var format: ReportFormat = .text

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
      "A report to write, repeatable: FORMAT (stdout) or FORMAT:FILE, FORMAT one of text, json, junit. Every file is "
        + "checked before any host is contacted.", valueName: "format[:file]"))
  var report: [String] = []

  @Option(
    name: .long,
    help: "Colour the text report on stdout: auto (a terminal, unless NO_COLOR or TERM=dumb), always or never.")
  var color: ColorChoice = .auto

  @OptionGroup var concurrency: ConcurrencyOption

  @OptionGroup var connection: ConnectionOptions

  @OptionGroup var probe: ProbeOption

  func run() async throws {
    let playbook = try playbook.load()
    let hosts = try connection.hosts(inventory: inventory, limit: limit)
    // Every report and its path are checked before any host is contacted: a result asked for is never lost to a
    // path that turns out unwritable after the audit.
    let outputs = try reportOutputs()
    let progress: ProgressLine? = Terminal.canRedraw(FileHandle.standardError) ? ProgressLine() : nil
    var onProgress: (@Sendable (AuditProgress) -> Void)?
    if let progress { onProgress = { progress.show($0) } }
    let auditor = Auditor(
      connector: connection.connector(), playbook: playbook, concurrency: concurrency.value(default: 32),
      prober: probe.prober(), progress: onProgress)
    let report = await auditor.audit(hosts: hosts)
    progress?.finish()

    var writeFailed = false
    for output in outputs {
      let color =
        output.file == nil
        && Terminal.colors(self.color, FileHandle.standardOutput, environment: ProcessInfo.processInfo.environment)
      let text = output.format.render(report, color: color, showAll: show == .all)
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
