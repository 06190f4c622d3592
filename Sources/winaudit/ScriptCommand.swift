import ArgumentParser
import WinAudit

/// `winaudit script`: prints the exact PowerShell script a host would receive, so it can be reviewed or run by hand.
struct ScriptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "script", abstract: "Print the exact collector script a host receives.")

  @OptionGroup var playbook: PlaybookOption

  func run() throws {
    print(try playbook.load().collectorScript.text, terminator: "")
  }
}
