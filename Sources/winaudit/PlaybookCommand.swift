import ArgumentParser
import WinAudit

/// `winaudit playbook check FILE` and `winaudit playbook show`: validate a playbook or print the built-in one.
struct PlaybookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "playbook", abstract: "Validate or show playbooks.", subcommands: [Check.self, Show.self])

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
}
