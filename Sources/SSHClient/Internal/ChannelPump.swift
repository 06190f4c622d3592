import CLibSSH
import Foundation

/// The non-blocking steps both read loops take on an exec channel: write what the remote window accepts, read what
/// has arrived on stdout and stderr. `LibSSHSession.run` (one command until it exits) and `LibSSHChannel.exchange`
/// (one answer of a long-lived process) differ only in when they stop; neither may block on a write while output
/// waits to be read, or the remote side stalls with a full window and both wait forever.
///
/// Used on the connection's worker thread only, like the session it belongs to.
struct ChannelPump {
  /// What a read step found.
  enum Read: Equatable {
    /// Bytes arrived (and were kept in `output`).
    case data
    /// Nothing yet.
    case nothing
    /// The stream ended (EOF, or the channel closed).
    case ended
    /// stdout went past its limit.
    case tooLarge
    /// The connection broke.
    case failed
  }

  let channel: ssh_channel
  /// 64 KiB of scratch space for reads, owned by the caller.
  let buffer: UnsafeMutableRawPointer
  static let bufferSize = 64 * 1024
  /// The most written in one step: small enough that reads are not starved while a large script goes out.
  static let writeChunk = 32 * 1024

  /// Writes what the remote window accepts of `input` after `written` and advances it. Returns libssh's result: the
  /// bytes written, 0 when nothing could be (the window is closed, or nothing is left), SSH_ERROR.
  func write(_ input: Data, written: inout Int) -> Int32 {
    let window = Int(ssh_channel_window_size(channel))
    guard written < input.count, window > 0 else { return 0 }
    let count = min(window, Self.writeChunk, input.count - written)
    let start = written
    let rc = input.withUnsafeBytes { bytes in ssh_channel_write(channel, bytes.baseAddress! + start, UInt32(count)) }
    if rc > 0 { written += Int(rc) }
    return rc
  }

  /// Reads what has arrived on `stream` (0 stdout, 1 stderr) without blocking, into `output`.
  func read(_ stream: Int32, into output: inout ChannelOutput) -> Read {
    let rc = ssh_channel_read_nonblocking(channel, buffer, UInt32(Self.bufferSize), stream)
    if rc > 0 {
      let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(rc))
      return output.take(bytes, from: stream) ? .data : .tooLarge
    }
    if rc == SSH_EOF || (rc == 0 && ssh_channel_is_closed(channel) != 0) { return .ended }
    return rc == SSH_ERROR ? .failed : .nothing
  }

  /// Keeps what libssh had already received for the channel when the connection broke: a script that reports each
  /// step as it goes has reported the steps that finished.
  func salvage(into output: inout ChannelOutput) {
    for stream: Int32 in [0, 1] {
      var reads = 0
      while reads < 64, read(stream, into: &output) == .data { reads += 1 }
    }
  }
}

/// What a read loop received: stdout whole up to its limit; the first part of stderr, and how much more was dropped.
struct ChannelOutput {
  var stdout = Data()
  var stderr = Data()
  var droppedStderr = 0
  let limits: (stdout: Int, stderr: Int)

  init(limits: (stdout: Int, stderr: Int), stdout: Data = Data()) {
    self.limits = limits
    self.stdout = stdout
  }

  /// Adds `bytes` from `stream`; false when stdout is now past its limit.
  mutating func take(_ bytes: UnsafeRawBufferPointer, from stream: Int32) -> Bool {
    guard stream == 0 else {
      let keep = max(0, min(bytes.count, limits.stderr - stderr.count))
      stderr.append(contentsOf: bytes.prefix(keep))
      droppedStderr += bytes.count - keep
      return true
    }
    stdout.append(contentsOf: bytes)
    return stdout.count <= limits.stdout
  }
}
