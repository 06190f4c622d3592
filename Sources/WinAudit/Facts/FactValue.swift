import Foundation

/// A JSON value as the collector printed it, decoded tolerantly: Windows PowerShell 5.1 writes whole numbers as
/// integers or doubles depending on the .NET type, `null` for missing values, and objects in insertion order.
///
/// Facts are kept as this loose tree (rather than one Swift struct per fact kind) so that a host running an older or
/// newer collector, or one that failed half-way, still decodes and each control reports what it could not find.
public enum FactValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case array([FactValue])
  /// Key/value pairs in the order the collector wrote them.
  case object([FactPair])

  /// One member of an object.
  public struct FactPair: Sendable, Hashable {
    public var key: String
    public var value: FactValue

    public init(_ key: String, _ value: FactValue) {
      self.key = key
      self.value = value
    }
  }

  /// The member named `key` of an object (case-insensitive, as PowerShell property names are), else nil.
  public subscript(key: String) -> FactValue? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.key == key }?.value ?? pairs.first { $0.key.lowercased() == key.lowercased() }?.value
  }

  public var isNull: Bool { self == .null }

  public var string: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  public var bool: Bool? {
    switch self {
    case .bool(let value): return value
    case .string(let text) where text.lowercased() == "true": return true
    case .string(let text) where text.lowercased() == "false": return false
    default: return nil
    }
  }

  /// The value as a number: integers, doubles and numeric strings (registry values arrive as all three).
  public var number: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .double(let value): return value
    case .string(let text): return Double(text.trimmingCharacters(in: .whitespaces))
    default: return nil
    }
  }

  public var array: [FactValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  /// The value as a list: an array as is, null as empty, anything else as one element (5.1 unwraps one-element
  /// arrays in some places; treating both shapes alike makes the checks robust to it).
  public var list: [FactValue] {
    switch self {
    case .array(let items): return items
    case .null: return []
    default: return [self]
    }
  }
}

extension FactValue {
  /// Loose equality for comparing a fact with a playbook value: numbers compare numerically (3389 == 3389.0 ==
  /// "3389"), text case-insensitively (Windows names are), arrays element by element.
  public func matches(_ other: FactValue) -> Bool {
    switch (self, other) {
    case (.null, .null): return true
    case (.null, _), (_, .null): return false
    case (.bool(let a), _): return other.bool == a
    case (_, .bool(let b)): return bool == b
    case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
    case (.object, _), (_, .object), (.array, _), (_, .array): return self == other
    default:
      if case .string(let a) = self, case .string(let b) = other {
        return a.lowercased() == b.lowercased()
      }
      if let a = number, let b = other.number { return a == b }
      return display.lowercased() == other.display.lowercased()
    }
  }

  /// How a value is shown in reports: text without quotes, whole numbers without `.0`, lists as `[a, b]`.
  public var display: String {
    switch self {
    case .null: return "absent"
    case .bool(let value): return value ? "true" : "false"
    case .int(let value): return String(value)
    case .double(let value):
      if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
      return String(value)
    case .string(let text): return text
    case .array(let items): return "[" + items.map(\.display).joined(separator: ", ") + "]"
    case .object(let pairs): return "{" + pairs.map { "\($0.key): \($0.value.display)" }.joined(separator: ", ") + "}"
    }
  }
}
