/// The `requestedProtocols` field of RDP_NEG_REQ (MS-RDPBCGR 2.2.1.1.1): which security protocols the client offers.
public struct RequestedProtocols: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32

  public init(rawValue: UInt32) {
    self.rawValue = rawValue
  }

  /// PROTOCOL_SSL: TLS without network-level authentication.
  public static let tls = RequestedProtocols(rawValue: 0x1)
  /// PROTOCOL_HYBRID: CredSSP (NLA). A client that offers it should also offer TLS.
  public static let credSSP = RequestedProtocols(rawValue: 0x2)
  /// PROTOCOL_RDSTLS.
  public static let rdstls = RequestedProtocols(rawValue: 0x4)
  /// PROTOCOL_HYBRID_EX: CredSSP with the Early User Authorization Result PDU.
  public static let credSSPWithEarlyAuth = RequestedProtocols(rawValue: 0x8)
  /// PROTOCOL_RDP: no flag set, classic RDP security only.
  public static let standardRDP: RequestedProtocols = []
}
