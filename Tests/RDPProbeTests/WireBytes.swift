/// Connection Confirms written out byte by byte from MS-RDPBCGR 2.2.1.2, independent of the module's encoder.
enum WireBytes {
  static func selected(_ selected: UInt32, flags: UInt8 = 0) -> [UInt8] {
    header + [0x02, flags, 0x08, 0x00] + littleEndian(selected)
  }

  static func failure(_ code: UInt32) -> [UInt8] {
    header + [0x03, 0x00, 0x08, 0x00] + littleEndian(code)
  }

  /// The 11-byte answer of a server that ignores negotiation.
  static let legacy: [UInt8] = [0x03, 0x00, 0x00, 0x0B, 0x06, 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00]

  /// TPKT (length 19), X.224 LI 14, CC code, DST-REF, SRC-REF 0x1234, class 0.
  static let header: [UInt8] = [0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00]

  static func littleEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
  }
}
