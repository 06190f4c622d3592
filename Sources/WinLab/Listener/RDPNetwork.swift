/// What the network between a client and a lab host does to RDP connections: not Windows state, so it is a lab
/// setting of the host (`rdpNetwork` in the fleet file and host.json), applied by the listener double.
public enum RDPNetwork: String, Sendable, Equatable, Codable, CaseIterable {
  /// Connections reach the host's listener.
  case open
  /// Something between refuses: nothing is bound, a connect is refused.
  case reject
  /// Something between drops the SYNs: a connect times out.
  case drop
  /// A TLS-inspecting middlebox: the negotiation is answered as the host would, but the TLS handshake presents the
  /// middlebox's own certificate (CN=proxy.example.net).
  case proxy

  /// The subject of the middlebox's certificate.
  public static let proxySubject = "CN=proxy.example.net"
}
