import Dispatch
import Foundation
import WinAudit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ctrl-C and SIGTERM while hosts are being changed: the first one interrupts the run cleanly (no new host starts,
/// locks are released, the journal says what happened); a second one exits at once, saying what may be left behind.
struct SignalTrap {
  private let sources: [any DispatchSourceSignal]

  /// `message` is what the first signal prints; `onFirst` runs after it (an audit cancels its hosts in flight).
  init(
    _ interruption: Interruption,
    message: String =
      "no further host will be changed; hosts already being changed finish first (interrupt again to exit at once)",
    onFirst: @escaping @Sendable () -> Void = {},
    atOnce: String =
      "Hosts being changed may keep their lock until it goes stale (30 minutes); the journal lists what was sent."
  ) {
    var sources: [any DispatchSourceSignal] = []
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        if interruption.isInterrupted {
          FileHandle.standardError.write(
            Data("\nwinaudit: exiting now. \(atOnce)\n".utf8))
          _exit(ExitStatus.interrupted)
        }
        interruption.trigger(signal: number)
        FileHandle.standardError.write(Data("\nwinaudit: interrupted: \(message).\n".utf8))
        onFirst()
      }
      source.resume()
      sources.append(source)
    }
    self.sources = sources
  }

  /// Restores the default handling (the run is over).
  func cancel() {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}
