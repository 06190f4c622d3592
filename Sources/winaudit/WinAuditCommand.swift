import ArgumentParser
import Foundation
import WinAudit

/// `winaudit`: audits the Remote Desktop configuration of Windows hosts over SSH. A thin shell over the WinAudit
/// library; every subcommand's `run()` loads its inputs, calls the library and maps the result to an exit code.
@main
struct WinAuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "winaudit",
    abstract: "Audit the Remote Desktop configuration of Windows hosts over SSH.",
    discussion: """
      Exit codes: 0 every host compliant, 1 drift found, 2 invalid input or usage (no host contacted), \
      4 at least one host could not be audited.
      """,
    subcommands: [AuditCommand.self, ScriptCommand.self, PlaybookCommand.self, FixCommand.self, RollbackCommand.self]
  )

  /// Runs the command, mapping usage errors to exit code 2 (ArgumentParser's default is 64).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(CLIExit.usage)
      }
      exit(withError: error)
    }
  }
}

/// The exit codes of the README's table.
enum CLIExit {
  static let compliant: Int32 = 0
  static let drift: Int32 = 1
  static let usage: Int32 = 2
  static let unreachable: Int32 = 4

  /// Prints diagnostics or a usage error to stderr and exits 2: nothing has been contacted yet.
  static func refuse(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    Foundation.exit(usage)
  }
}
