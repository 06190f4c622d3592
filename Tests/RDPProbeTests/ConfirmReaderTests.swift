import Testing

@testable import RDPProbe

@Suite struct ConfirmReaderTests {
  @Test func framesAConfirmDeliveredByteByByte() {
    var reader = ConfirmReader()
    let bytes = WireBytes.selected(2, flags: 0x08)
    for byte in bytes.dropLast() {
      #expect(reader.consume([byte]) == .needMore)
    }
    #expect(reader.consume([bytes[18]]) == .complete(bytes))
  }

  @Test func keepsOnlyThePDUWhenMoreFollows() {
    var reader = ConfirmReader()
    let bytes = WireBytes.legacy
    #expect(reader.consume(bytes + Array(repeating: 0x41, count: 10_000)) == .complete(bytes))
  }

  @Test func judgesAHugeLengthFromTheHeaderAlone() {
    var reader = ConfirmReader()
    #expect(reader.consume([0x03, 0x00]) == .needMore)
    #expect(
      reader.consume([0xFF, 0xFF, 0x00, 0x00])
        == .malformed(MalformedAnswer(reason: "TPKT length 65535 exceeds the 512-byte limit")))
  }

  @Test func judgesAWrongVersionFromTheFirstByte() {
    var reader = ConfirmReader()
    #expect(reader.consume([0x16]) == .malformed(MalformedAnswer(reason: "TPKT version 0x16 (a TLS record, not RDP)")))
  }

  @Test func waitsForTheAnnouncedLength() {
    var reader = ConfirmReader()
    let bytes = WireBytes.failure(5)
    #expect(reader.consume(bytes.prefix(7)) == .needMore)
    #expect(reader.consume(bytes.dropFirst(7)) == .complete(bytes))
  }
}
