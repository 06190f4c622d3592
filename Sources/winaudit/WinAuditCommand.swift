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

  /// Runs the command, mapping the errors the commands throw to the README's exit codes: bad input and usage errors
  /// (ArgumentParser's validation, a `DiagnosticsError`, a `UsageError`) to 2, where ArgumentParser's default is 64,
  /// and a journal that cannot be written to 4.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if let (message, status) = refusal(error) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(status)
      }
      if exitCode(for: error) == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(ExitStatus.usage)
      }
      exit(withError: error)
    }
  }

  /// The message and exit code of the errors winaudit's own commands throw; nil for ArgumentParser's.
  static func refusal(_ error: any Error) -> (message: String, status: Int32)? {
    switch error {
    case let error as DiagnosticsError: return (error.description, ExitStatus.usage)
    case let error as UsageError: return ("winaudit: \(error.message)", ExitStatus.usage)
    case let error as JournalError: return ("winaudit: \(error.message)", ExitStatus.failed)
    default: return nil
    }
  }
}
