import Foundation

/// The exact command line and stdin that run one script in one powershell.exe on a Windows host.
///
/// The script never appears on the command line: a fixed one-line bootstrap reads base64 UTF-8 script text from stdin
/// and runs it as one script block. That keeps the command far below cmd.exe's 8191-character limit whatever the
/// script's size, and avoids `-Command -`, which runs stdin line by line and can swallow errors.
public struct RemotePowerShellCommand: Sendable, Equatable {
  /// The bootstrap: silences progress, makes stdout UTF-8, decodes the script from stdin and runs it.
  public static let bootstrap =
    "$ProgressPreference='SilentlyContinue';[Console]::OutputEncoding=[Text.Encoding]::UTF8;"
    + "$s=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String([Console]::In.ReadToEnd()));"
    + "& ([scriptblock]::Create($s))"

  /// The powershell.exe invocation used when the host's default shell is cmd.exe (without the encoded command).
  public static let powershellArguments =
    "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -OutputFormat Text -EncodedCommand"

  /// What to send as the SSH exec request.
  public let commandLine: String
  /// What to write to the channel's stdin before EOF: base64 of the UTF-8 script, then a newline.
  public let stdin: Data

  public init(script: String, shell: HostShell) {
    switch shell {
    case .cmd:
      commandLine = Self.powershellArguments + " " + Self.encodedCommand(Self.bootstrap)
    case .powershell:
      commandLine = Self.bootstrap
    }
    stdin = Data((Data(script.utf8).base64EncodedString() + "\n").utf8)
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
