import Crypto
import Foundation

/// The exact command line and stdin that run one script in one powershell.exe on a Windows host.
///
/// The script never appears on the command line: a fixed one-line bootstrap reads base64 UTF-8 script text from stdin
/// and runs it as one script block. That keeps the command far below cmd.exe's 8191-character limit whatever the
/// script's size, and avoids `-Command -`, which runs stdin line by line and can swallow errors.
public struct RemotePowerShellCommand: Sendable, Equatable {
  /// The bootstrap: silences progress, undoes what a profile may have set (`shell: powershell` hosts load profiles),
  /// refuses PowerShell 7, makes stdout UTF-8 where it can, reads `LENGTH:SHA256:BASE64` from stdin, refuses a payload
  /// that arrived truncated or altered (old Win32-OpenSSH builds truncated stdin) with exit code 3, and runs the script
  /// as one script block. Single quotes only: sshd passes it to `powershell -c "..."` on PowerShell hosts.
  public static let bootstrap =
    "$ProgressPreference='SilentlyContinue';Set-StrictMode -Off;$PSDefaultParameterValues=@{};"
    + "if($PSVersionTable.PSEdition -eq 'Core'){[Console]::Error.WriteLine('winaudit: this is PowerShell '"
    + "+$PSVersionTable.PSVersion+', winaudit needs Windows PowerShell 5.1: make powershell.exe or cmd.exe the "
    + "OpenSSH DefaultShell');exit 3};"
    + "try{[Console]::OutputEncoding=[Text.Encoding]::UTF8}catch{};"
    + "$i=[Console]::In.ReadToEnd().Trim().Split(':');$d=[byte[]]@();"
    + "try{$d=[Convert]::FromBase64String($i[2])}catch{};"
    + "$h=[BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash($d)).Replace('-','');"
    + "if([string]$d.Length -ne $i[0] -or $h -ne $i[1]){[Console]::Error.WriteLine('"
    + Self.truncatedMarker + " ('+$d.Length+' of '+$i[0]+' bytes arrived intact): update the host''s OpenSSH "
    + "server');exit 3};"
    + "& ([scriptblock]::Create([Text.Encoding]::UTF8.GetString($d)))"

  /// The start of the bootstrap's message when the script did not arrive whole, which the client recognizes.
  public static let truncatedMarker = "winaudit: the script arrived truncated or altered"

  /// The powershell.exe invocation used when the host's default shell is cmd.exe (without the encoded command).
  public static let powershellArguments =
    "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -OutputFormat Text -EncodedCommand"

  /// The exec request when the default shell is cmd.exe: the same for every script, so encoded once.
  static let cmdCommandLine = powershellArguments + " " + encodedCommand(bootstrap)

  /// What to send as the SSH exec request.
  public let commandLine: String
  /// What to write to the channel's stdin before EOF: `LENGTH:SHA256:BASE64` of the UTF-8 script, then a newline.
  public let stdin: Data

  public init(script: String, shell: HostShell) {
    switch shell {
    case .cmd: commandLine = Self.cmdCommandLine
    case .powershell: commandLine = Self.bootstrap
    }
    stdin = Self.stdin(for: script)
  }

  /// The stdin for `script`, computed once for the script an audit sends to every host: its digest and base64 were,
  /// after the key exchange, the largest client cost per host (callgrind, 300 hosts: 1.4 M instructions of 34 M).
  /// One entry is enough: a run sends one collector; the comparison is O(1) when the caller passes the same string.
  static func stdin(for script: String) -> Data {
    lastStdin.lock.lock()
    defer { lastStdin.lock.unlock() }
    if let last = lastStdin.entry, last.script == script { return last.stdin }
    let stdin = Data((payload(Data(script.utf8)) + "\n").utf8)
    lastStdin.entry = (script, stdin)
    return stdin
  }

  /// The last script's stdin, shared by every host's task (`lock` guards `entry`).
  private final class LastStdin: @unchecked Sendable {
    let lock = NSLock()
    var entry: (script: String, stdin: Data)?
  }
  private static let lastStdin = LastStdin()

  /// `LENGTH:SHA256:BASE64` of the script's bytes: the bootstrap recomputes length and digest before running it.
  public static func payload(_ bytes: Data) -> String {
    let digest = SHA256.hash(data: bytes).map { String(format: "%02X", $0) }.joined()
    return "\(bytes.count):\(digest):\(bytes.base64EncodedString())"
  }

  /// The `-EncodedCommand` form of `text`: base64 of its UTF-16LE bytes.
  public static func encodedCommand(_ text: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf16.count * 2)
    for unit in text.utf16 {
      bytes.append(UInt8(unit & 0xFF))
      bytes.append(UInt8(unit >> 8))
    }
    return Data(bytes).base64EncodedString()
  }
}
