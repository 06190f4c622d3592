/// `--shard K/N`: the K-th of N slices of the inventory, so that N machines (a Kubernetes Indexed Job, AWX job
/// slices) each audit part of a fleet and `winaudit report merge` joins their reports.
///
/// A host's slice depends on its name alone: FNV-1a (64 bit) of the lower-cased name's UTF-8 bytes, modulo N, plus 1.
/// It is stable across runs, machines and winaudit versions (Swift's `Hasher` is seeded per process and would not
/// be), case-insensitive as Windows host names are, and independent of the inventory's order, so adding or removing
/// a host never moves the others. Every host is in exactly one slice; a slice may be empty.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
  /// Which slice, counting from 1.
  public let index: Int
  /// How many slices.
  public let count: Int

  /// More slices than this is a typing error rather than a plan (each slice is a machine).
  public static let maximumCount = 10_000

  public init(index: Int, count: Int) throws(UsageError) {
    guard (1...Self.maximumCount).contains(count) else {
      throw UsageError("--shard \(index)/\(count): N must be between 1 and \(Self.maximumCount)")
    }
    guard (1...count).contains(index) else {
      throw UsageError("--shard \(index)/\(count): K counts from 1 to N; use 1/\(count) to \(count)/\(count)")
    }
    self.index = index
    self.count = count
  }

  /// Reads `K/N` as typed on the command line.
  public init(_ text: String) throws(UsageError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) })
    else {
      throw UsageError("--shard \(text): write K/N with whole numbers, K from 1 to N (e.g. --shard 2/5)")
    }
    try self.init(index: index, count: count)
  }

  public var description: String { "\(index)/\(count)" }

  /// The slice (1...count) `name` belongs to.
  public static func slice(of name: String, count: Int) -> Int {
    Int(fnv1a(Array(name.lowercased().utf8)) % UInt64(max(1, count))) + 1
  }

  /// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
  static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  public func contains(_ name: String) -> Bool {
    Self.slice(of: name, count: count) == index
  }

  /// The hosts of this slice, in the order given.
  public func select(_ hosts: [InventoryHost]) -> [InventoryHost] {
    hosts.filter { contains($0.name) }
  }
}
