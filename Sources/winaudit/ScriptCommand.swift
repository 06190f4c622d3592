import ArgumentParser
import Foundation
import RemotePowerShell
import WinAudit

/// `winaudit script`: prints the exact PowerShell script a host would receive, so it can be reviewed or run by hand;
/// with `--command-line` or `--stdin`, what the SSH exec request and its stdin carry (the benchmark's floor sends
/// exactly those with plain `ssh`).
struct ScriptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "script", abstract: "Print the exact collector script a host receives.")

  @OptionGroup var playbook: PlaybookOption

  @Flag(help: "Print the command line sent as the SSH exec request instead.")
  var commandLine = false

  @Flag(help: "Print the stdin sent with it (LENGTH:SHA256:BASE64 of the script) instead.")
  var stdin = false

  @Option(help: ArgumentHelp("The host's OpenSSH DefaultShell, for --command-line.", valueName: "cmd|powershell"))
  var shell: HostShell = .cmd

  @Option(
    name: .customLong("control"),
    help: ArgumentHelp(
      "Only the facts these controls (and the controls they require) read, like audit --only (repeatable).",
      valueName: "id"))
  var controls: [String] = []

  func validate() throws {
    if commandLine && stdin { throw ValidationError("give one of --command-line and --stdin") }
  }

  func run() throws {
    var loaded = try playbook.load()
    if !controls.isEmpty {
      let known = Set(loaded.controls.map(\.id))
      if let unknown = controls.first(where: { !known.contains($0) }) {
        throw ValidationError(
          "--control \(unknown): no such control in \(loaded.name) (`winaudit playbook controls` lists them)")
      }
      loaded = loaded.keeping(controls: Set(controls))
    }
    let script = loaded.collectorScript.text
    let command = RemotePowerShellCommand(script: script, shell: shell)
    if commandLine {
      print(command.commandLine)
    } else if stdin {
      FileHandle.standardOutput.write(command.stdin)
    } else {
      print(script, terminator: "")
    }
  }
}

extension HostShell: ExpressibleByArgument {}
