import ArgumentParser
import WinAudit

/// `winaudit playbook check FILE`, `winaudit playbook show` and `winaudit playbook controls`: validate a playbook, print
/// the built-in one, or list a playbook's control ids (for scripts, such as the benchmark's one-command-per-check row).
struct PlaybookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "playbook", abstract: "Validate or show playbooks.",
    subcommands: [Check.self, Show.self, Controls.self])

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Validate a playbook: exit 0 if it is usable, 2 with file:line:column diagnostics if not.")

    @Argument(help: ArgumentHelp("The playbook YAML file.", valueName: "file"))
    var file: String

    func run() throws {
      let playbook = try PlaybookLoader.load(path: file)
      print(
        "\(file): playbook \(playbook.name) is valid: \(playbook.controls.count) controls, "
          + "\(playbook.requiredFacts.count) facts collected")
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the built-in RDP baseline playbook.")

    func run() throws {
      print(Playbook.builtInText, terminator: "")
    }
  }

  struct Controls: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List a playbook's control ids, one per line, in playbook order.")

    @OptionGroup var playbook: PlaybookOption

    func run() throws {
      for control in try playbook.load().controls { print(control.id) }
    }
  }
}
