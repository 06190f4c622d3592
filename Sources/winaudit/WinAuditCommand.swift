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
    version: WinAuditVersion.current,
    subcommands: [
      AuditCommand.self, ScriptCommand.self, PlaybookCommand.self, FixCommand.self, RollbackCommand.self,
      RunsCommand.self, CaptureCommand.self, ProbeCommand.self, ExplainCommand.self,
      HistoryCommand.self, DiffCommand.self, ReportCommand.self,
    ]
  )

  /// Runs the command, mapping the errors the commands throw to the README's exit codes: bad input and usage errors
  /// (ArgumentParser's validation, a `DiagnosticsError`, a `UsageError`) to 2, where ArgumentParser's default is 64,
  /// and a journal that cannot be written to 4.
  static func main() async {
    // Under a file-size limit (`ulimit -f`) a write past it must fail with EFBIG like one to a full disk (ENOSPC),
    // which the journal handles, rather than end the process with SIGXFSZ between a change and its journal line.
    signal(SIGXFSZ, SIG_IGN)
    let status: Int32
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      status = ExitStatus.compliant
    } catch {
      if let (message, code) = refusal(error) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        status = code
      } else if exitCode(for: error) == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        status = ExitStatus.usage
      } else {
        status = exitCode(for: error).rawValue
        let message = fullMessage(for: error)
        if !message.isEmpty {
          if status == 0 {
            print(message)
          } else {
            FileHandle.standardError.write(Data((message + "\n").utf8))
          }
        }
      }
    }
    leave(status)
  }

  /// Ends the process with `status` once everything printed is written. `_exit` rather than `exit`: the work is done
  /// (the journal is fsync'd line by line), and running the C library's exit handlers while concurrency threads are
  /// still finishing their last task bookkeeping can crash the process after its report was printed.
  static func leave(_ status: Int32) -> Never {
    fflush(nil)
    _exit(status)
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
