/// What the TLS handshake after a TLS or CredSSP selection gave: the certificate, or why there is none.
public enum CertificateOutcome: Sendable, Equatable {
  case certificate(WireCertificate)
  /// The handshake ended with a TLS alert, an error or a close; the text says which.
  case handshakeFailed(String)
  /// The handshake did not finish within `ProbeOptions.handshakeTimeout`.
  case timedOut
  /// The handshake finished but the certificate's DER could not be read.
  case unreadable(String)
}
