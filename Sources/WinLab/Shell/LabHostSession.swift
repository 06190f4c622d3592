import Foundation

/// The modelled Windows host behind one SSH session, as the login shell needs it: the settings that decide how a
/// command is started, and a way to run one powershell.exe's script against the host state.
///
/// The shell owns process starts, command lines, encodings, locking and saving; the host model and the interpreter
/// behind this protocol own what a script does.
public protocol LabHostSession: AnyObject {
  /// `HKLM:\SOFTWARE\OpenSSH` DefaultShell (a full path), nil when absent: OpenSSH then uses cmd.exe.
  var defaultShell: String? { get }
  /// The console's OEM code page (437 or 850).
  var oemCodePage: Int { get }
  /// Runs the script of one powershell.exe against the host, writing to `console`; returns powershell.exe's exit code
  /// (0 or 1 from `$?`, N from `exit N`, 1 after a terminating error).
  /// `loadProfiles`: powershell.exe was started without -NoProfile, so the host's profile scripts run first.
  func runPowerShell(_ source: PowerShellExe.Source, console: LabConsole, loadProfiles: Bool) -> Int32
  /// The host state to save after the session, or nil when the session changed nothing.
  func changedState() throws -> Data?
  /// Hands the session the host's state lock, which the shell holds: a session whose process waits on stdin between
  /// scripts (a fix's one powershell.exe) saves its changes and lets other sessions in while it waits, as Windows
  /// does not stop other processes while one waits for input.
  func attach(stateLock: FileLock)
}

extension LabHostSession {
  public func attach(stateLock: FileLock) {}
}

/// Opens the host session of a host folder (loads its state and settings). Called with the state lock held.
public typealias LabHostSessionFactory = (HostDirectory, HostSettings) throws -> LabHostSession

/// OpenSSH's DefaultShell values the lab distinguishes.
public enum DefaultShellKind: Equatable, Sendable {
  case cmd
  case powershell
  /// Any other program (bash.exe, pwsh.exe, ...): the lab does not model it.
  case other(String)

  /// The kind of a DefaultShell registry value (nil or empty = cmd.exe).
  public init(registryValue: String?) {
    guard let value = registryValue?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
      self = .cmd
      return
    }
    if PowerShellExe.isPowerShellProgram(value) {
      self = .powershell
    } else if ["cmd", "cmd.exe"].contains(PowerShellExe.programName(value).lowercased()) {
      self = .cmd
    } else {
      self = .other(value)
    }
  }
}
