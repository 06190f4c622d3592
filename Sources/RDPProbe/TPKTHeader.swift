/// The 4-byte TPKT header (RFC 1006) that frames every X.224 PDU, checked before any byte of the body is kept.
///
/// Checking the header first is what bounds the probe: a listener that announces 65535 bytes, or speaks TLS or HTTP
/// on the port, is judged from its first four bytes instead of being waited for or buffered.
enum TPKTHeader {
  /// The longest Connection Confirm accepted. A real one is 11 or 19 bytes; anything near this is not RDP.
  static let maximumLength = 512
  /// The shortest X.224 PDU a server may send (MS-RDPBCGR 3.3.5.3.1): TPKT plus a 7-byte X.224 header.
  static let minimumLength = 11

  /// The announced total length, or nil while fewer than 4 bytes are there; throws as soon as a byte is wrong.
  static func length(of bytes: some Collection<UInt8>) throws(MalformedAnswer) -> Int? {
    var iterator = bytes.makeIterator()
    guard let version = iterator.next() else { return nil }
    guard version == 0x03 else { throw MalformedAnswer(reason: "TPKT version \(hex(version))\(hint(version))") }
    guard iterator.next() != nil, let high = iterator.next(), let low = iterator.next() else { return nil }
    let length = Int(high) << 8 | Int(low)
    guard length <= maximumLength else {
      throw MalformedAnswer(reason: "TPKT length \(length) exceeds the \(maximumLength)-byte limit")
    }
    guard length >= minimumLength else {
      throw MalformedAnswer(reason: "TPKT length \(length) is below the \(minimumLength)-byte minimum")
    }
    return length
  }

  /// What a wrong first byte most likely is: the usual suspects on a port that is not RDP.
  private static func hint(_ version: UInt8) -> String {
    switch version {
    case 0x16: " (a TLS record, not RDP)"
    case 0x15: " (a TLS alert, not RDP)"
    case 0x20...0x7E: " (text '\(Character(Unicode.Scalar(version)))', not RDP)"
    default: ""
    }
  }
}

/// `0x0A`: one byte as the protocol documents write it.
func hex(_ byte: UInt8) -> String {
  let digits = String(byte, radix: 16, uppercase: true)
  return "0x" + (digits.count < 2 ? "0" + digits : digits)
}
