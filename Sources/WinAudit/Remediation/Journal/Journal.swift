import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where run journals live: `--journal DIR`, else `$XDG_STATE_HOME/winaudit`, else `~/.local/state/winaudit`.
public struct JournalDirectory: Sendable, Hashable {
  public var path: String

  public init(path: String) {
    self.path = path
  }

  /// The folder for this user, following the XDG base directory rules.
  public static func `default`(environment: [String: String] = ProcessInfo.processInfo.environment) -> JournalDirectory
  {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return JournalDirectory(path: state + "/winaudit")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return JournalDirectory(path: home + "/.local/state/winaudit")
  }

  public func file(for run: RunID) -> String {
    path + "/" + run.text + ".jsonl"
  }

  /// Creates the folder if needed (private to the user) and proves a journal can be created in it, by creating and
  /// removing a file: checked before any host is contacted, so a run never locks hosts it cannot journal.
  /// (`access(2)` would not do: it says yes to root on a read-only file system.)
  public func prepare() throws(JournalError) {
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw JournalError("cannot create the journal folder \(path): \(error.localizedDescription)")
    }
    var template = Array((path + "/.winaudit-probe-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw JournalError("cannot write a journal in \(path): \(String(cString: strerror(errno)))")
    }
    close(descriptor)
    _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
  }
}

/// Why a journal could not be written or read.
public struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}

/// Appends journal lines to one run's file and forces each to disk (fsync) before returning, so a change is only
/// sent after its before-value is durable.
///
/// Shared by the per-host tasks of a run; a lock keeps each line whole.
final class JournalWriter: @unchecked Sendable {
  let path: String
  private let descriptor: Int32
  private let lock = NSLock()
  /// `write(2)`; tests put a failing one here to act out a full disk.
  var writeBytes: @Sendable (Int32, UnsafeRawPointer, Int) -> Int = { write($0, $1, $2) }

  /// Creates the run's file (failing if it already exists) and its folder (private to the user).
  init(directory: JournalDirectory, run: RunID) throws(JournalError) {
    do {
      try FileManager.default.createDirectory(
        atPath: directory.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw JournalError("cannot create the journal folder \(directory.path): \(error.localizedDescription)")
    }
    path = directory.file(for: run)
    descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw JournalError("cannot create the journal \(path): \(String(cString: strerror(errno)))")
    }
    // The new file's name must survive a crash too.
    let folder = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folder >= 0 {
      fsync(folder)
      close(folder)
    }
  }

  deinit {
    close(descriptor)
  }

  /// Writes `entry` as one JSON line and returns once it is on disk.
  func append(_ entry: JournalEntry) throws(JournalError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard var data = try? encoder.encode(entry) else { throw JournalError("cannot encode a journal line") }
    data.append(UInt8(ascii: "\n"))
    lock.lock()
    defer { lock.unlock() }
    // Where this line starts: a write that fails part-way (a full disk) is cut back to here, so the journal never
    // keeps half a line that later lines would follow.
    let start = lseek(descriptor, 0, SEEK_END)
    let written = data.withUnsafeBytes { buffer -> Bool in
      var offset = 0
      while offset < buffer.count {
        let count = writeBytes(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += count
      }
      return true
    }
    guard written, fsync(descriptor) == 0 else {
      let reason = String(cString: strerror(errno))
      if start >= 0 {
        _ = ftruncate(descriptor, start)
        _ = fsync(descriptor)
      }
      throw JournalError("cannot write the journal \(path): \(reason)")
    }
  }
}

/// Reads a run's journal back.
public enum JournalReader {
  /// Every line of the journal at `path`; a last line cut short by a crash is ignored, any other bad line is an error.
  public static func read(path: String) throws(JournalError) -> [JournalEntry] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw JournalError("no journal at \(path)")
    }
    let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
    var entries: [JournalEntry] = []
    let decoder = JSONDecoder()
    for (index, line) in lines.enumerated() {
      do {
        entries.append(try decoder.decode(JournalEntry.self, from: Data(line)))
      } catch {
        if index == lines.count - 1 && data.last != UInt8(ascii: "\n") { break }
        throw JournalError("\(path):\(index + 1): not a journal line: \(error)")
      }
    }
    return entries
  }

  public static func read(directory: JournalDirectory, run: RunID) throws(JournalError) -> [JournalEntry] {
    try read(path: directory.file(for: run))
  }
}
