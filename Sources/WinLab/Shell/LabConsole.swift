/// The console streams of one lab powershell.exe: what the interpreter writes (output, errors, progress) becomes the
/// bytes a real Windows PowerShell 5.1 would put on its redirected stdout and stderr.
///
/// Output is encoded in the host's OEM code page until the script sets `[Console]::OutputEncoding`; the error stream is
/// CLIXML when the command was encoded (5.1's behaviour), 5.1-formatted plain text otherwise. Standard input is read
/// only when the script asks for it, so a session whose client never sends EOF is not blocked.
public final class LabConsole {
  /// How the error, warning and progress streams reach stderr.
  public enum ErrorFormat: Sendable {
    case text
    case clixml
  }

  /// The encoding of stdout now (`[Console]::OutputEncoding`).
  public private(set) var outputEncoding: ConsoleEncoding
  /// The encoding powershell.exe reads stdin with (`[Console]::InputEncoding`).
  public let inputEncoding: ConsoleEncoding
  /// The host's OEM code page, the encoding every new console starts with.
  public let oemEncoding: ConsoleEncoding
  public let errorFormat: ErrorFormat

  private let io: ShellIO
  private var clixml = CLIXMLErrorStream()
  private var standardInput: String?
  /// The `truncateStdinAfter` fault: only this many bytes of stdin reach the script, as with the stdin truncation of
  /// old Win32-OpenSSH builds (PowerShell/Win32-OpenSSH issue 908).
  private let standardInputLimit: Int?

  /// A console writing to `io`, starting in the host's OEM code page.
  public init(io: ShellIO, oemEncoding: ConsoleEncoding, standardInputLimit: Int? = nil, errorFormat: ErrorFormat) {
    self.io = io
    self.standardInputLimit = standardInputLimit
    self.oemEncoding = oemEncoding
    self.outputEncoding = oemEncoding
    self.inputEncoding = oemEncoding
    self.errorFormat = errorFormat
  }

  /// `[Console]::OutputEncoding = ...`: later output uses this code page. Returns false for a code page the lab does not
  /// model (the caller reports the .NET error).
  @discardableResult
  public func setOutputEncoding(codePage: Int) -> Bool {
    guard let encoding = ConsoleEncoding(codePage: codePage) else { return false }
    outputEncoding = encoding
    return true
  }

  /// Text for stdout exactly as given (the caller adds "\r\n" line ends as 5.1's host does).
  public func write(_ text: String) {
    io.writeOutput(outputEncoding.encode(text))
  }

  /// One line on stdout, ended with CRLF as Windows PowerShell writes it.
  public func writeLine(_ text: String) {
    write(text + "\r\n")
  }

  /// An error record already formatted the way 5.1 shows it (message, position, CategoryInfo, FullyQualifiedErrorId).
  public func writeError(_ formatted: String) {
    switch errorFormat {
    case .clixml:
      io.writeError(outputEncoding.encode(clixml.record(stream: "Error", text: formatted)))
    case .text:
      let line = formatted.unicodeScalars.last == "\n" ? formatted : formatted + "\r\n"
      io.writeError(outputEncoding.encode(line))
    }
  }

  /// A progress record: in CLIXML mode it is serialized as 5.1 does; a text console shows nothing on a pipe.
  public func writeProgress(activity: String, status: String, completed: Bool) {
    guard errorFormat == .clixml else { return }
    io.writeError(outputEncoding.encode(clixml.progress(activity: activity, status: status, completed: completed)))
  }

  /// `[Console]::In.ReadToEnd()`: the whole of standard input, decoded with the input encoding; read once.
  public func readStandardInputToEnd() -> String {
    if let standardInput { return standardInput }
    let bytes = io.readInput()
    let text = inputEncoding.decode(standardInputLimit.map { Array(bytes.prefix($0)) } ?? bytes)
    standardInput = ""
    return text
  }

  /// Ends the streams (closes the CLIXML document) before powershell.exe exits.
  public func finish() {
    let tail = clixml.finish()
    if !tail.isEmpty { io.writeError(outputEncoding.encode(tail)) }
  }
}
