import Foundation

/// A PowerShell collection: `object[]` (also typed arrays such as `byte[]`), `ArrayList` or `List[object]`.
///
/// A class because .NET arrays and lists are reference types: `$b = $a; $b[0] = 1` changes `$a` too.
public final class PSArray: @unchecked Sendable {
  /// Which .NET collection this is; decides `.Add()` behaviour and `GetType()`.
  public enum Kind: Sendable, Equatable {
    /// A fixed-size .NET array; `elementType` is its element type's full name (`System.Object`, `System.Byte`...).
    case array(elementType: String)
    case arrayList
    case genericList(elementType: String)
  }

  public var items: [PSValue]
  public var kind: Kind

  public init(_ items: [PSValue] = [], kind: Kind = .array(elementType: "System.Object")) {
    self.items = items
    self.kind = kind
  }

  /// A `byte[]`.
  public static func bytes(_ bytes: [UInt8]) -> PSArray {
    PSArray(bytes.map { .byte($0) }, kind: .array(elementType: "System.Byte"))
  }

  /// A `string[]`.
  public static func strings(_ strings: [String]) -> PSArray {
    PSArray(strings.map { .string($0) }, kind: .array(elementType: "System.String"))
  }

  /// The .NET full type name (`System.Object[]`, `System.Collections.ArrayList`...).
  public var typeName: String {
    switch kind {
    case .array(let element): return element + "[]"
    case .arrayList: return "System.Collections.ArrayList"
    case .genericList(let element):
      return "System.Collections.Generic.List`1[[\(element), mscorlib, Version=4.0.0.0, Culture=neutral, "
        + "PublicKeyToken=b77a5c561934e089]]"
    }
  }

  public var isFixedSize: Bool {
    if case .array = kind { return true }
    return false
  }

  public var count: Int { items.count }

  /// The elements as bytes if every element is a number in 0...255, else nil.
  public var byteValues: [UInt8]? {
    var result: [UInt8] = []
    result.reserveCapacity(items.count)
    for item in items {
      switch item {
      case .byte(let b): result.append(b)
      case .int(let i) where i >= 0 && i <= 255: result.append(UInt8(i))
      case .long(let i) where i >= 0 && i <= 255: result.append(UInt8(i))
      default: return nil
      }
    }
    return result
  }
}

/// A `System.Collections.Hashtable` (`@{}`) or `OrderedDictionary` (`[ordered]@{}`).
///
/// Keys compare case-insensitively for strings, as PowerShell's hashtables do. Iteration keeps insertion order for
/// both kinds: real .NET Hashtable order is a hash order, which scripts must not depend on anyway.
public final class PSHashtable: @unchecked Sendable {
  public let isOrdered: Bool
  public private(set) var keys: [PSValue] = []
  public private(set) var values: [PSValue] = []
  private var index: [String: Int] = [:]

  public init(ordered: Bool = false) { self.isOrdered = ordered }

  /// The .NET full type name.
  public var typeName: String {
    isOrdered ? "System.Collections.Specialized.OrderedDictionary" : "System.Collections.Hashtable"
  }

  public var count: Int { keys.count }

  /// Key/value pairs in order.
  public var entries: [(key: PSValue, value: PSValue)] { Array(zip(keys, values)) }

  static func normalizedKey(_ key: PSValue) -> String {
    switch key {
    case .string(let s): return "s:" + s.lowercased()
    case .char(let c): return "s:" + String(c).lowercased()
    case .int(let i): return "n:\(i)"
    case .long(let i): return "n:\(i)"
    case .byte(let i): return "n:\(i)"
    case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? "n:\(Int64(d))" : "d:\(d)"
    case .bool(let b): return "b:\(b)"
    case .null: return "null"
    case .enumValue(let e): return "e:\(e.type.fullName):\(e.value)"
    case .array(let a): return "ref:\(ObjectIdentifier(a).hashValue)"
    case .hashtable(let h): return "ref:\(ObjectIdentifier(h).hashValue)"
    case .object(let o): return "ref:\(ObjectIdentifier(o).hashValue)"
    case .scriptBlock(let s): return "ref:\(ObjectIdentifier(s).hashValue)"
    case .dateTime(let d): return "t:\(d.ticks)"
    case .timeSpan(let t): return "ts:\(t.ticks)"
    case .type(let t): return "type:\(t.fullName.lowercased())"
    }
  }

  /// The value for `key`, nil when absent.
  public subscript(key: PSValue) -> PSValue? {
    get {
      guard let position = index[Self.normalizedKey(key)] else { return nil }
      return values[position]
    }
    set {
      if let newValue { set(key, newValue) } else { remove(key) }
    }
  }

  /// The value for a string key, nil when absent.
  public subscript(key: String) -> PSValue? {
    get { self[.string(key)] }
    set { self[.string(key)] = newValue }
  }

  public func containsKey(_ key: PSValue) -> Bool { index[Self.normalizedKey(key)] != nil }

  /// Adds or replaces.
  public func set(_ key: PSValue, _ value: PSValue) {
    let normalized = Self.normalizedKey(key)
    if let position = index[normalized] {
      values[position] = value
    } else {
      index[normalized] = keys.count
      keys.append(key)
      values.append(value)
    }
  }

  public func remove(_ key: PSValue) {
    guard let position = index.removeValue(forKey: Self.normalizedKey(key)) else { return }
    keys.remove(at: position)
    values.remove(at: position)
    for (name, other) in index where other > position { index[name] = other - 1 }
  }

  /// Inserts a new key at `position` (OrderedDictionary.Insert); the caller checks the key is new.
  public func insert(_ key: PSValue, _ value: PSValue, at position: Int) {
    keys.insert(key, at: position)
    values.insert(value, at: position)
    index = [:]
    for (offset, existing) in keys.enumerated() { index[Self.normalizedKey(existing)] = offset }
  }

  public func removeAll() {
    keys = []
    values = []
    index = [:]
  }

  /// A shallow copy (`.Clone()`).
  public func copy() -> PSHashtable {
    let result = PSHashtable(ordered: isOrdered)
    for (key, value) in zip(keys, values) { result.set(key, value) }
    return result
  }
}
