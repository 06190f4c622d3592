/// Which program a Windows host's OpenSSH server runs commands with (its `DefaultShell`).
///
/// It decides the command line: cmd.exe needs an `-EncodedCommand` so quoting cannot break, while with PowerShell as
/// the default shell the bootstrap text itself is the command (sshd runs `powershell -c "<command>"`).
public enum HostShell: String, Sendable, Codable, CaseIterable {
  /// cmd.exe, the Windows OpenSSH default.
  case cmd
  /// Windows PowerShell set as `HKLM:\SOFTWARE\OpenSSH` DefaultShell.
  case powershell
}
