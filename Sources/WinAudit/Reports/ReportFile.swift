import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The C `write(2)`, which `ReportFile.write` shadows inside the type.
private func writeBytes(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}

/// A report file the user asked for, checked before any host is contacted and written so that nothing else is ever
/// replaced: the report goes to a new temporary file in the same folder, which is then renamed over the target. A
/// target that exists must be a regular file, never a device (`/dev/null` as root), a folder or a symbolic link (a
/// rename would replace the link, not write where it points).
public struct ReportFile: Sendable {
  public let path: String

  /// Why a report file cannot be used, in words that say what to do.
  public struct Problem: Error, CustomStringConvertible, Sendable {
    public let description: String
  }

  /// Checks `path` now, before the audit: the folder exists and is writable, and the target, if any, is a regular file.
  public init(checking path: String) throws(Problem) {
    self.path = path
    try Self.check(path)
  }

  static func check(_ path: String) throws(Problem) {
    var status = stat()
    if lstat(path, &status) == 0 {
      switch status.st_mode & S_IFMT {
      case S_IFREG: break
      case S_IFLNK:
        throw Problem(description: "\(path) is a symbolic link; give the path of the file itself")
      case S_IFDIR:
        throw Problem(description: "\(path) is a folder; give a file name inside it")
      default:
        throw Problem(description: "\(path) is not a regular file (a device or pipe); write the report to a file")
      }
    }
    let folder = (path as NSString).deletingLastPathComponent
    let parent = folder.isEmpty ? "." : folder
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw Problem(description: "the folder \(parent) does not exist; create it or choose another path")
    }
    guard access(parent, W_OK) == 0 else {
      throw Problem(description: "the folder \(parent) is not writable; choose another path")
    }
  }

  /// Writes `text` through a temporary file in the same folder and a rename, checking the target again first.
  public func write(_ text: String) throws(Problem) {
    try write { (emit: (String) throws(Problem) -> Void) throws(Problem) in try emit(text) }
  }

  /// Writes the pieces `produce` hands to `emit`, in order, through a temporary file in the same folder and a rename,
  /// checking the target again first: a report rendered piece by piece (`ReportFormat.write`) is never held whole, and
  /// the target is still replaced only by a complete file.
  public func write(
    streaming produce: (_ emit: (String) throws(Problem) -> Void) throws(Problem) -> Void
  ) throws(Problem) {
    try Self.check(path)
    let folder = (path as NSString).deletingLastPathComponent
    var template = Array(((folder.isEmpty ? "." : folder) + "/.winaudit-report-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw Problem(description: "cannot create a file next to \(path): \(String(cString: strerror(errno)))")
    }
    let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    let path = self.path
    func emit(_ text: String) throws(Problem) {
      var text = text
      let result = text.withUTF8 { bytes -> Int in
        var written = 0
        while written < bytes.count {
          let result = writeBytes(descriptor, bytes.baseAddress! + written, bytes.count - written)
          if result < 0 { return result }
          written += result
        }
        return written
      }
      if result < 0 { throw Problem(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
    }
    do {
      try produce(emit)
    } catch {
      close(descriptor)
      unlink(temporary)
      throw error
    }
    fchmod(descriptor, 0o644)
    guard fsync(descriptor) == 0, close(descriptor) == 0, rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw Problem(description: "cannot write \(path): \(reason)")
    }
  }
}
