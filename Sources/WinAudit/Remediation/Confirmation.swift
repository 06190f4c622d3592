import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the user answered to `Apply 3 changes to healthy-2019? [y]es/[n]o/[a]ll/[q]uit`.
enum ConfirmationAnswer: Sendable, Hashable {
  /// Apply to this host.
  case yes
  /// Skip this host, ask about the next.
  case no
  /// Apply to this host and every later one without asking.
  case all
  /// Skip this host and every later one.
  case quit
}

/// Where answers come from: a terminal in real use, a scripted list in tests.
public protocol ConfirmationInput: AnyObject {
  /// Whether a person can answer (stdin is a terminal).
  var isTerminal: Bool { get }
  /// Shows `prompt` and returns the typed line without its newline; nil at end of input.
  func ask(_ prompt: String) -> String?
}

/// Reads answers from a terminal file descriptor (stdin by default) and writes prompts to another (stderr by
/// default, so stdout stays the report).
///
/// It reads byte by byte from the descriptor rather than through stdio buffering, so nothing typed ahead is lost
/// between prompts and a pseudo-terminal in a test behaves like a person typing.
///
/// With an `Interruption`, Ctrl-C at the prompt ends the question as if the input had ended (the signal is caught, so
/// `read` would otherwise wait on): the session then releases the hosts' locks instead of leaving them behind.
public final class TerminalInput: ConfirmationInput {
  private let input: Int32
  private let output: Int32
  private let interruption: Interruption?

  public init(input: Int32 = STDIN_FILENO, output: Int32 = STDERR_FILENO, interruption: Interruption? = nil) {
    self.input = input
    self.output = output
    self.interruption = interruption
  }

  public var isTerminal: Bool { isatty(input) == 1 }

  public func ask(_ prompt: String) -> String? {
    let bytes = Array(prompt.utf8)
    _ = bytes.withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      if let interruption {
        // Wait for a byte in short slices so an interrupt is noticed while the user has not answered.
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 100)
        if interruption.isInterrupted { return nil }
        if ready == 0 || (ready < 0 && errno == EINTR) { continue }
      }
      let count = read(input, &byte, 1)
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
      if byte == UInt8(ascii: "\n") { break }
      if byte != UInt8(ascii: "\r") { line.append(byte) }
    }
    return String(decoding: line, as: UTF8.self)
  }
}

/// The per-host question before changes are applied (or rolled back), with `--yes` and "all"/"quit" remembered
/// across hosts.
///
/// Refusing without a terminal is decided up front (`Confirmation.init`), before any host is contacted, so an
/// unattended run without `--yes` changes nothing.
public final class Confirmation {
  private let input: ConfirmationInput?
  private var remembered: ConfirmationAnswer?

  /// `assumeYes` answers yes for every host (`--yes`); otherwise `input` must be a terminal.
  public init(assumeYes: Bool, input: ConfirmationInput, verb: String = "apply") throws(UsageError) {
    if assumeYes {
      self.input = nil
      remembered = .all
      return
    }
    guard input.isTerminal else {
      throw UsageError(
        "refusing to \(verb) changes without a terminal to confirm them: pass --yes to \(verb) without asking")
    }
    self.input = input
  }

  /// Asks about one host; true when its changes should be made.
  public func confirm(_ question: String) -> Bool {
    switch answer(question) {
    case .yes, .all: return true
    case .no, .quit: return false
    }
  }

  /// The answer for one host: the remembered "all"/"quit", or what the user types (asking again on anything else).
  func answer(_ question: String) -> ConfirmationAnswer {
    if let remembered { return remembered }
    guard let input else { return .quit }
    while true {
      guard let line = input.ask("\(question) [y]es/[n]o/[a]ll/[q]uit ") else {
        remembered = .quit
        return .quit
      }
      switch line.trimmingCharacters(in: .whitespaces).lowercased() {
      case "y", "yes": return .yes
      case "n", "no": return .no
      case "a", "all":
        remembered = .all
        return .all
      case "q", "quit":
        remembered = .quit
        return .quit
      default:
        continue
      }
    }
  }
}
