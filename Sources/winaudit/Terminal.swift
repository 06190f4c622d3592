import ArgumentParser
import Foundation
import WinAudit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Terminal facts the command line needs: whether to colour, whether a live progress line makes sense, whether a
/// person can be asked for a password.
enum Terminal {
  static func isTerminal(_ handle: FileHandle) -> Bool {
    isatty(handle.fileDescriptor) != 0
  }

  /// Whether text written to `handle` is coloured: `always` and `never` decide; `auto` colours a terminal unless
  /// `NO_COLOR` is set (to anything, https://no-color.org) or `TERM` is `dumb` or unset.
  static func colors(_ choice: ColorChoice, _ handle: FileHandle, environment: [String: String]) -> Bool {
    switch choice {
    case .always: return true
    case .never: return false
    case .auto:
      guard isTerminal(handle), environment["NO_COLOR"] == nil else { return false }
      guard let term = environment["TERM"], !term.isEmpty, term != "dumb" else { return false }
      return true
    }
  }

  /// Whether a line on `handle` can be redrawn in place (the live progress line): a terminal that is not `dumb`.
  static func canRedraw(_ handle: FileHandle) -> Bool {
    guard isTerminal(handle), let term = ProcessInfo.processInfo.environment["TERM"] else { return false }
    return !term.isEmpty && term != "dumb"
  }

  /// Prompts are possible only with a terminal to read from and to write to.
  static var isInteractive: Bool {
    isatty(STDIN_FILENO) != 0 && isatty(STDERR_FILENO) != 0
  }
}

/// `--color auto|always|never`.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
  case auto
  case always
  case never
}

/// The live "hosts done/total" line on stderr, redrawn in place after each host.
final class ProgressLine: @unchecked Sendable {
  // Guarded by `lock`: host tasks finish concurrently.
  private let lock = NSLock()
  private var shown = false

  func show(_ progress: AuditProgress) {
    lock.withLock {
      let line =
        "\r\u{1B}[2Kaudited \(progress.done)/\(progress.total) hosts: \(progress.compliant) compliant, "
        + "\(progress.drift) drift, \(progress.errors) error"
      FileHandle.standardError.write(Data(line.utf8))
      shown = true
    }
  }

  func finish() {
    lock.withLock {
      if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
  }
}

/// Asks for a password or key passphrase on the terminal without echo, once: the answer is reused for every host, and
/// concurrent host connections wait for the one prompt instead of interleaving several.
actor SecretPrompt {
  static let shared = SecretPrompt()

  private var answers: [String: String] = [:]

  /// The prompt callback for `ConnectionSettings`.
  nonisolated let ask: @Sendable (String) async -> String? = { text in
    await SecretPrompt.shared.answer(text)
  }

  private func answer(_ text: String) -> String? {
    let kind = text.lowercased().hasPrefix("passphrase") ? "passphrase" : "password"
    if let known = answers[kind] { return known }
    guard let pointer = getpass(text) else { return nil }
    let value = String(cString: pointer)
    guard !value.isEmpty else { return nil }
    answers[kind] = value
    return value
  }
}
