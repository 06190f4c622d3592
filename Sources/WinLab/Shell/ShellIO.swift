#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The byte streams of one SSH exec session as the login shell sees them: stdin, stdout, stderr.
///
/// A protocol so that tests can run the whole shell in-process against buffers.
public protocol ShellIO: AnyObject {
  /// Writes bytes to stdout.
  func writeOutput(_ bytes: [UInt8])
  /// Writes bytes to stderr.
  func writeError(_ bytes: [UInt8])
  /// Reads standard input to its end (EOF).
  func readInput() -> [UInt8]
  /// Reads what standard input has now, blocking until at least one byte arrives; empty at EOF.
  func readInputChunk() -> [UInt8]
}

/// The process's own file descriptors 0, 1 and 2: what sshd connects to the session's channel.
public final class StandardShellIO: ShellIO {
  public init() {}

  public func writeOutput(_ bytes: [UInt8]) { Self.writeAll(1, bytes) }
  public func writeError(_ bytes: [UInt8]) { Self.writeAll(2, bytes) }

  public func readInput() -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if count > 0 {
        result.append(contentsOf: buffer[0..<count])
      } else if count < 0 && errno == EINTR {
        continue
      } else {
        return result
      }
    }
  }

  public func readInputChunk() -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if count > 0 { return Array(buffer[0..<count]) }
      if count < 0 && errno == EINTR { continue }
      return []
    }
  }

  private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if written > 0 {
        offset += written
      } else if written < 0 && errno == EINTR {
        continue
      } else {
        return
      }
    }
  }
}

/// In-memory streams for tests: stdin is given, stdout and stderr are collected.
public final class BufferShellIO: ShellIO {
  public private(set) var output: [UInt8] = []
  public private(set) var error: [UInt8] = []
  public private(set) var inputReads = 0
  private let input: [UInt8]

  public init(input: [UInt8] = []) { self.input = input }

  public func writeOutput(_ bytes: [UInt8]) { output += bytes }
  public func writeError(_ bytes: [UInt8]) { error += bytes }
  public func readInput() -> [UInt8] {
    inputReads += 1
    return inputReads == 1 ? input : []
  }
  public func readInputChunk() -> [UInt8] { readInput() }

  /// stdout decoded as UTF-8 (for assertions).
  public var outputText: String { String(decoding: output, as: UTF8.self) }
  /// stderr decoded as UTF-8 (for assertions).
  public var errorText: String { String(decoding: error, as: UTF8.self) }
}
