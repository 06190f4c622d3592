/// What the collector script reports about one host: the decoded facts JSON document.
///
/// Facts JSON schema, version 1 (one line on stdout, written by `ConvertTo-Json -Depth 10 -Compress`):
///
///     {
///       "schema": 1,                       // bumped on any incompatible change
///       "collector": "winaudit",
///       "host": {
///         "computerName": "WIN-01",
///         "user": "WIN-01\\Administrator", "elevated": true,  // who ran it; not elevated: nothing is collected
///         "os": {"caption": "...", "version": "10.0.17763", "build": 17763, "powershellVersion": "5.1.17763.1"},
///         "machineGuid": "...",
///         "errors": ["os: <PowerShell message>"]   // host identity parts that could not be read
///       },
///       "facts": {
///         "<fact id>": {"kind": "<fact kind>", "ok": true, "value": <kind-specific value>},
///         "<fact id>": {"kind": "<fact kind>", "ok": false, "value": null,
///                       "error": "<PowerShell message>", "errorId": "<FullyQualifiedErrorId>"}
///       }
///     }
///
/// Values by kind (see README "Facts JSON"): `registry` {path, name, exists, value, policy: {path, name, exists,
/// value} | null, effective, source: "group-policy" | "local" | "absent"}; `firewallRules` {rules: [{name,
/// displayName, group, enabled, profile, direction, action, protocol, localPort: [..]}], missing: [names]};
/// `networkProfiles` {profiles: [{interfaceAlias, networkCategory}]}; `tcpListener` {port, listeners: [{address,
/// port, processId, services: [..]}]}; `service` {name, exists, status, startType}; `certificates` {store, exists,
/// certificates: [{thumbprint, subject, issuer, notBefore, notAfter (ISO-8601 'o'), hasPrivateKey,
/// privateKeyReadable, privateKeyError, keyContainer}]}; `terminalSettings` {terminalName, certificateThumbprint,
/// certificateType, userAuthenticationRequired, securityLayer, minEncryptionLevel, policySource...}; `path` {path,
/// exists, sddl}; `os` as host.os; `machineGuid` a string. Registry binary values are upper-case hex text, multi-string
/// values arrays of text.
///
/// Decoding tolerates what Windows PowerShell 5.1 prints: a byte-order mark, numbers as integers or doubles, `null`,
/// stray lines before the document (only the last line starting with `{` is read).
struct FactsDocument: Sendable, Hashable {
  /// The schema version this winaudit writes and reads.
  static let schemaVersion = 1

  var schema: Int
  var host: HostFacts
  /// Results by fact id.
  var facts: [String: FactResult]

  init(schema: Int = FactsDocument.schemaVersion, host: HostFacts, facts: [String: FactResult]) {
    self.schema = schema
    self.host = host
    self.facts = facts
  }

  /// Decodes the collector's stdout.
  static func decode(stdout: String) throws(FactsDecodingError) -> FactsDocument {
    var stdout = stdout
    let line = stdout.withUTF8 { Self.lastDocumentLine(in: $0) }
    guard let line else { throw FactsDecodingError("the collector printed no JSON document") }
    return try decode(FactValue.parseJSON(line))
  }

  /// The bytes of the last line that starts with `{` (after spaces, tabs and a byte-order mark), read as bytes: lines
  /// end at LF or CR only, so a U+2028 inside a JSON string (JSON allows it raw) does not cut the document, and a
  /// 10 KB document is not walked character by character (that walk and the old scanner were a quarter of a 300-host
  /// audit's client instructions).
  static func lastDocumentLine(in bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    var end = bytes.count
    while end > 0 {
      var start = end
      while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
      var first = start
      while true {
        if first < end, bytes[first] == 0x20 || bytes[first] == 0x09 {
          first += 1
        } else if first + 2 < end, bytes[first] == 0xEF, bytes[first + 1] == 0xBB, bytes[first + 2] == 0xBF {
          first += 3
        } else {
          break
        }
      }
      if first < end, bytes[first] == UInt8(ascii: "{") { return Array(bytes[first..<end]) }
      end = start - 1
    }
    return nil
  }

  /// Decodes an already parsed document.
  static func decode(_ root: FactValue) throws(FactsDecodingError) -> FactsDocument {
    guard case .object = root else { throw FactsDecodingError("the facts document is not a JSON object") }
    // Numbers from a host are checked before they become integers: NaN, infinities and 1e300 must be errors, not traps.
    guard let schema = root["schema"]?.asInt.flatMap({ Int(exactly: $0) }) else {
      throw FactsDecodingError("the facts document has no schema version")
    }
    guard schema == schemaVersion else {
      throw FactsDecodingError(
        "the facts document has schema \(schema), this winaudit reads schema \(schemaVersion): use matching versions")
    }
    let host = HostFacts(root["host"] ?? .null)
    var facts: [String: FactResult] = [:]
    if case .object(let pairs) = root["facts"] ?? .null {
      for pair in pairs {
        facts[pair.key] = FactResult(pair.value)
      }
    }
    return FactsDocument(schema: schema, host: host, facts: facts)
  }
}

/// Who the host says it is: computer name, operating system and MachineGuid.
public struct HostFacts: Sendable, Hashable {
  public var computerName: String?
  /// The account the collector ran as (`DOMAIN\name`).
  public var user: String?
  /// Whether its token is elevated (an enabled member of Administrators, S-1-5-32-544); nil when it could not be read.
  public var elevated: Bool?
  public var caption: String?
  public var version: String?
  /// The OS build number (17763 for Server 2019), which control applicability compares against.
  public var build: Int?
  public var powershellVersion: String?
  public var machineGuid: String?
  /// Parts of the host identity that could not be read, with PowerShell's message.
  public var errors: [String]

  public init(
    computerName: String? = nil, user: String? = nil, elevated: Bool? = nil, caption: String? = nil,
    version: String? = nil, build: Int? = nil, powershellVersion: String? = nil, machineGuid: String? = nil,
    errors: [String] = []
  ) {
    self.computerName = computerName
    self.user = user
    self.elevated = elevated
    self.caption = caption
    self.version = version
    self.build = build
    self.powershellVersion = powershellVersion
    self.machineGuid = machineGuid
    self.errors = errors
  }

  init(_ value: FactValue) {
    let os = value["os"] ?? .null
    self.init(
      computerName: value["computerName"]?.string, user: value["user"]?.string, elevated: value["elevated"]?.bool,
      caption: os["caption"]?.string, version: os["version"]?.string,
      build: os["build"]?.asInt.flatMap { Int(exactly: $0) }, powershellVersion: os["powershellVersion"]?.string,
      machineGuid: value["machineGuid"]?.string, errors: (value["errors"] ?? .null).list.map(\.display))
  }
}

/// One fact's outcome on a host: its value, or why PowerShell could not read it.
enum FactResult: Sendable, Hashable {
  case value(FactValue)
  case failed(message: String, errorId: String?)

  init(_ entry: FactValue) {
    if entry["ok"]?.bool == false {
      let message = entry["error"]?.string ?? "the fact could not be collected (no message)"
      self = .failed(message: message, errorId: entry["errorId"]?.string.flatMap { $0.isEmpty ? nil : $0 })
    } else {
      self = .value(entry["value"] ?? .null)
    }
  }
}
