import Testing

@testable import WinLab

/// A fleet larger than one /24 spreads over the following prefixes, so `winlab up` can start 1,000 hosts at once.
@Suite("lab host addresses")
struct LabAddressTests {
  @Test(arguments: [
    (0, "127.0.40.1"), (253, "127.0.40.254"), (254, "127.0.41.1"), (507, "127.0.41.254"), (999, "127.0.43.238"),
  ])
  func numbersPastOnePrefix(index: Int, address: String) {
    #expect(LabFleet.hostAddress(nil, index: index, prefix: "127.0.40") == address)
  }

  @Test func fleetFileAddressesWinWithoutAPrefix() {
    #expect(LabFleet.hostAddress("127.0.9.9", index: 300, prefix: nil) == "127.0.9.9")
    #expect(LabFleet.hostAddress(nil, index: 254, prefix: nil) == "127.0.11.1")
    #expect(LabFleet.hostAddress("127.0.9.9", index: 0, prefix: "127.0.50") == "127.0.50.1")
  }

  @Test func refusesPrefixesItCannotNumberFrom() throws {
    try LabFleet.checkAddressPrefix("127.0.40", hostCount: 1000)
    try LabFleet.checkAddressPrefix(nil, hostCount: 100_000)
    #expect(throws: LabShellError.self) { try LabFleet.checkAddressPrefix("127.0.254", hostCount: 600) }
    #expect(throws: LabShellError.self) { try LabFleet.checkAddressPrefix("127.0", hostCount: 1) }
    #expect(throws: LabShellError.self) { try LabFleet.checkAddressPrefix("127.0.x", hostCount: 1) }
    #expect(throws: LabShellError.self) { try LabFleet.checkAddressPrefix("127.0.300", hostCount: 1) }
  }
}
