import CLibSSH
import Foundation

/// One exec channel that stays open across several request/answer exchanges: a process on the host that reads
/// requests from stdin and answers each on stdout with a delimiter line.
///
/// Like `LibSSHSession`, only the connection's worker thread touches it, one job at a time (the invariant behind
/// `@unchecked Sendable`). Once an exchange fails (timeout, cancellation, a broken connection, the process ending) the
/// channel is closed and every later exchange fails with `.closed`: what the process had in memory is gone.
final class LibSSHChannel: @unchecked Sendable {
  private let owner: LibSSHSession
  private var channel: ssh_channel?
  /// stdout received after the last answer's delimiter line (the start of the next answer).
  private var pending = Data()
  /// Why the channel is unusable, once it is.
  private var ended: String?
  private let buffer: UnsafeMutableRawPointer

  init(owner: LibSSHSession) {
    self.owner = owner
    buffer = UnsafeMutableRawPointer.allocate(byteCount: ChannelPump.bufferSize, alignment: 16)
  }

  deinit {
    buffer.deallocate()
  }

  /// Closes and frees the channel if it is still open; on the worker thread, before the session is freed (ssh_free
  /// frees a session's channels, so after `disconnect` the pointer must not be touched).
  func release() {
    guard let channel else { return }
    self.channel = nil
    guard owner.session != nil else { return }
    if ended == nil { _ = ssh_channel_request_send_signal(channel, "KILL") }
    ssh_channel_close(channel)
    ssh_channel_free(channel)
  }

  /// Opens a session channel and starts `command` in it; the process then waits for what `exchange` sends. The server
  /// has `timeout` to open the channel and start the command (`LibSSHSession.openChannel`).
  func start(command: String, timeout: Duration) throws(SSHError) {
    guard let session = owner.session, owner.isAlive else {
      throw owner.error(.closed, "the connection is closed", advice: "Open a new connection.")
    }
    let clock = ContinuousClock()
    channel = try owner.openChannel(
      session, running: command, until: clock.now + timeout, timeout: timeout, clock: clock)
  }

  /// Writes `send`, then reads until stdout holds `delimiter` followed by a line end; returns stdout up to and including
  /// that line, and the stderr received meanwhile. Bytes after the line stay for the next exchange.
  ///
  /// The delimiter is searched in the bytes received, never in a partial line: a delimiter whose line has not ended
  /// yet is not an answer.
  func exchange(
    send: Data, until delimiter: Data, timeout: Duration, limits: (stdout: Int, stderr: Int),
    cancellation: CancellationFlag
  ) throws(SSHError) -> (stdout: Data, stderr: Data) {
    guard let channel, ended == nil else {
      throw owner.error(
        .closed, "the process of this session has ended (\(ended ?? "not started"))",
        advice: "Open a new connection.")
    }
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var output = ChannelOutput(limits: limits, stdout: pending)
    pending = Data()
    var written = 0
    var scanned = 0
    let pump = ChannelPump(channel: channel, buffer: buffer)

    /// Kills the process, closes the channel and returns `failure` with what this exchange received.
    func abandon(_ failure: SSHError) -> SSHError {
      _ = ssh_channel_request_send_signal(channel, "KILL")
      ssh_channel_close(channel)
      ended = failure.message
      return SSHError(
        failure.kind, endpoint: failure.endpoint, message: failure.message, advice: failure.advice,
        stdout: output.stdout, stderr: output.stderr)
    }

    /// The answer's end: the index just past the line end that follows the first delimiter, if both arrived.
    func answerEnd() -> Int? {
      let stdout = output.stdout
      let from = max(0, scanned - delimiter.count)
      guard let range = stdout.range(of: delimiter, in: (stdout.startIndex + from)..<stdout.endIndex) else {
        scanned = stdout.count
        return nil
      }
      scanned = range.lowerBound - stdout.startIndex
      guard let lineEnd = stdout[range.upperBound...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
      return lineEnd + 1 - stdout.startIndex
    }

    while true {
      if let end = answerEnd() {
        let stdout = output.stdout
        pending = stdout.subdata(in: (stdout.startIndex + end)..<stdout.endIndex)
        return (stdout.prefix(end), output.stderr)
      }
      if cancellation.isCancelled {
        throw abandon(owner.error(.cancelled, "the command was cancelled; its channel was closed"))
      }
      if clock.now >= deadline {
        throw abandon(
          owner.error(
            .commandTimedOut, "the script did not finish within \(timeout); its channel was closed",
            advice: "Raise the command timeout if the host is just slow."))
      }
      var progressed = false
      let rc = pump.write(send, written: &written)
      if rc > 0 {
        progressed = true
      } else if rc == SSH_ERROR {
        throw lost("the connection broke", abandon)
      }
      var streamEnded = false
      for stream: Int32 in [0, 1] {
        switch pump.read(stream, into: &output) {
        case .data: progressed = true
        case .nothing: break
        case .ended: streamEnded = true
        case .failed: throw lost("the connection broke while reading output", abandon)
        case .tooLarge:
          throw abandon(
            owner.error(
              .outputTooLarge,
              "the script printed more than \(limits.stdout >> 20) MiB on stdout; its channel was closed"))
        }
      }
      if !progressed {
        if streamEnded || ssh_channel_is_eof(channel) != 0 || ssh_channel_is_closed(channel) != 0 {
          if !owner.isAlive { throw lost("the connection broke", abandon) }
          let status = ssh_channel_get_exit_status(channel)
          throw abandon(
            owner.error(
              .connectionLost,
              "the host's process ended before it answered (exit status \(status)); its channel was closed"))
        }
        owner.waitForSocket(until: deadline, clock: clock)
      }
    }
  }

  /// The connection broke: keeps what libssh had already buffered for the channel, then abandons it.
  private func lost(_ message: String, _ abandon: (SSHError) -> SSHError) -> SSHError {
    let reason = owner.lastError
    return abandon(owner.error(.connectionLost, "\(message): \(reason)"))
  }

  /// Ends the process the way it expects (`farewell`, then EOF), waits for its exit status at most `timeout`, and
  /// closes the channel. Returns the exit status, or nil when none came (the process is then killed).
  func finish(farewell: Data, timeout: Duration) -> Int32? {
    guard let channel, owner.session != nil else { return nil }
    defer { release() }
    if ended != nil { return nil }
    ended = "finished"
    if !farewell.isEmpty {
      _ = farewell.withUnsafeBytes { bytes in ssh_channel_write(channel, bytes.baseAddress!, UInt32(farewell.count)) }
    }
    _ = ssh_channel_send_eof(channel)
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    // Drain what the process still prints until it closes its side, so its exit status can arrive.
    while ssh_channel_is_eof(channel) == 0 && ssh_channel_is_closed(channel) == 0 && clock.now < deadline {
      var progressed = false
      for stream in 0..<2 {
        let rc = ssh_channel_read_nonblocking(channel, buffer, UInt32(ChannelPump.bufferSize), Int32(stream))
        if rc > 0 { progressed = true }
        if rc == SSH_ERROR { return nil }
      }
      if !progressed { owner.waitForSocket(until: deadline, clock: clock) }
    }
    let remaining = deadline - clock.now
    owner.setTimeout(max(remaining, .milliseconds(1)))
    let status = ssh_channel_get_exit_status(channel)
    owner.setTimeout(owner.options.connectTimeout)
    if status == -1 { _ = ssh_channel_request_send_signal(channel, "KILL") }
    return status == -1 ? nil : status
  }
}
