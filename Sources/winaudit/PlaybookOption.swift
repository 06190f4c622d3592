import ArgumentParser
import WinAudit

/// `--playbook FILE`, shared by the commands that need a playbook; the built-in RDP baseline when omitted.
struct PlaybookOption: ParsableArguments {
  @Option(
    name: .long, help: ArgumentHelp("Playbook YAML file (default: the built-in RDP baseline).", valueName: "file"))
  var playbook: String?

  /// The playbook; a `DiagnosticsError` with every diagnostic (exit 2) when it cannot be used.
  func load() throws(DiagnosticsError) -> Playbook {
    if let playbook { return try PlaybookLoader.load(path: playbook) }
    return try Playbook.builtIn
  }
}
