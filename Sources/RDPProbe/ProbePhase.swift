/// The phase of one probe connection that a timeout ended.
public enum ProbePhase: String, Sendable, Equatable, Codable {
  /// The TCP connection was not established in time (a firewall that drops, or a host that is down).
  case connect
  /// TCP was accepted but no whole Connection Confirm came back in time.
  case answer
  /// The TLS handshake after a TLS or CredSSP selection did not finish in time.
  case handshake
}
