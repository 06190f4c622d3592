import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive `flock` on a file, held until `unlock()` or process exit: how concurrent lab sessions to one host take
/// turns on its state and its process counter.
public final class FileLock {
  private var fd: Int32
  private let url: URL

  /// Blocks until the exclusive lock on `url` (created if missing) is held.
  public init(exclusive url: URL) throws {
    self.url = url
    fd = -1
    try lock()
  }

  /// Takes the lock again after `unlock()` (a long-lived process that let others in while it waited); blocks.
  public func lock() throws {
    guard fd < 0 else { return }
    fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw LabShellError("cannot open \(url.path): \(String(cString: strerror(errno)))") }
    while flock(fd, LOCK_EX) != 0 {
      if errno == EINTR { continue }
      let message = String(cString: strerror(errno))
      close(fd)
      fd = -1
      throw LabShellError("cannot lock \(url.path): \(message)")
    }
  }

  public func unlock() {
    guard fd >= 0 else { return }
    flock(fd, LOCK_UN)
    close(fd)
    fd = -1
  }

  deinit { unlock() }
}

/// Whole-file writes that a concurrent reader never sees half done: write a temporary file, then rename it over.
public enum AtomicFile {
  public static func write(_ data: Data, to url: URL) throws {
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
    do {
      try data.write(to: temporary)
      guard rename(temporary.path, url.path) == 0 else {
        throw LabShellError("cannot replace \(url.path): \(String(cString: strerror(errno)))")
      }
    } catch {
      unlink(temporary.path)
      throw error
    }
  }
}

/// Appends one line per powershell.exe start to a host's `process-count` file, under an exclusive lock so lines from
/// concurrent sessions never mix.
public enum ProcessCounter {
  public static func recordStart(in directory: HostDirectory, program: String = "powershell.exe") throws {
    let fd = open(directory.processCount.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw LabShellError("cannot open \(directory.processCount.path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    defer { flock(fd, LOCK_UN) }
    let millis = Int(Date().timeIntervalSince1970 * 1000)
    let line = Array("\(millis) \(getpid()) \(program)\n".utf8)
    _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
  }
}

/// A lab shell or orchestration failure with a message a person can act on.
public struct LabShellError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
