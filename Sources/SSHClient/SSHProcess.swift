import Foundation

/// What a long-lived process printed in answer to one request.
public struct ProcessAnswer: Sendable, Equatable {
  /// stdout up to and including the delimiter's line.
  public var stdout: Data
  /// What the process wrote on stderr meanwhile.
  public var stderr: Data

  public init(stdout: Data, stderr: Data) {
    self.stdout = stdout
    self.stderr = stderr
  }
}

/// A process on the host that answers requests one at a time: an `SSHProcess`, or a test double.
public protocol SSHProcessRunning: Sendable {
  /// Sends `request` on stdin and waits until stdout holds a line containing `delimiter`.
  func exchange(send request: Data, until delimiter: Data, timeout: Duration) async throws -> ProcessAnswer
  /// Says goodbye (`farewell`, then EOF) and waits at most `timeout` for the exit status (nil when none came).
  func finish(farewell: Data, timeout: Duration) async -> Int32?
}

/// One command started on an `SSHConnection` that keeps running between exchanges, on its own exec channel.
///
/// Every libssh call runs on the connection's worker thread, queued with the connection's other work. A failed
/// exchange (timeout, cancellation, a dropped connection, the process ending) closes the channel; the error carries
/// the stdout and stderr received before it, and later exchanges fail with `.closed`.
public final class SSHProcess: SSHProcessRunning {
  private let connection: SSHConnection
  private let channel: LibSSHChannel

  fileprivate init(connection: SSHConnection, channel: LibSSHChannel) {
    self.connection = connection
    self.channel = channel
  }

  deinit {
    let channel = channel
    connection.worker.submit { channel.release() }
  }

  public func exchange(send request: Data, until delimiter: Data, timeout: Duration) async throws -> ProcessAnswer {
    let channel = channel
    let limits = (stdout: connection.options.outputLimit, stderr: connection.options.errorLimit)
    let answer = try await connection.worker.perform(
      { flag throws(SSHError) in
        try channel.exchange(send: request, until: delimiter, timeout: timeout, limits: limits, cancellation: flag)
      },
      ifStopped: connection.closedError)
    return ProcessAnswer(stdout: answer.stdout, stderr: answer.stderr)
  }

  public func finish(farewell: Data, timeout: Duration) async -> Int32? {
    let channel = channel
    return try? await connection.worker.perform(
      { _ throws(SSHError) in channel.finish(farewell: farewell, timeout: timeout) }, ifStopped: connection.closedError)
  }
}

extension SSHConnection {
  /// Starts `command` in a new exec channel and leaves it running for `SSHProcess.exchange`; the server has `timeout`
  /// to open the channel and start the command.
  ///
  /// - Throws: `SSHError` (`.channelFailed` when the server refuses the channel or the command, `.commandTimedOut`
  ///   when it does not answer in time, `.closed`).
  public func startProcess(command: String, timeout: Duration) async throws -> SSHProcess {
    let channel = LibSSHChannel(owner: session)
    try await worker.perform(
      { _ throws(SSHError) in try channel.start(command: command, timeout: timeout) }, ifStopped: closedError)
    return SSHProcess(connection: self, channel: channel)
  }

  var closedError: SSHError {
    SSHError(.closed, endpoint: options.endpoint, message: "the connection is closed", advice: "Open a new connection.")
  }
}
