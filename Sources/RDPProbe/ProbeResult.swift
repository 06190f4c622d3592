/// What an RDP listener tells anyone who connects: its answers to three negotiation requests and its certificate.
public struct ProbeResult: Sendable, Equatable {
  public var target: ProbeTarget
  /// The answer to a request for standard RDP security only (requestedProtocols 0x0).
  public var standardRDP: NegotiationOutcome
  /// The answer to a request for TLS only (0x1).
  public var tls: NegotiationOutcome
  /// The answer to a request for CredSSP and TLS (0x3), as a client that sets CredSSP should ask.
  public var credSSP: NegotiationOutcome
  /// From the first of the tls / credSSP connections whose answer selected TLS (1) or CredSSP (2 or 8): a TLS
  /// handshake on the same socket. nil when no answer selected a TLS-based protocol.
  public var certificate: CertificateOutcome?

  public init(
    target: ProbeTarget, standardRDP: NegotiationOutcome, tls: NegotiationOutcome, credSSP: NegotiationOutcome,
    certificate: CertificateOutcome?
  ) {
    self.target = target
    self.standardRDP = standardRDP
    self.tls = tls
    self.credSSP = credSSP
    self.certificate = certificate
  }

  /// Whether any of the three requests got a Connection Confirm: something that speaks RDP listens there.
  public var answered: Bool {
    standardRDP.answered || tls.answered || credSSP.answered
  }
}
