import Foundation

/// A PowerShell value as the interpreter and host cmdlets see it.
///
/// The cases mirror the .NET types Windows PowerShell 5.1 scripts observe: `Int32` and `Int64` stay distinct because
/// `-is [int]` and ConvertTo-Json tell them apart; collections, hashtables and objects are reference types (classes)
/// because PowerShell gives them reference semantics. Everything belongs to one runspace, which runs on one thread.
public enum PSValue: @unchecked Sendable {
  case null
  case bool(Bool)
  case int(Int32)
  case long(Int64)
  case byte(UInt8)
  case double(Double)
  case char(Character)
  case string(String)
  case dateTime(PSDateTime)
  case timeSpan(PSTimeSpan)
  case enumValue(PSEnumValue)
  /// `object[]`, `byte[]`, `string[]`, ArrayList and `List[object]`.
  case array(PSArray)
  /// `@{}` (Hashtable) and `[ordered]@{}` (OrderedDictionary).
  case hashtable(PSHashtable)
  /// PSCustomObject and typed objects (host objects, exceptions, error records...).
  case object(PSObject)
  case scriptBlock(PSScriptBlock)
  /// A type literal such as `[int]`, usable with `-is`, `-as` and `::`.
  case type(PSTypeName)
}

extension PSValue {
  /// True for `$null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// A new `object[]` holding `items`.
  public static func array(_ items: [PSValue]) -> PSValue { .array(PSArray(items)) }

  /// A new PSCustomObject with the given properties in order.
  public static func customObject(_ properties: KeyValuePairs<String, PSValue>) -> PSValue {
    let object = PSObject.customObject()
    for (name, value) in properties { object.addProperty(name, value) }
    return .object(object)
  }

  /// The PSObject if this value is an object.
  public var asObject: PSObject? {
    if case .object(let object) = self { return object }
    return nil
  }

  /// The elements if this value is a collection PowerShell enumerates in a pipeline, else nil.
  /// Hashtables and strings are not enumerated, as in PowerShell.
  public var enumeratedItems: [PSValue]? {
    if case .array(let array) = self { return array.items }
    return nil
  }
}

/// A .NET type name used as a value (`[int]`, `[System.Management.Automation.ItemNotFoundException]`).
public struct PSTypeName: Sendable, Equatable {
  /// Full .NET name, e.g. `System.Int32`.
  public var fullName: String
  /// For array types (`[byte[]]`), the element type's full name.
  public var elementType: String?

  public init(_ fullName: String, elementType: String? = nil) {
    self.fullName = fullName
    self.elementType = elementType
  }
}

/// A `System.DateTime`: ticks of 100 ns since 0001-01-01 and a kind (Local, Utc, Unspecified).
///
/// The lab models hosts whose local time zone is UTC, so Local and Utc differ only in how they print ('o' format).
public struct PSDateTime: Sendable, Equatable, Comparable {
  /// `System.DateTimeKind`.
  public enum Kind: Int, Sendable { case unspecified = 0, utc = 1, local = 2 }

  public var ticks: Int64
  public var kind: Kind
  /// Set on values produced by Get-Date: 5.1 wraps them in a PSObject with a DisplayHint note property, which
  /// ConvertTo-Json serializes as `{"value": ..., "DisplayHint": 2, "DateTime": ...}`.
  public var fromGetDate: Bool = false

  /// Ticks between 0001-01-01 and 1970-01-01.
  public static let unixEpochTicks: Int64 = 621_355_968_000_000_000

  public init(ticks: Int64, kind: Kind) {
    self.ticks = ticks
    self.kind = kind
  }

  public init(date: Date, kind: Kind = .local) {
    self.ticks = PSDateTime.unixEpochTicks + Int64((date.timeIntervalSince1970 * 10_000_000).rounded())
    self.kind = kind
  }

  /// The instant as a Foundation date.
  public var date: Date { Date(timeIntervalSince1970: Double(ticks - PSDateTime.unixEpochTicks) / 10_000_000) }

  /// Milliseconds since the Unix epoch (what 5.1's ConvertTo-Json writes in `\/Date(ms)\/`).
  public var unixMilliseconds: Int64 { (ticks - PSDateTime.unixEpochTicks) / 10_000 }

  public static func == (lhs: PSDateTime, rhs: PSDateTime) -> Bool { lhs.ticks == rhs.ticks }
  public static func < (lhs: PSDateTime, rhs: PSDateTime) -> Bool { lhs.ticks < rhs.ticks }
}

/// A `System.TimeSpan` in ticks of 100 ns.
public struct PSTimeSpan: Sendable, Equatable, Comparable {
  public var ticks: Int64
  public init(ticks: Int64) { self.ticks = ticks }
  public init(seconds: Double) {
    let ticks = (seconds * 10_000_000).rounded()
    self.ticks = ticks.isFinite ? Int64(max(-9.2e18, min(9.2e18, ticks))) : 0
  }
  public var totalSeconds: Double { Double(ticks) / 10_000_000 }
  public static func < (lhs: PSTimeSpan, rhs: PSTimeSpan) -> Bool { lhs.ticks < rhs.ticks }
}

/// A .NET enum type: its full name, members and whether it is a [Flags] enum.
///
/// Host cmdlets declare one per enum they expose (e.g. `System.ServiceProcess.ServiceControllerStatus`) so that
/// `$svc.Status -eq 'Running'` converts the string to the enum, the value prints as its name and ConvertTo-Json
/// writes its number, as in Windows PowerShell 5.1.
public final class PSEnumType: @unchecked Sendable {
  public let fullName: String
  public let members: [(name: String, value: Int64)]
  public let isFlags: Bool

  public init(fullName: String, members: [(name: String, value: Int64)], isFlags: Bool = false) {
    self.fullName = fullName
    self.members = members
    self.isFlags = isFlags
  }

  /// The enum value named `name` (case-insensitive; for flags enums a comma-separated list), nil when unknown.
  public func value(named name: String) -> PSEnumValue? {
    var total: Int64 = 0
    let parts = name.split(separator: ",")
    // Only a [Flags] enum takes a comma-separated list ('Monday, Tuesday' is not one DayOfWeek).
    if !isFlags && parts.count > 1 { return nil }
    for part in parts {
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      if let numeric = Int64(trimmed) {
        total |= numeric
        continue
      }
      guard let member = members.first(where: { $0.name.caseInsensitiveCompare(trimmed) == .orderedSame }) else {
        return nil
      }
      if !isFlags { return PSEnumValue(type: self, value: member.value) }
      total |= member.value
    }
    return PSEnumValue(type: self, value: total)
  }

  /// The value with this number.
  public func value(_ number: Int64) -> PSEnumValue { PSEnumValue(type: self, value: number) }

  /// The name .NET prints for `number` ("Domain, Private" for flags, the number when no member matches).
  public func name(of number: Int64) -> String {
    if let member = members.first(where: { $0.value == number }) { return member.name }
    if isFlags && number != 0 {
      var remaining = number
      var names: [String] = []
      for member in members.sorted(by: { $0.value > $1.value }) where member.value != 0 {
        if remaining & member.value == member.value {
          names.append(member.name)
          remaining &= ~member.value
        }
      }
      if remaining == 0 { return names.reversed().joined(separator: ", ") }
    }
    return String(number)
  }
}

/// One value of a `PSEnumType`.
public struct PSEnumValue: Sendable, Equatable {
  public let type: PSEnumType
  public let value: Int64

  public init(type: PSEnumType, value: Int64) {
    self.type = type
    self.value = value
  }

  /// The name as PowerShell prints it.
  public var name: String { type.name(of: value) }

  public static func == (lhs: PSEnumValue, rhs: PSEnumValue) -> Bool {
    lhs.type.fullName == rhs.type.fullName && lhs.value == rhs.value
  }
}
