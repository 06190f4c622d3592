/// A lab fault in what a powershell.exe prints: the output a client must survive from a broken or hostile host.
public enum OutputFault: String, Codable, Sendable, CaseIterable {
  /// The script runs, but its stdout is replaced by text that is not JSON (as a profile or a wrapper might print).
  case garbage
  /// The script runs, but only the first half of its stdout is sent, and powershell.exe exits 0.
  case truncate
  /// The script's stdout is followed by filler lines without end (at most `hugeLimit` bytes) until the client stops
  /// reading: a host that never stops talking.
  case huge
  /// The script stops at once with a terminating error (on stderr, CLIXML when the command was encoded) and exit code
  /// 1; nothing reaches stdout.
  case terminatingError

  /// The most filler `huge` writes (1 GiB), so a client that never stops reading still ends.
  public static let hugeLimit = 1 << 30

  /// The text `garbage` prints instead of the script's output.
  static let garbageText = "Windows PowerShell transcript start\r\nUsername: CONTOSO\\svc\r\n<<< not the output >>>\r\n"

  /// The error `terminatingError` writes, in 5.1's format.
  static let terminatingErrorText =
    "Get-CimInstance : Access denied \r\nAt line:1 char:1\r\n+ Get-CimInstance -ClassName Win32_TerminalServiceSetting\r\n"
    + "    + CategoryInfo          : PermissionDenied: (root\\cimv2:Win32_TerminalServiceSetting) [Get-CimInstance], "
    + "CimException\r\n    + FullyQualifiedErrorId : HRESULT 0x80041003\r\n"
}

/// The stdout of one powershell.exe under an `OutputFault`: held back (garbage, truncate) or passed through (huge)
/// while the script runs; `finish` writes what the fault makes of it.
final class OutputFaultIO: ShellIO {
  private let io: ShellIO
  private let fault: OutputFault
  private var held: [UInt8] = []

  init(_ io: ShellIO, fault: OutputFault) {
    self.io = io
    self.fault = fault
  }

  func writeOutput(_ bytes: [UInt8]) {
    switch fault {
    case .garbage, .truncate: held += bytes
    case .huge, .terminatingError: io.writeOutput(bytes)
    }
  }

  func writeError(_ bytes: [UInt8]) { io.writeError(bytes) }
  func readInput() -> [UInt8] { io.readInput() }
  func readInputChunk() -> [UInt8] { io.readInputChunk() }

  /// Writes the faulty stdout once the script is done.
  func finish() {
    switch fault {
    case .garbage:
      io.writeOutput(Array(OutputFault.garbageText.utf8))
    case .truncate:
      io.writeOutput(Array(held.prefix(held.count / 2)))
    case .huge:
      // The write fails (EPIPE, which ends the process) once the client closes the channel.
      let line = Array(String(repeating: "0123456789abcdef", count: 8).utf8) + [13, 10]
      let chunk = Array([[UInt8]](repeating: line, count: 8192).joined())
      var written = 0
      while written < OutputFault.hugeLimit {
        io.writeOutput(chunk)
        written += chunk.count
      }
    case .terminatingError:
      break
    }
  }
}
