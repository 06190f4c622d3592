import Foundation
import Logging

/// `-v`: one line per event on stderr, `winaudit: [HOST] message`, never on stdout, so reports stay byte for byte the
/// same. The library logs what it tried (ssh_config, jump host, host key, authentication), never a secret.
struct StderrLogHandler: LogHandler {
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .info

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
    var context = ""
    if let host = all["host"] { context += "[\(host)" + (all["jump"].map { " via jump host \($0)" } ?? "") + "] " }
    if event.level >= .warning && logLevel > .info {
      // Without -v only warnings show, each once (an ssh_config note would otherwise repeat for every host).
      StderrLogHandler.writeOnce("winaudit: warning: \(event.message)\n")
      return
    }
    StderrLogHandler.write("winaudit: \(context)\(event.message)\n")
  }

  private static let lock = NSLock()
  nonisolated(unsafe) private static var written: Set<String> = []  // guarded by `lock`

  private static func writeOnce(_ line: String) {
    lock.withLock {
      if written.insert(line).inserted { FileHandle.standardError.write(Data(line.utf8)) }
    }
  }

  /// One write per line, under a lock, so lines from hosts connecting in parallel do not interleave.
  private static func write(_ line: String) {
    lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
  }

  /// The logger for `-v` given `count` times: warnings only (each once) without it, `info` at -v, `debug` at -vv,
  /// `trace` (with libssh's own log) at -vvv.
  static func logger(verbosity count: Int) -> Logger {
    var handler = StderrLogHandler()
    handler.logLevel = count >= 3 ? .trace : count == 2 ? .debug : count == 1 ? .info : .warning
    return Logger(label: "winaudit", factory: { _ in handler })
  }
}
