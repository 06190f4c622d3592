import Testing

@testable import RDPProbe

@Suite struct ConnectionConfirmTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: ConnectionConfirm
    var testDescription: String { name }
  }

  static let answers: [Case] = [
    Case(name: "selected standard RDP", bytes: WireBytes.selected(0), expected: .selected(protocol: 0, flags: 0)),
    Case(name: "selected TLS", bytes: WireBytes.selected(1), expected: .selected(protocol: 1, flags: 0)),
    Case(
      name: "selected CredSSP, Restricted Admin", bytes: WireBytes.selected(2, flags: 0x08),
      expected: .selected(protocol: 2, flags: 0x08)),
    Case(
      name: "selected CredSSP early auth, Remote Credential Guard", bytes: WireBytes.selected(8, flags: 0x10),
      expected: .selected(protocol: 8, flags: 0x10)),
    Case(
      name: "selected CredSSP, both flags", bytes: WireBytes.selected(2, flags: 0x1F),
      expected: .selected(protocol: 2, flags: 0x1F)),
    Case(name: "failure 1", bytes: WireBytes.failure(1), expected: .failure(code: 1)),
    Case(name: "failure 2", bytes: WireBytes.failure(2), expected: .failure(code: 2)),
    Case(name: "failure 3", bytes: WireBytes.failure(3), expected: .failure(code: 3)),
    Case(name: "failure 4", bytes: WireBytes.failure(4), expected: .failure(code: 4)),
    Case(name: "failure 5", bytes: WireBytes.failure(5), expected: .failure(code: 5)),
    Case(name: "failure 6", bytes: WireBytes.failure(6), expected: .failure(code: 6)),
    Case(name: "unknown failure 9", bytes: WireBytes.failure(9), expected: .failure(code: 9)),
    Case(
      name: "failure code using all four bytes", bytes: WireBytes.failure(0xDEAD_BEEF),
      expected: .failure(code: 0xDEAD_BEEF)),
    Case(name: "legacy 11 bytes", bytes: WireBytes.legacy, expected: .legacy),
  ]

  @Test(arguments: answers)
  func parsesAnswer(_ answer: Case) throws {
    #expect(try ConnectionConfirm(bytes: answer.bytes) == answer.expected)
  }

  struct Bad: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var reason: String
    var testDescription: String { name }
  }

  static let malformed: [Bad] = [
    Bad(name: "empty", bytes: [], reason: "truncated: 0 of 4 bytes of the TPKT header"),
    Bad(name: "short header", bytes: [0x03, 0x00], reason: "truncated: 2 of 4 bytes of the TPKT header"),
    Bad(name: "truncated", bytes: Array(WireBytes.failure(5).prefix(7)), reason: "truncated: 7 of 19 bytes"),
    Bad(
      name: "oversized TPKT length", bytes: [0x03, 0x00, 0xFF, 0xFF] + Array(repeating: 0, count: 15),
      reason: "TPKT length 65535 exceeds the 512-byte limit"),
    Bad(
      name: "TPKT length below minimum", bytes: [0x03, 0x00, 0x00, 0x07, 0x02, 0xD0, 0x00],
      reason: "TPKT length 7 is below the 11-byte minimum"),
    Bad(
      name: "TLS record", bytes: [0x16, 0x03, 0x01, 0x00, 0x2A, 0x02, 0x00],
      reason: "TPKT version 0x16 (a TLS record, not RDP)"),
    Bad(
      name: "HTTP text", bytes: Array("HTTP/1.1 400 Bad Request\r\n".utf8),
      reason: "TPKT version 0x48 (text 'H', not RDP)"),
    Bad(name: "garbage", bytes: [0xDE, 0xAD, 0xBE, 0xEF], reason: "TPKT version 0xDE"),
    Bad(
      name: "data TPDU instead of CC",
      bytes: [0x03, 0x00, 0x00, 0x13, 0x0E, 0xF0] + Array(WireBytes.failure(5).dropFirst(6)),
      reason: "not a Connection Confirm (code 0xF0)"),
    Bad(
      name: "connection request echoed", bytes: ConnectionRequest.bytes(requesting: .tls),
      reason: "not a Connection Confirm (code 0xE0)"),
    Bad(
      name: "unknown negotiation type",
      bytes: Array(WireBytes.header) + [0x09, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00],
      reason: "unknown negotiation type 0x09"),
    Bad(
      name: "negotiation request type sent back",
      bytes: Array(WireBytes.header) + [0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00],
      reason: "unknown negotiation type 0x01"),
    Bad(
      name: "negotiation length 12",
      bytes: Array(WireBytes.header) + [0x02, 0x00, 0x0C, 0x00, 0x01, 0x00, 0x00, 0x00],
      reason: "negotiation length 12 (8 expected)"),
    Bad(
      name: "negotiation length 0x0800 (big-endian by mistake)",
      bytes: Array(WireBytes.header) + [0x02, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00],
      reason: "negotiation length 2048 (8 expected)"),
    Bad(
      name: "19 bytes whose TPKT length says 11",
      bytes: [0x03, 0x00, 0x00, 0x0B] + Array(WireBytes.selected(1).dropFirst(4)),
      reason: "19 bytes for a TPKT length of 11"),
    Bad(
      name: "first 11 bytes of a confirm whose TPKT length says 11",
      bytes: Array(([0x03, 0x00, 0x00, 0x0B] + Array(WireBytes.selected(1).dropFirst(4))).prefix(11)),
      reason: "X.224 length indicator 14 does not fit the TPKT length 11 (expected 6)"),
    Bad(
      name: "15-byte confirm",
      bytes: [0x03, 0x00, 0x00, 0x0F, 0x0A, 0xD0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x08, 0x00],
      reason: "Connection Confirm of 15 bytes (11 or 19 expected)"),
  ]

  @Test(arguments: malformed)
  func rejectsMalformed(_ bad: Bad) {
    #expect(throws: MalformedAnswer(reason: bad.reason)) {
      try ConnectionConfirm(bytes: bad.bytes)
    }
  }

  @Test func failureMeaningsAreDocumentedForOneToSix() {
    for code in UInt32(1)...6 {
      #expect(ConnectionConfirm.failure(code: code).failureMeaning?.isEmpty == false)
    }
    #expect(ConnectionConfirm.failure(code: 5).failureMeaning?.contains("CredSSP") == true)
    #expect(ConnectionConfirm.failure(code: 3).failureMeaning?.contains("certificate") == true)
    #expect(ConnectionConfirm.failure(code: 0).failureMeaning == nil)
    #expect(ConnectionConfirm.failure(code: 9).failureMeaning == nil)
    #expect(ConnectionConfirm.selected(protocol: 1, flags: 0).failureMeaning == nil)
    #expect(ConnectionConfirm.legacy.failureMeaning == nil)
  }

  @Test func onlyTLSAndCredSSPSelectionsStartTLS() {
    #expect(ConnectionConfirm.selected(protocol: 1, flags: 0).selectsTLS)
    #expect(ConnectionConfirm.selected(protocol: 2, flags: 0x08).selectsTLS)
    #expect(ConnectionConfirm.selected(protocol: 8, flags: 0).selectsTLS)
    #expect(!ConnectionConfirm.selected(protocol: 0, flags: 0).selectsTLS)
    #expect(!ConnectionConfirm.failure(code: 1).selectsTLS)
    #expect(!ConnectionConfirm.legacy.selectsTLS)
  }
}
