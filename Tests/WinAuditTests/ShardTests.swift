import Testing

@testable import WinAudit

/// `--shard K/N`: which hosts a slice holds must never change between runs, machines or versions, and every host is
/// in exactly one slice.
@Suite("Shards")
struct ShardTests {
  @Test func theHashIsSixtyFourBitFNV1a() {
    // The published test vectors.
    #expect(Shard.fnv1a([]) == 0xcbf2_9ce4_8422_2325)
    #expect(Shard.fnv1a(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
    #expect(Shard.fnv1a(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
  }

  /// A fixed table: if this changes, shards of a fleet audited by two winaudit versions would overlap.
  @Test func slicesAreStableAndIgnoreCase() {
    let table: [(name: String, of3: Int, of5: Int)] = [
      ("web-01", 2, 4), ("WEB-01", 2, 4), ("web-02", 3, 5), ("db-01", 1, 3), ("jump-01", 2, 4), ("kiosk-17", 2, 5),
      ("healthy-2019", 1, 4), ("nla-off", 1, 1), ("Ünïcode-host", 1, 4),
    ]
    for row in table {
      #expect(Shard.slice(of: row.name, count: 3) == row.of3, "\(row.name)")
      #expect(Shard.slice(of: row.name, count: 5) == row.of5, "\(row.name)")
    }
    #expect(Shard.slice(of: "anything", count: 1) == 1)
  }

  @Test func everyHostIsInExactlyOneSlice() throws {
    let hosts = (1...500).map { InventoryHost(name: "host-\($0)", address: "10.0.\($0 / 250).\($0 % 250)", user: "u") }
    for count in [1, 2, 3, 7, 16] {
      let slices = try (1...count).map { try Shard(index: $0, count: count).select(hosts) }
      let names = slices.flatMap { $0.map(\.name) }
      #expect(names.count == hosts.count)
      #expect(Set(names) == Set(hosts.map(\.name)))
      // Each slice keeps inventory order.
      for slice in slices {
        #expect(slice.map(\.name) == hosts.map(\.name).filter { name in slice.contains { $0.name == name } })
      }
      // And the slices are roughly even (FNV-1a spreads similar names).
      if count > 1 { #expect(slices.allSatisfy { $0.count > hosts.count / count / 2 }, "\(slices.map(\.count))") }
    }
  }

  @Test func readsKOverN() throws {
    let shard = try Shard("2/3")
    #expect(shard.index == 2)
    #expect(shard.count == 3)
    #expect(shard.description == "2/3")
    #expect(try Shard("1/1").count == 1)
  }

  @Test(arguments: [
    ("0/3", "K counts from 1 to N"), ("4/3", "K counts from 1 to N"), ("a/b", "write K/N with whole numbers"),
    ("3", "write K/N"), ("1/0", "N must be between 1 and"), ("-1/3", "K counts from 1"), ("1/3/5", "write K/N"),
    ("", "write K/N"), ("1/", "write K/N"), (" 1/3", "write K/N"), ("1/100000", "N must be between"),
    ("١/٣", "write K/N"),
  ])
  func badValuesSayWhatToWrite(text: String, message: String) {
    #expect {
      try Shard(text)
    } throws: { error in
      guard let usage = error as? UsageError else { return false }
      return usage.message.contains(message) && usage.message.hasPrefix("--shard \(text)")
    }
  }
}
