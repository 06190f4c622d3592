import Foundation

/// Typed registry data as it is written with `New-ItemProperty -PropertyType` and read back by
/// `Read-WinAuditRegistryValue` (`{"type": "DWord", "value": 1}`; binary data as hex text).
enum RegistryData: Sendable, Hashable {
  case dword(Int64)
  case qword(Int64)
  case string(String)
  case expandString(String)
  case multiString([String])
  case binary([UInt8])

  /// The -PropertyType names, as playbooks write them.
  static let typeNames = ["DWord", "QWord", "String", "ExpandString", "MultiString", "Binary"]

  /// The -PropertyType name.
  var typeName: String {
    switch self {
    case .dword: "DWord"
    case .qword: "QWord"
    case .string: "String"
    case .expandString: "ExpandString"
    case .multiString: "MultiString"
    case .binary: "Binary"
    }
  }

  /// The value as the read function reports it.
  var readValue: FactValue {
    switch self {
    case .dword(let value), .qword(let value): .int(value)
    case .string(let value), .expandString(let value): .string(value)
    case .multiString(let values): .array(values.map(FactValue.string))
    case .binary(let bytes): .string(bytes.map { String(format: "%02X", $0) }.joined())
    }
  }

  /// Rebuilds data from a read (`type` and `value`); nil when the value does not fit the type.
  init?(type: String, value: FactValue) {
    let kind = type.lowercased()
    switch kind {
    case "dword", "qword":
      guard let number = value.asInt else { return nil }
      self = kind == "dword" ? .dword(number) : .qword(number)
    case "string", "expandstring":
      guard let text = value.string else { return nil }
      self = kind == "string" ? .string(text) : .expandString(text)
    case "multistring":
      let items = value.list.compactMap(\.asText)
      guard items.count == value.list.count else { return nil }
      self = .multiString(items)
    case "binary":
      if let hex = value.string {
        guard let bytes = Self.bytes(hex: hex) else { return nil }
        self = .binary(bytes)
      } else {
        let bytes = value.list.compactMap { $0.asInt.flatMap { (0...255).contains($0) ? UInt8($0) : nil } }
        guard bytes.count == value.list.count else { return nil }
        self = .binary(bytes)
      }
    default:
      return nil
    }
  }

  private static func bytes(hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count.isMultiple(of: 2) else { return nil }
    var bytes: [UInt8] = []
    var index = 0
    while index < digits.count {
      guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
      bytes.append(byte)
      index += 2
    }
    return bytes
  }

  /// The value as a PowerShell value for `New-ItemProperty -Value`.
  var powerShellValue: String {
    switch self {
    case .dword(let value):
      // Registry reads give DWORDs as signed 32-bit numbers; write them back the same way.
      let signed = value > Int64(Int32.max) ? value - (Int64(1) << 32) : value
      return PowerShellValue.integer(signed).code
    case .qword(let value): return PowerShellValue.integer(value).code
    case .string(let text), .expandString(let text): return PowerShellValue.literal(text).code
    case .multiString(let items): return PowerShellValue.array(items).code
    // In parentheses: as a bare command argument `[byte[]]@(...)` would be passed as text, not as bytes.
    case .binary(let bytes): return "([byte[]]@(" + bytes.map { String($0) }.joined(separator: ",") + "))"
    }
  }

  /// The value for people: `1`, `'text'`, `['a','b']`, `0x01FF`.
  var display: String {
    switch self {
    case .dword(let value), .qword(let value): String(value)
    case .string(let text), .expandString(let text): "'\(text)'"
    case .multiString(let items): "[" + items.map { "'\($0)'" }.joined(separator: ",") + "]"
    case .binary: "0x" + (readValue.string ?? "")
    }
  }
}
