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

  @Option(name: .long, help: "Hosts audited at the same time.")
  var concurrency: Int = 32

  @Option(name: .long, help: "Unknown host keys: strict (refuse) or accept-new (record them).")
  var hostKeyPolicy: HostKeyPolicy = .strict

  @Option(name: .long, help: ArgumentHelp("Private key for hosts whose inventory entry names none.", valueName: "file"))
  var identity: String?

  @Option(name: .long, help: ArgumentHelp("Environment variable holding the key's passphrase.", valueName: "name"))
  var identityPassphraseEnv: String?

  @Flag(name: .long, help: "Do not use ssh-agent.")
  var noAgent = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "known_hosts for hosts whose inventory entry names none (default ~/.ssh/known_hosts).", valueName: "file"))
  var knownHosts: String?

  @Option(name: .long, help: ArgumentHelp("SSH user for hosts the inventory gives none.", valueName: "name"))
  var user: String?

  @Option(name: .long, help: ArgumentHelp("Seconds allowed to connect and authenticate.", valueName: "seconds"))
  var connectTimeout: Double = 10

  @Option(
    name: .long, help: ArgumentHelp("Seconds allowed for the collector script on one host.", valueName: "seconds"))
  var commandTimeout: Double = 300

  func validate() throws {
    guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1, got \(concurrency)") }
    guard connectTimeout > 0 else { throw ValidationError("--connect-timeout must be more than 0 seconds") }
    guard commandTimeout > 0 else { throw ValidationError("--command-timeout must be more than 0 seconds") }
    if let identityPassphraseEnv, identityPassphraseEnv.isEmpty {
      throw ValidationError("--identity-passphrase-env needs the NAME of an environment variable, not a passphrase")
    }
  }

  func run() async throws {
    let playbook = playbook.load()
    var fallback = InventoryLoader.Fallback()
    if let user { fallback.user = user }
    let hosts: [WinAudit.Host]
    do {
      hosts = try InventoryLoader.load(path: inventory, fallback: fallback).select(
        limit: limit.map { try HostLimit($0) })
    } catch let error as DiagnosticsError {
      CLIExit.refuse(error.description)
    } catch {
      CLIExit.refuse("winaudit: \(error)")
    }
    if let identity, !FileManager.default.fileExists(atPath: identity) {
      CLIExit.refuse("winaudit: --identity \(identity) does not exist")
    }

    let settings = ConnectionSettings(
      identity: identity.map(absolute), passphraseEnvironment: identityPassphraseEnv, useAgent: !noAgent,
      prompt: Terminal.isInteractive ? SecretPrompt.shared.ask : nil,
      knownHosts: knownHosts.map(absolute) ?? (NSHomeDirectory() + "/.ssh/known_hosts"), hostKeyPolicy: hostKeyPolicy,
      connectTimeout: .milliseconds(Int(connectTimeout * 1000)),
      commandTimeout: .milliseconds(Int(commandTimeout * 1000)))
    let progress: ProgressLine? = Terminal.isTerminal(FileHandle.standardError) ? ProgressLine() : nil
    var onProgress: (@Sendable (AuditProgress) -> Void)?
    if let progress { onProgress = { progress.show($0) } }
    let auditor = Auditor(
      connector: SSHHostConnector(settings: settings), playbook: playbook, concurrency: concurrency,
      progress: onProgress)
    let report = await auditor.audit(hosts: hosts)
    progress?.finish()

    let toTerminal = output == nil && Terminal.isTerminal(FileHandle.standardOutput)
    let color = toTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let text = format.render(report, color: color)
    if let output {
      do {
        try text.write(toFile: output, atomically: true, encoding: .utf8)
      } catch {
        let message = "winaudit: cannot write \(output): \(error.localizedDescription)\n"
        FileHandle.standardError.write(Data(message.utf8))
        throw ExitCode(CLIExit.unreachable)
      }
    } else {
      print(text, terminator: "")
    }
    throw ExitCode(report.exitCode)
  }

  private func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    if path.hasPrefix("~/") { return NSHomeDirectory() + String(path.dropFirst(1)) }
    return FileManager.default.currentDirectoryPath + "/" + path
  }
}

extension ReportFormat: ExpressibleByArgument {}
extension HostKeyPolicy: ExpressibleByArgument {}
