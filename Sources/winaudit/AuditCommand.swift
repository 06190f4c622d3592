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

  @Option(name: .long, help: ArgumentHelp("Inventory: YAML, or one [user@]host[:port] a line.", valueName: "file"))
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

  @OptionGroup var concurrency: ConcurrencyOption

  @OptionGroup var connection: ConnectionOptions

  func run() async throws {
    let playbook = try playbook.load()
    let hosts = try connection.hosts(inventory: inventory, limit: limit)
    // A report path that cannot be written is bad input: say so before any host is contacted, not after the audit.
    var reportFile: ReportFile?
    if let output {
      do {
        reportFile = try ReportFile(checking: output)
      } catch {
        FileHandle.standardError.write(Data("winaudit: --output: \(error)\n".utf8))
        throw ExitCode(ExitStatus.usage)
      }
    }
    let progress: ProgressLine? = Terminal.isTerminal(FileHandle.standardError) ? ProgressLine() : nil
    var onProgress: (@Sendable (AuditProgress) -> Void)?
    if let progress { onProgress = { progress.show($0) } }
    let auditor = Auditor(
      connector: connection.connector(), playbook: playbook, concurrency: concurrency.value(default: 32),
      progress: onProgress)
    let report = await auditor.audit(hosts: hosts)
    progress?.finish()

    let toTerminal = output == nil && Terminal.isTerminal(FileHandle.standardOutput)
    let color = toTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let text = format.render(report, color: color, showAll: show == .all)
    if let reportFile {
      do {
        try reportFile.write(text)
      } catch {
        FileHandle.standardError.write(Data("winaudit: \(error)\n".utf8))
        throw ExitCode(ExitStatus.failed)
      }
    } else {
      print(text, terminator: "")
    }
    throw ExitCode(ExitStatus.of(report))
  }
}

extension ReportFormat: ExpressibleByArgument {}

/// Which hosts the text report's host table lists.
enum HostListing: String, ExpressibleByArgument {
  case problems
  case all
}
extension HostKeyPolicy: ExpressibleByArgument {}
