import Foundation
import WinLab

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The real `winaudit` binary with stdin and stderr on a pseudo-terminal (so it asks, as for a person) and stdout on a
/// pipe (the report): a test reads each prompt from the terminal and types the answer.
final class TerminalRun {
  private let process = Process()
  private let master: Int32
  private let output = Pipe()
  private let outputBox = DataBox()
  private let group = DispatchGroup()
  /// Everything the terminal showed so far (prompts and the echo of typed answers).
  private(set) var screen = ""

  init(_ arguments: [String]) throws {
    var master: Int32 = -1
    var slave: Int32 = -1
    guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw TerminalRunError("openpty failed: \(errno)") }
    self.master = master
    let binary = try LabBinaries.winlabPath().deletingLastPathComponent().appendingPathComponent("winaudit")
    process.executableURL = binary
    process.arguments = arguments
    process.environment = FleetHarness.environment
    let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
    process.standardInput = terminal
    process.standardError = terminal
    process.standardOutput = output
    try process.run()
    try terminal.close()
    let reader = output.fileHandleForReading
    let box = outputBox
    DispatchQueue.global().async(group: group) { box.set(reader.readDataToEndOfFile()) }
  }

  deinit {
    // A test that failed half way must not leave winaudit waiting at a prompt.
    if process.isRunning { process.terminate() }
    close(master)
  }

  /// Reads the terminal until `text` has appeared `occurrence` times in total, or fails after `seconds`.
  func waitFor(_ text: String, occurrence: Int = 1, seconds: Double = 60) throws {
    let deadline = Date().addingTimeInterval(seconds)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while screen.components(separatedBy: text).count - 1 < occurrence {
      guard Date() < deadline else {
        throw TerminalRunError(
          "no \"\(text)\" (#\(occurrence)) on the terminal within \(seconds) s; screen:\n\(screen)")
      }
      var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 200) > 0 else {
        if !process.isRunning { throw TerminalRunError("winaudit exited before \"\(text)\"; screen:\n\(screen)") }
        continue
      }
      let count = read(master, &buffer, buffer.count)
      if count <= 0 { throw TerminalRunError("the terminal closed before \"\(text)\"; screen:\n\(screen)") }
      screen += String(decoding: buffer[0..<count], as: UTF8.self)
    }
  }

  /// Sends SIGINT, as Ctrl-C on the terminal would.
  func interrupt() {
    process.interrupt()
  }

  /// Types `line` and Enter.
  func type(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// Waits for the exit (at most `seconds`, then stops it); returns the status and stdout.
  func finish(seconds: Double = 120) -> (status: Int32, out: String) {
    // Drain the terminal so the child never blocks writing to it.
    var buffer = [UInt8](repeating: 0, count: 4096)
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning {
      if Date() > deadline { process.terminate() }
      var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      if poll(&poller, 1, 100) > 0 {
        let count = read(master, &buffer, buffer.count)
        if count > 0 { screen += String(decoding: buffer[0..<count], as: UTF8.self) }
      }
    }
    process.waitUntilExit()
    group.wait()
    return (process.terminationStatus, String(decoding: outputBox.get(), as: UTF8.self))
  }
}

struct TerminalRunError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
