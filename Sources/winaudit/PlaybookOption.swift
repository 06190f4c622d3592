import ArgumentParser
import WinAudit

/// `--playbook FILE`, shared by the commands that need a playbook; the built-in RDP baseline when omitted.
struct PlaybookOption: ParsableArguments {
  @Option(
    name: .long, help: ArgumentHelp("Playbook YAML file (default: the built-in RDP baseline).", valueName: "file"))
  var playbook: String?

  /// The playbook, or exit 2 with every diagnostic.
  func load() -> Playbook {
    do {
      if let playbook { return try PlaybookLoader.load(path: playbook) }
      return try Playbook.builtIn
    } catch {
      CLIExit.refuse(error.description)
    }
  }
}
