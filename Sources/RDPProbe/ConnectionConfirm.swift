/// What a listener's Connection Confirm says about the security protocols it accepts (MS-RDPBCGR 2.2.1.2).
public enum ConnectionConfirm: Sendable, Equatable {
  /// RDP_NEG_RSP: the server picked `protocol` (0 standard RDP, 1 TLS, 2 CredSSP, 8 CredSSP with early auth);
  /// `flags` carries 0x08 (Restricted Admin supported) and 0x10 (Remote Credential Guard supported).
  case selected(protocol: UInt32, flags: UInt8)
  /// RDP_NEG_FAILURE: the server refused what was asked for. 1...6 are documented; other numbers are kept as sent.
  case failure(code: UInt32)
  /// The 11-byte confirm of a server that ignores negotiation: it speaks standard RDP security only.
  case legacy

  /// Parses exactly one whole TPKT (the bytes a reader framed by the TPKT length); anything else is malformed.
  public init(bytes: [UInt8]) throws(MalformedAnswer) {
    guard let length = try TPKTHeader.length(of: bytes) else {
      throw MalformedAnswer(reason: "truncated: \(bytes.count) of 4 bytes of the TPKT header")
    }
    guard bytes.count >= length else { throw MalformedAnswer(reason: "truncated: \(bytes.count) of \(length) bytes") }
    guard bytes.count == length else {
      throw MalformedAnswer(reason: "\(bytes.count) bytes for a TPKT length of \(length)")
    }
    guard Int(bytes[4]) == length - 5 else {
      throw MalformedAnswer(
        reason: "X.224 length indicator \(bytes[4]) does not fit the TPKT length \(length) (expected \(length - 5))")
    }
    guard bytes[5] & 0xF0 == 0xD0 else {
      throw MalformedAnswer(reason: "not a Connection Confirm (code \(hex(bytes[5])))")
    }
    switch length {
    case 11:
      self = .legacy
    case 19:
      self = try Self.negotiation(bytes)
    default:
      throw MalformedAnswer(reason: "Connection Confirm of \(length) bytes (11 or 19 expected)")
    }
  }

  /// The RDP_NEG_RSP or RDP_NEG_FAILURE at offsets 11...18 of a 19-byte confirm.
  private static func negotiation(_ bytes: [UInt8]) throws(MalformedAnswer) -> ConnectionConfirm {
    let type = bytes[11]
    let flags = bytes[12]
    let negotiationLength = Int(bytes[13]) | Int(bytes[14]) << 8
    guard negotiationLength == 8 else {
      throw MalformedAnswer(reason: "negotiation length \(negotiationLength) (8 expected)")
    }
    let value = UInt32(bytes[15]) | UInt32(bytes[16]) << 8 | UInt32(bytes[17]) << 16 | UInt32(bytes[18]) << 24
    switch type {
    case 0x02: return .selected(protocol: value, flags: flags)
    case 0x03: return .failure(code: value)
    default: throw MalformedAnswer(reason: "unknown negotiation type \(hex(type))")
    }
  }

  /// The documented meaning of an RDP_NEG_FAILURE code (MS-RDPBCGR 2.2.1.2.2); nil for other answers and codes.
  public var failureMeaning: String? {
    guard case .failure(let code) = self else { return nil }
    switch code {
    case 1:
      return "SSL_REQUIRED_BY_SERVER: the server requires Enhanced RDP Security with TLS or CredSSP"
    case 2:
      return "SSL_NOT_ALLOWED_BY_SERVER: the server only uses Standard RDP Security and supports no external"
        + " security protocol"
    case 3:
      return "SSL_CERT_NOT_ON_SERVER: the server has no valid authentication certificate and cannot start TLS"
    case 4:
      return "INCONSISTENT_FLAGS: the requested protocols are not consistent with the security protocol in effect"
    case 5:
      return "HYBRID_REQUIRED_BY_SERVER: the server requires Enhanced RDP Security with CredSSP (NLA)"
    case 6:
      return "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER: the server requires TLS with certificate-based client"
        + " authentication"
    default:
      return nil
    }
  }

  /// Whether the answer selected a protocol that starts with a TLS handshake on the same socket.
  var selectsTLS: Bool {
    guard case .selected(let selected, _) = self else { return false }
    return selected == 0x1 || selected == 0x2 || selected == 0x8
  }
}
