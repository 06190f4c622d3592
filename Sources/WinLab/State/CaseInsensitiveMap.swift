/// A string-keyed map that looks keys up case-insensitively but keeps the case they were first written with.
///
/// Windows compares registry keys, value names, file paths and service names without regard to case, yet shows
/// them as they were created; this map gives the host state the same behaviour. It encodes as a JSON object.
public struct CaseInsensitiveMap<Value: Sendable & Equatable>: Sendable, Equatable {
  private var storage: [String: Entry] = [:]

  private struct Entry: Sendable, Equatable {
    var key: String
    var value: Value
  }

  public init() {}

  public init(_ pairs: [(String, Value)]) {
    for (key, value) in pairs { self[key] = value }
  }

  /// The value for `key` in any case; setting keeps the stored spelling of an existing key.
  public subscript(key: String) -> Value? {
    get { storage[key.lowercased()]?.value }
    set {
      let folded = key.lowercased()
      if let newValue {
        storage[folded] = Entry(key: storage[folded]?.key ?? key, value: newValue)
      } else {
        storage[folded] = nil
      }
    }
  }

  /// The stored spelling of `key`, if present.
  public func storedKey(_ key: String) -> String? { storage[key.lowercased()]?.key }

  public func contains(_ key: String) -> Bool { storage[key.lowercased()] != nil }

  /// Keys in their stored spelling, sorted case-insensitively for deterministic output.
  public var keys: [String] {
    storage.values.map(\.key).sorted { $0.lowercased() < $1.lowercased() }
  }

  /// Key/value pairs sorted like `keys`.
  public var entries: [(key: String, value: Value)] {
    storage.values.sorted { $0.key.lowercased() < $1.key.lowercased() }.map { ($0.key, $0.value) }
  }

  public var isEmpty: Bool { storage.isEmpty }
  public var count: Int { storage.count }

  @discardableResult
  public mutating func removeValue(forKey key: String) -> Value? {
    storage.removeValue(forKey: key.lowercased())?.value
  }

  /// Removes every entry whose key matches `predicate`.
  public mutating func removeAll(where predicate: (String) -> Bool) {
    storage = storage.filter { !predicate($0.value.key) }
  }

  /// Renames a key, keeping its value; the new spelling is stored as given.
  public mutating func rename(_ key: String, to newKey: String) {
    guard let value = removeValue(forKey: key) else { return }
    storage[newKey.lowercased()] = Entry(key: newKey, value: value)
  }
}

extension CaseInsensitiveMap: Codable where Value: Codable {
  public init(from decoder: Decoder) throws {
    let plain = try [String: Value](from: decoder)
    self.init()
    for (key, value) in plain {
      if contains(key) {
        throw DecodingError.dataCorrupted(
          .init(codingPath: decoder.codingPath, debugDescription: "key '\(key)' appears twice (keys ignore case)"))
      }
      self[key] = value
    }
  }

  public func encode(to encoder: Encoder) throws {
    var plain: [String: Value] = [:]
    for entry in storage.values { plain[entry.key] = entry.value }
    try plain.encode(to: encoder)
  }
}
