import Foundation

/// capture.json as `winaudit capture` writes it (capture schema 1): the raw answers of the collector's queries, with
/// the cmdlets' own property names. Decoded leniently (what a query could not answer is null or absent); what the
/// import needs and does not find is reported by `CaptureImport`, never filled in.
struct CaptureDocument: Decodable {
  var capture: Int
  var capturedAt: String?
  var host: Host
  var kinds: [String]?
  var os: OperatingSystem?
  var registry: [RegistryEntry]?
  var firewallRules: FirewallSection?
  var firewallProfiles: [FirewallProfile]?
  var connectionProfiles: [ConnectionProfile]?
  var services: [ServiceEntry]?
  var win32Services: [Win32Service]?
  var tcpListeners: [Listener]?
  var terminalSettings: [TerminalSetting]?
  var certificateStores: [CertificateStore]?
  var paths: [PathEntry]?
  var userRights: UserRightsExport?
  var domainMembership: DomainSection?
  var localGroups: [LocalGroupEntry]?
  var errors: [QueryError]?

  struct Host: Decodable {
    var computerName: String?
    var user: String?
    var userSid: String?
    var elevated: Bool?
    var powershellVersion: String?
    var programData: String?
    var windir: String?
  }

  struct OperatingSystem: Decodable {
    var Caption: String?
    var Version: String?
    var BuildNumber: String?
    var OSLanguage: Int?
  }

  struct RegistryEntry: Decodable {
    var path: String
    var name: String
    var exists: Bool
    var type: String?
    var value: RawValue?
  }

  /// A registry value as `ConvertTo-Json` wrote it: a number, text (binary as hex) or a list of text.
  enum RawValue: Decodable {
    case number(Int64)
    case text(String)
    case texts([String])

    init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let number = try? container.decode(Int64.self) {
        self = .number(number)
      } else if let big = try? container.decode(UInt64.self) {
        self = .number(Int64(bitPattern: big))
      } else if let text = try? container.decode(String.self) {
        self = .text(text)
      } else {
        self = .texts(try container.decode([String].self))
      }
    }
  }

  struct FirewallSection: Decodable {
    var rules: [FirewallRuleEntry]?
  }

  struct FirewallRuleEntry: Decodable {
    var Name: String
    var DisplayName: String?
    var Group: String?
    var DisplayGroup: String?
    var Enabled: String?
    var Profile: String?
    var Direction: String?
    var Action: String?
    var PolicyStoreSourceType: String?
    var `Protocol`: String?
    var LocalPort: [String]?
    var RemoteAddress: [String]?
    var Program: String?
    var Service: String?
  }

  struct FirewallProfile: Decodable {
    var Name: String
    var Enabled: String?
    var DefaultInboundAction: String?
    var AllowInboundRules: String?
    var AllowLocalFirewallRules: String?
  }

  struct ConnectionProfile: Decodable {
    var Name: String?
    var InterfaceAlias: String?
    var InterfaceIndex: Int?
    var NetworkCategory: String?
    var IPv4Connectivity: String?
  }

  struct ServiceEntry: Decodable {
    var query: String
    var exists: Bool
    var Name: String?
    var DisplayName: String?
    var Status: String?
    var StartType: String?
  }

  struct Win32Service: Decodable {
    var Name: String
    var State: String?
    var StartMode: String?
    var StartName: String?
    var ProcessId: Int?
  }

  struct Listener: Decodable {
    var LocalAddress: String?
    var LocalPort: Int
    var OwningProcess: Int
  }

  struct TerminalSetting: Decodable {
    var TerminalName: String?
    var SSLCertificateSHA1Hash: String?
    var SSLCertificateSHA1HashType: Int?
    var UserAuthenticationRequired: Int64?
    var SecurityLayer: Int64?
    var MinEncryptionLevel: Int64?
    var PolicySourceUserAuthenticationRequired: Int?
    var PolicySourceSecurityLayer: Int?
    var PolicySourceMinEncryptionLevel: Int?
  }

  struct CertificateStore: Decodable {
    var store: String
    var exists: Bool
    var certificates: [CertificateEntry]?
  }

  struct CertificateEntry: Decodable {
    var Thumbprint: String
    var Subject: String?
    var Issuer: String?
    var FriendlyName: String?
    var NotBefore: String?
    var NotAfter: String?
    var HasPrivateKey: Bool?
    var keyStorage: String?
    var keyContainer: String?
    var keyError: String?
    var keyFile: String?
    var keyFileExists: Bool?
    var keyFileSddl: String?
    var keyFileAclError: String?
  }

  struct PathEntry: Decodable {
    var template: String?
    var path: String
    var exists: Bool
    var container: Bool?
    var sddl: String?
  }

  struct UserRightsExport: Decodable {
    var folder: String?
    var lines: [String]?
  }

  struct DomainSection: Decodable {
    var PartOfDomain: Bool
    var Domain: String?
    var Workgroup: String?
    var SecureChannel: Bool?
  }

  struct LocalGroupEntry: Decodable {
    var SID: String
    var Exists: Bool
    var Members: [Member]?

    struct Member: Decodable {
      var SID: String?
      var Name: String?
      var Domain: String?
    }
  }

  struct QueryError: Decodable {
    var query: String?
    var message: String?
  }

  /// The kinds the capture was asked to read (all of them when the document does not say).
  func captured(_ kind: String) -> Bool { kinds?.contains(kind) ?? true }

  /// What the host said when the queries matching `prefix` failed, for an error message.
  func failure(_ prefix: String) -> String? {
    (errors ?? []).first { ($0.query ?? "").hasPrefix(prefix) }.map { $0.message ?? "failed" }
  }
}
