import Foundation

/// Runs a helper program (ssh-keygen, sshd) to completion and collects what it printed.
enum Subprocess {
  struct Result {
    var status: Int32
    var output: String
    var error: String
  }

  static func run(_ executable: String, _ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw LabShellError("cannot start \(executable): \(error.localizedDescription)")
    }
    // Read stderr on another thread while stdout is read here, so a chatty child cannot block on a full pipe.
    let errorData = LockedData()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errorData.value = error.fileHandleForReading.readDataToEndOfFile() }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
      error: String(decoding: errorData.value, as: UTF8.self))
  }

  /// The first of `candidates` that exists and is executable, else the program found on PATH.
  static func find(_ name: String, candidates: [String]) -> String? {
    let fileManager = FileManager.default
    for path in candidates where fileManager.isExecutableFile(atPath: path) { return path }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if fileManager.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()

  var value: Data {
    get { lock.withLock { data } }
    set { lock.withLock { data = newValue } }
  }
}
