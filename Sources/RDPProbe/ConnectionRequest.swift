/// The client's first PDU: TPKT, X.224 Connection Request and RDP_NEG_REQ (MS-RDPBCGR 2.2.1.1).
public enum ConnectionRequest {
  /// The longest user name kept in the routing cookie; the server ignores it, so more is only noise on the wire.
  static let maximumCookieNameLength = 64

  /// The request as sent on the wire: 19 bytes, plus `Cookie: mstshash=NAME\r\n` when a cookie name is given.
  ///
  /// The name is reduced to printable ASCII without spaces (so it cannot end the cookie line early or smuggle
  /// bytes) and cut to 64 characters; a name with nothing left sends no cookie.
  public static func bytes(requesting protocols: RequestedProtocols, cookie: String? = nil) -> [UInt8] {
    let cookieBytes = cookie.flatMap(cookieLine(name:)) ?? []
    let total = 19 + cookieBytes.count
    var bytes: [UInt8] = [0x03, 0x00, UInt8(total >> 8), UInt8(total & 0xFF)]
    // X.224 length indicator: the bytes after it; CR code with credit 0, DST-REF, SRC-REF, class 0.
    bytes += [UInt8(total - 5), 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00]
    bytes += cookieBytes
    let value = protocols.rawValue
    bytes += [0x01, 0x00, 0x08, 0x00]
    bytes += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    return bytes
  }

  /// `Cookie: mstshash=NAME\r\n` with the name sanitized, or nil when nothing printable is left.
  static func cookieLine(name: String) -> [UInt8]? {
    let kept = name.utf8.filter { $0 > 0x20 && $0 < 0x7F }.prefix(maximumCookieNameLength)
    guard !kept.isEmpty else { return nil }
    return Array("Cookie: mstshash=".utf8) + kept + [0x0D, 0x0A]
  }
}
