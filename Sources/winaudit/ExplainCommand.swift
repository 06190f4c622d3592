import ArgumentParser
import Foundation
import WinAudit

/// `winaudit explain`: what a Remote Desktop client error code means and which baseline controls can cause it, ranked;
/// with --inventory, which of those causes each host actually has.
struct ExplainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain a Remote Desktop client error code and rank the controls whose drift can cause it.",
    discussion: """
      CODE is the "Error code" the client shows: hex with 0x or a trailing h (0x904, 904h), or decimal as some \
      clients print it (2308). A number without 0x or h is decimal: 904 is 0x388. --extended takes the "Extended \
      error code" the same way. A named error has no number: credssp (the CredSSP encryption oracle message). \
      Candidates are ranked: the more specific match first (code and extended code, then extended code, then error \
      code), then severity, then playbook order; each control lists what it explains under explains: in the playbook. \
      With --inventory only the candidate controls (and the controls they require) are audited on the selected hosts, \
      and each cause is confirmed (drift), ruled out (passes) or unknown (error, not applicable, host unreachable). \
      Exit codes: 0 no cause confirmed (or no host checked), 1 a cause confirmed on some host, 2 invalid input (no \
      host contacted), 4 a host could not be fully audited (wins over 1).
      """)

  @Argument(help: ArgumentHelp("The client's error code: 0x904, 904h, 2308 (decimal), or credssp.", valueName: "code"))
  var code: String?

  @Option(
    name: .long, help: ArgumentHelp("The client's extended error code: 0x7, 7h or 7 (decimal).", valueName: "code"))
  var extended: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Check the candidate causes on these hosts: YAML, or one [user@]host[:port] a line.", valueName: "file"))
  var inventory: String?

  @OptionGroup var playbook: PlaybookOption

  @Option(
    name: .long,
    help: ArgumentHelp("Remediation playbook (repeatable; default: the built-in ones).", valueName: "file"))
  var remediation: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp("With --inventory: only hosts whose name, tag or group matches.", valueName: "pattern"))
  var limit: String?

  @Option(name: .long, help: "Output format: text or json.")
  var format: ExplainFormat = .text

  @OptionGroup var concurrency: ConcurrencyOption

  @OptionGroup var connection: ConnectionOptions

  @OptionGroup var probe: ProbeOption

  func run() async throws {
    // Everything the user typed is checked before any host is contacted.
    let query: ExplainQuery
    do {
      query = try ExplainQuery(code: code, extended: extended)
    } catch {
      throw UsageError(error.message)
    }
    if limit != nil && inventory == nil { throw UsageError("--limit selects hosts of --inventory: give --inventory") }
    let playbook = try playbook.load()
    let catalogue =
      try remediation.isEmpty
      ? RemediationCatalogue.builtIn(for: playbook) : RemediationLoader.load(paths: remediation, playbook: playbook)
    let explainer = Explainer(playbook: playbook, catalogue: catalogue)
    var explanation = explainer.explain(
      query, notes: ExplainQuery.readingNotes(code: code, extended: extended))
    if let inventory {
      let hosts = try connection.hosts(inventory: inventory, limit: limit)
      if explanation.candidates.isEmpty {
        explanation.hosts = []  // nothing to check: no host is contacted
      } else {
        explanation = await explainer.check(
          explanation, hosts: hosts, connector: connection.connector(),
          concurrency: try concurrency.value(default: DefaultConcurrency.audit()),
          fixCommand: FixCommandLine(
            inventory: inventory, playbook: self.playbook.playbook, remediation: remediation),
          prober: probe.prober())
      }
    }
    print(format.render(explanation), terminator: "")
    throw ExitCode(ExitStatus.of(explanation))
  }
}

extension ExplainFormat: ExpressibleByArgument {}
