import Foundation

/// What one remote command produced: both output streams in full and its exit status.
public struct CommandResult: Sendable, Equatable {
  public var stdout: Data
  public var stderr: Data
  /// The remote process's exit status; -1 when the server reported none (for example the process was killed).
  public var exitStatus: Int32

  public init(stdout: Data, stderr: Data, exitStatus: Int32) {
    self.stdout = stdout
    self.stderr = stderr
    self.exitStatus = exitStatus
  }
}

/// Something that runs a command on a host and returns its output: an `SSHConnection`, or a test double.
///
/// Code above the transport (RemotePowerShell, the audit) depends on this instead of on `SSHConnection`, so it can be
/// tested without a network.
public protocol SSHCommandRunning: Sendable {
  /// Runs `command`, feeding `stdin` (then EOF), and collects stdout, stderr and the exit status.
  func run(command: String, stdin: Data?, timeout: Duration) async throws -> CommandResult
}
