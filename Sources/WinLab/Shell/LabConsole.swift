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
  /// Set once stdin was read to its end.
  private var standardInput: String?
  /// Bytes read from stdin but not yet handed out (after a line end).
  private var pendingInput: [UInt8] = []
  private var inputEnded = false
  /// Bytes of stdin handed to the script so far (for `standardInputLimit`).
  private var inputDelivered = 0
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

  /// `[Console]::In.ReadToEnd()`: the rest of standard input, decoded with the input encoding; read once.
  public func readStandardInputToEnd() -> String {
    if standardInput != nil { return "" }
    var bytes = pendingInput
    pendingInput = []
    if !inputEnded { bytes += limited(io.readInput()) }
    inputEnded = true
    standardInput = ""
    return inputEncoding.decode(bytes)
  }

  /// `[Console]::In.ReadLine()`: the next line without its line end (CR LF or LF), nil at EOF. It blocks until a whole
  /// line (or EOF) has arrived and reads no further than the pipe has given, like .NET's StreamReader on a pipe, so a
  /// client can send the next line after reading the answer to this one.
  public func readStandardInputLine() -> String? {
    while true {
      if let end = pendingInput.firstIndex(of: 10) {
        var line = Array(pendingInput[..<end])
        pendingInput.removeSubrange(...end)
        if line.last == 13 { line.removeLast() }
        return inputEncoding.decode(line)
      }
      if inputEnded || standardInput != nil {
        guard !pendingInput.isEmpty else { return nil }
        defer { pendingInput = [] }
        return inputEncoding.decode(pendingInput)
      }
      let chunk = limited(io.readInputChunk())
      if chunk.isEmpty { inputEnded = true } else { pendingInput += chunk }
    }
  }

  /// The `truncateStdinAfter` fault: the bytes of `chunk` that still fit under the limit; the rest is lost.
  private func limited(_ chunk: [UInt8]) -> [UInt8] {
    guard let standardInputLimit else { return chunk }
    let room = max(0, standardInputLimit - inputDelivered)
    let kept = Array(chunk.prefix(room))
    inputDelivered += kept.count
    return kept
  }

  /// Ends the streams (closes the CLIXML document) before powershell.exe exits.
  public func finish() {
    let tail = clixml.finish()
    if !tail.isEmpty { io.writeError(outputEncoding.encode(tail)) }
  }
}
