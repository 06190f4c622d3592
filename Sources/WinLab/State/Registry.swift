import Foundation

/// One registry value with its Windows type, as hand-written in a host file: `{"type": "DWORD", "value": 3389}`.
///
/// BINARY values are written as a hex string (`"value": "0A1B"`), MULTI_SZ as an array of strings.
public enum RegistryValue: Sendable, Equatable, Codable {
  case dword(UInt32)
  case qword(UInt64)
  case string(String)
  case expandString(String)
  case multiString([String])
  case binary([UInt8])

  /// The type name used in host files (`REG_` without the prefix).
  public var typeName: String {
    switch self {
    case .dword: "DWORD"
    case .qword: "QWORD"
    case .string: "SZ"
    case .expandString: "EXPAND_SZ"
    case .multiString: "MULTI_SZ"
    case .binary: "BINARY"
    }
  }

  /// The `RegistryValueKind` name PowerShell shows and `New-ItemProperty -PropertyType` accepts.
  public var kindName: String {
    switch self {
    case .dword: "DWord"
    case .qword: "QWord"
    case .string: "String"
    case .expandString: "ExpandString"
    case .multiString: "MultiString"
    case .binary: "Binary"
    }
  }

  /// The value as a number when it is a DWORD or QWORD.
  public var integer: Int64? {
    switch self {
    case .dword(let value): Int64(value)
    case .qword(let value): Int64(bitPattern: value)
    default: nil
    }
  }

  private enum CodingKeys: String, CodingKey { case type, value }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let type = try container.decode(String.self, forKey: .type).uppercased().replacingOccurrences(of: "REG_", with: "")
    switch type {
    case "DWORD": self = .dword(try container.decode(UInt32.self, forKey: .value))
    case "QWORD": self = .qword(try container.decode(UInt64.self, forKey: .value))
    case "SZ": self = .string(try container.decode(String.self, forKey: .value))
    case "EXPAND_SZ": self = .expandString(try container.decode(String.self, forKey: .value))
    case "MULTI_SZ": self = .multiString(try container.decode([String].self, forKey: .value))
    case "BINARY":
      let hex = try container.decode(String.self, forKey: .value)
      guard let bytes = Hex.bytes(hex) else {
        throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "not a hex string")
      }
      self = .binary(bytes)
    default:
      throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown type \(type)")
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(typeName, forKey: .type)
    switch self {
    case .dword(let value): try container.encode(value, forKey: .value)
    case .qword(let value): try container.encode(value, forKey: .value)
    case .string(let value), .expandString(let value): try container.encode(value, forKey: .value)
    case .multiString(let value): try container.encode(value, forKey: .value)
    case .binary(let value): try container.encode(Hex.string(value), forKey: .value)
    }
  }
}

/// A registry key's values by name (case-insensitive). An empty map is a key without values.
public typealias RegistryKey = CaseInsensitiveMap<RegistryValue>

extension CaseInsensitiveMap: PathTreeNode where Value == RegistryValue {
  public static var implied: Self { .init() }
}

/// The modelled HKEY_LOCAL_MACHINE: canonical key path (`HKLM:\SYSTEM\...`) -> values.
///
/// A key exists when it is listed or is an ancestor of a listed key. Lookups ignore case.
public typealias Registry = PathTree<RegistryKey>

extension PathTree where Node == RegistryKey {
  /// The value `name` of key `path` (any path spelling `RegistryPath.canonical` accepts).
  public func value(_ path: String, _ name: String) -> RegistryValue? {
    guard let key = RegistryPath.canonical(path) else { return nil }
    return node(at: key)?[name]
  }

  /// The DWORD/QWORD value `name` of key `path` as a number.
  public func integer(_ path: String, _ name: String) -> Int64? { value(path, name)?.integer }

  /// Sets a value, creating the key if needed.
  public mutating func setValue(_ path: String, _ name: String, _ value: RegistryValue) {
    guard let key = RegistryPath.canonical(path) else { return }
    if !exists(key) { set(key, .init()) }
    update(key) { $0[name] = value }
  }

  /// Removes a value if present.
  public mutating func removeValue(_ path: String, _ name: String) {
    guard let key = RegistryPath.canonical(path), exists(key) else { return }
    update(key) { $0.removeValue(forKey: name) }
  }
}

/// Parses the registry path spellings PowerShell accepts into the canonical `HKLM:\...` form.
public enum RegistryPath {
  static let prefixes = [
    "Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE", "Registry::HKEY_LOCAL_MACHINE", "Registry::HKLM",
    "HKEY_LOCAL_MACHINE", "HKLM:",
  ]

  /// `HKLM:\A\B` for `HKLM:\A\B\`, `hklm:/a/b`, `Registry::HKEY_LOCAL_MACHINE\A\B`...; nil for anything else.
  public static func canonical(_ path: String) -> String? {
    for prefix in prefixes where path.lowercased().hasPrefix(prefix.lowercased()) {
      let rest = path.dropFirst(prefix.count)
      guard rest.isEmpty || rest.first == "\\" || rest.first == "/" || prefix == "HKLM:" else { continue }
      let parts = rest.split(whereSeparator: { $0 == "\\" || $0 == "/" }).map(String.init)
      return (["HKLM:"] + parts).joined(separator: "\\")
    }
    return nil
  }

  /// `Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\A\B`, the PSPath of a canonical key.
  public static func providerPath(_ canonical: String) -> String {
    "Microsoft.PowerShell.Core\\Registry::" + nativePath(canonical)
  }

  /// `HKEY_LOCAL_MACHINE\A\B`, the key's Name as Get-Item shows it.
  public static func nativePath(_ canonical: String) -> String {
    "HKEY_LOCAL_MACHINE" + canonical.dropFirst("HKLM:".count)
  }
}

/// Hex conversion for BINARY registry values and thumbprints.
public enum Hex {
  public static func string(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02X", $0) }.joined()
  }

  public static func bytes(_ text: String) -> [UInt8]? {
    let digits = text.filter { !$0.isWhitespace && $0 != "-" && $0 != ":" && $0 != "," }
    guard digits.count % 2 == 0 else { return nil }
    var result: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
      let next = digits.index(index, offsetBy: 2)
      guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
      result.append(byte)
      index = next
    }
    return result
  }
}
