import Foundation

/// The journal stores what a host printed (a step's target read back after it) as the loose JSON tree the audit reads
/// facts into, so it is Codable; typed states are decoded from it.
extension FactValue: Codable {
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public init(from decoder: any Decoder) throws {
    if let keyed = try? decoder.container(keyedBy: Key.self) {
      let pairs = try keyed.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
        FactPair($0.stringValue, try keyed.decode(FactValue.self, forKey: $0))
      }
      self = .object(pairs)
      return
    }
    if var unkeyed = try? decoder.unkeyedContainer() {
      var items: [FactValue] = []
      while !unkeyed.isAtEnd { items.append(try unkeyed.decode(FactValue.self)) }
      self = .array(items)
      return
    }
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .null
    } else if let value = try? single.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? single.decode(Int64.self) {
      self = .int(value)
    } else if let value = try? single.decode(Double.self) {
      self = .double(value)
    } else {
      self = .string(try single.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .object(let pairs):
      var keyed = encoder.container(keyedBy: Key.self)
      for pair in pairs { try keyed.encode(pair.value, forKey: Key(stringValue: pair.key)) }
    case .array(let items):
      var unkeyed = encoder.unkeyedContainer()
      for item in items { try unkeyed.encode(item) }
    case .null:
      var single = encoder.singleValueContainer()
      try single.encodeNil()
    case .bool(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    case .int(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    case .double(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    case .string(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    }
  }
}

extension FactValue {
  /// The value decoded as a typed state (a read's result as the state of a step), or nil when it does not fit.
  func decode<T: Decodable>(as type: T.Type) -> T? {
    guard let data = try? JSONEncoder().encode(self) else { return nil }
    return try? JSONDecoder().decode(type, from: data)
  }

  /// Text for strings, numbers and booleans (PowerShell turns all of them into text the same way); nil otherwise.
  var asText: String? {
    switch self {
    case .string(let text): return text
    case .int, .double: return display
    case .bool(let value): return value ? "True" : "False"
    default: return nil
    }
  }

  /// A whole number from an integer, a whole double or numeric text.
  var asInt: Int64? {
    guard let number, number.rounded() == number, abs(number) < 9e15 else { return nil }
    return Int64(number)
  }

  /// Compact JSON with sorted keys, for comparing states and printing them.
  var compactJSON: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
  }
}
