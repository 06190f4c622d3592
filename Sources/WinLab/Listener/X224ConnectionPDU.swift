/// The two PDUs of the RDP connection's first round trip, as the server sees them: the X.224 Connection Request it
/// reads and the Connection Confirm it writes [MS-RDPBCGR 2.2.1.1, 2.2.1.2; rdp-wire-and-errors.md section 1].
public enum X224ConnectionPDU {
  /// A request longer than this is not a Connection Request (a cookie or routing token is a few dozen bytes).
  public static let maximumRequestLength = 512

  /// A parsed Connection Request.
  public struct Request: Sendable, Equatable {
    /// requestedProtocols of RDP_NEG_REQ; nil when the request has none (a client that does not negotiate).
    public var requestedProtocols: RDPProtocols?
  }

  /// The outcome of reading bytes received so far.
  public enum ReadResult: Sendable, Equatable {
    /// Not a whole TPKT yet.
    case needMore
    /// A whole, well-formed request, and how many bytes it took.
    case request(Request, length: Int)
    /// Not a Connection Request: the server drops the connection.
    case malformed
  }

  /// Reads a Connection Request from the start of `bytes`. A TPKT that is not version 3, shorter than 11 bytes or
  /// longer than `maximumRequestLength`, whose X.224 length indicator disagrees with the TPKT length, that is not a CR
  /// TPDU (0xE0), or whose RDP_NEG_REQ is not type 1 length 8 is malformed [MS-RDPBCGR 3.3.5.3.1].
  public static func readRequest(_ bytes: [UInt8]) -> ReadResult {
    if let first = bytes.first, first != 3 { return .malformed }
    guard bytes.count >= 4 else { return .needMore }
    let length = Int(bytes[2]) << 8 | Int(bytes[3])
    guard bytes[1] == 0, length >= 11, length <= maximumRequestLength else { return .malformed }
    guard bytes.count >= length else { return .needMore }
    let pdu = Array(bytes[0..<length])
    guard Int(pdu[4]) == length - 5, pdu[5] & 0xF0 == 0xE0 else { return .malformed }
    var variable = pdu[11...]
    // A cookie (`Cookie: mstshash=NAME`) or routing token ends with CR LF and comes before RDP_NEG_REQ.
    if let first = variable.first, first != 0x01 {
      guard
        let end = variable.indices.first(where: { $0 > variable.startIndex && pdu[$0 - 1] == 0x0D && pdu[$0] == 0x0A })
      else {
        return .malformed
      }
      variable = pdu[(end + 1)...]
    }
    if variable.isEmpty { return .request(Request(requestedProtocols: nil), length: length) }
    guard variable.count >= 8 else { return .malformed }
    let start = variable.startIndex
    guard pdu[start] == 0x01, pdu[start + 2] == 8, pdu[start + 3] == 0 else { return .malformed }
    let requested = (0..<4).reduce(UInt32(0)) { $0 | UInt32(pdu[start + 4 + $1]) << (8 * UInt32($1)) }
    return .request(Request(requestedProtocols: RDPProtocols(rawValue: requested)), length: length)
  }

  /// The 19-byte Connection Confirm carrying `answer`: TPKT, LI 14, CC 0xD0, DST-REF 0, SRC-REF, class 0, then
  /// RDP_NEG_RSP (type 2, flags 0, length 8, selectedProtocol) or RDP_NEG_FAILURE (type 3, 0, length 8, failureCode).
  public static func confirm(_ answer: RDPNegotiationAnswer) -> [UInt8] {
    let (type, value): (UInt8, UInt32)
    switch answer {
    case .selected(let selected): (type, value) = (2, selected)
    case .failure(let failure): (type, value) = (3, failure.rawValue)
    }
    return [0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00, type, 0x00, 0x08, 0x00]
      + (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
  }

  /// The 11-byte Connection Confirm without negotiation data: the answer to a client that did not negotiate when the
  /// server accepts standard RDP security.
  public static let legacyConfirm: [UInt8] = [0x03, 0x00, 0x00, 0x0B, 0x06, 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00]
}
