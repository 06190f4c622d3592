/// How long the probe waits in each phase: a silent or stalling listener costs at most the sum, never a hang.
public struct ProbeOptions: Sendable, Equatable {
  /// Waiting for the TCP connection (a dropped SYN shows up here).
  public var connectTimeout: Duration
  /// Waiting for the whole Connection Confirm after the request was sent.
  public var answerTimeout: Duration
  /// Waiting for the TLS handshake after an answer that selected TLS or CredSSP.
  public var handshakeTimeout: Duration

  public init(
    connectTimeout: Duration = .seconds(5), answerTimeout: Duration = .seconds(5),
    handshakeTimeout: Duration = .seconds(5)
  ) {
    self.connectTimeout = connectTimeout
    self.answerTimeout = answerTimeout
    self.handshakeTimeout = handshakeTimeout
  }
}
