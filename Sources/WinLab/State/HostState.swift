import Foundation

/// The modelled state of one Windows host: everything the lab's cmdlets read and change, one JSON file per host.
///
/// Only facts live here; behaviour that follows from them (the RDP listener, the certificate in use, effective
/// policy) is computed by the `Derived*` functions, so a hand-edited file cannot contradict itself. The MachineGuid and
/// the OpenSSH DefaultShell live only in the registry, where Windows keeps them.
public struct HostState: Sendable, Equatable, Codable {
  public var computerName: String
  public var os: OperatingSystemInfo
  /// `$PSVersionTable.PSVersion`; 5.1 when absent.
  public var powerShellVersion: String?
  /// Culture name (`en-US`, `de-DE`).
  public var locale: String
  /// The console (OEM) code page a pipe gets unless the script sets UTF-8: 437, 850...
  public var oemCodePage: Int
  /// The host's "now", for deterministic certificate expiry; the real clock when absent.
  public var clock: Date?
  public var registry: Registry
  public var firewallRules: [FirewallRule]
  /// The firewall profiles' settings in force; absent: Windows' defaults (`FirewallProfileSettings.defaults`).
  public var firewallProfiles: [FirewallProfileSettings]?
  /// User rights assignments in force (right -> SIDs) that differ from a member server's defaults
  /// (`UserRights.memberServerDefaults`); a right mapped to an empty list is held by nobody.
  public var userRights: [String: [String]]?
  /// The domain the host is joined to; absent: a workgroup host (WORKGROUP).
  public var domain: DomainMembership?
  /// Members of local groups by the group's SID; a group not listed is empty (Remote Desktop Users out of the box).
  public var localGroupMembers: [String: [GroupMember]]?
  public var networkProfiles: [NetworkConnectionProfile]
  public var services: [Service]
  /// LocalMachine certificate stores by name (`My`, `Remote Desktop`).
  public var certificates: CaseInsensitiveMap<[Certificate]>
  public var files: FileSystem
  /// Who winaudit's SSH login is on this host; absent: the built-in Administrator with an elevated token, which is
  /// what an administrator's key login over OpenSSH gets.
  public var login: LoginAccount?
  /// `Get-NetFirewallPortFilter -All` lists the filters in another order than `Get-NetFirewallRule` lists the rules,
  /// as the store may on Windows; absent or false: the same order.
  public var portFiltersOutOfOrder: Bool?

  public init(
    computerName: String, os: OperatingSystemInfo, powerShellVersion: String? = nil, locale: String = "en-US",
    oemCodePage: Int = 437, clock: Date? = nil, registry: Registry = .init(), firewallRules: [FirewallRule] = [],
    networkProfiles: [NetworkConnectionProfile] = [], services: [Service] = [],
    certificates: CaseInsensitiveMap<[Certificate]> = .init(), files: FileSystem = .init(), login: LoginAccount? = nil,
    portFiltersOutOfOrder: Bool? = nil
  ) {
    self.computerName = computerName
    self.os = os
    self.powerShellVersion = powerShellVersion
    self.locale = locale
    self.oemCodePage = oemCodePage
    self.clock = clock
    self.registry = registry
    self.firewallRules = firewallRules
    self.networkProfiles = networkProfiles
    self.services = services
    self.certificates = certificates
    self.files = files
    self.login = login
    self.portFiltersOutOfOrder = portFiltersOutOfOrder
  }

  /// The all-users, all-hosts profile of Windows PowerShell, which every powershell.exe started without -NoProfile
  /// runs first (a `shell: powershell` host's sshd starts it that way).
  public static let allUsersProfile = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\profile.ps1"

  /// The host's current time.
  public var now: Date { clock ?? Date() }

  /// `HKLM:\SOFTWARE\Microsoft\Cryptography` MachineGuid.
  public var machineGuid: String? {
    if case .string(let guid)? = registry.value(RegistryKeys.cryptography, "MachineGuid") { return guid }
    return nil
  }

  /// `HKLM:\SOFTWARE\OpenSSH` DefaultShell; absent means cmd.exe.
  public var defaultShell: String? {
    if case .string(let shell)? = registry.value(RegistryKeys.openSSH, "DefaultShell") { return shell }
    return nil
  }

  /// Whether sshd starts PowerShell rather than cmd.exe for a command.
  public var defaultShellIsPowerShell: Bool {
    defaultShell.map { $0.lowercased().hasSuffix("powershell.exe") || $0.lowercased().hasSuffix("pwsh.exe") } ?? false
  }

  /// The environment variables the host's processes see (`$env:ProgramData`, `%SystemRoot%` in REG_EXPAND_SZ...).
  public var environmentVariables: [String: String] {
    [
      "COMPUTERNAME": computerName, "SystemRoot": "C:\\Windows", "windir": "C:\\Windows", "SystemDrive": "C:",
      "ProgramData": "C:\\ProgramData", "ALLUSERSPROFILE": "C:\\ProgramData", "ProgramFiles": "C:\\Program Files",
      "USERNAME": login?.name ?? "Administrator", "USERDOMAIN": computerName,
      "USERPROFILE": "C:\\Users\\" + (login?.name ?? "Administrator"),
      "TEMP": "C:\\Windows\\Temp", "TMP": "C:\\Windows\\Temp", "OS": "Windows_NT",
      "PSModulePath": "C:\\Windows\\system32\\WindowsPowerShell\\v1.0\\Modules", "PROCESSOR_ARCHITECTURE": "AMD64",
      "NUMBER_OF_PROCESSORS": "2",
    ]
  }

  /// The effective PowerShell version string.
  public var effectivePowerShellVersion: String { powerShellVersion ?? "5.1.\(os.buildNumber).1" }

  public func service(_ name: String) -> Service? {
    services.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
  }

  /// Changes the service named `name`, if it exists.
  public mutating func updateService(_ name: String, _ change: (inout Service) -> Void) {
    guard let index = services.firstIndex(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
      return
    }
    change(&services[index])
  }

  /// The certificates of a LocalMachine store (empty when the store does not exist).
  public func certificates(in store: String) -> [Certificate] { certificates[store] ?? [] }
}

/// The account a login runs as and whether its token is elevated. A member of Administrators who logs in over OpenSSH
/// with a key gets an elevated token; any other account does not, and its Administrators group (if any) is deny-only.
public struct LoginAccount: Sendable, Equatable, Codable {
  /// The account name without the domain (`ops`).
  public var name: String
  /// The account's SID.
  public var sid: String
  public var elevated: Bool
}

/// A member of a local group as Win32_GroupUser shows it.
public struct GroupMember: Sendable, Equatable, Codable {
  public var sid: String
  public var name: String
  /// The computer name for local accounts, the domain's NetBIOS name for domain accounts, `NT AUTHORITY`...
  public var domain: String

  public init(sid: String, name: String, domain: String) {
    self.sid = sid
    self.name = name
    self.domain = domain
  }
}

/// A domain member's domain and the state of its secure channel to a domain controller.
public struct DomainMembership: Sendable, Equatable, Codable {
  /// The DNS name (`corp.example.com`).
  public var name: String
  /// Whether `Test-ComputerSecureChannel` succeeds.
  public var secureChannel: Bool

  public init(name: String, secureChannel: Bool = true) {
    self.name = name
    self.secureChannel = secureChannel
  }
}

/// Operating system facts (Win32_OperatingSystem).
public struct OperatingSystemInfo: Sendable, Equatable, Codable {
  /// `Microsoft Windows Server 2019 Datacenter`.
  public var caption: String
  /// `10.0.17763`.
  public var version: String
  /// `17763`.
  public var buildNumber: String
  /// LCID of the installation language (1033 en-US, 1031 de-DE).
  public var osLanguage: Int

  public init(caption: String, version: String, buildNumber: String, osLanguage: Int = 1033) {
    self.caption = caption
    self.version = version
    self.buildNumber = buildNumber
    self.osLanguage = osLanguage
  }
}

/// Registry key paths the lab's derived behaviour reads.
public enum RegistryKeys {
  public static let terminalServer = "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"
  public static let rdpTcp = terminalServer + "\\WinStations\\RDP-Tcp"
  public static let terminalServicesPolicy = "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services"
  public static let cryptography = "HKLM:\\SOFTWARE\\Microsoft\\Cryptography"
  public static let openSSH = "HKLM:\\SOFTWARE\\OpenSSH"
  public static let credSSP =
    "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters"
  public static let tls12Server =
    "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server"
}

extension HostState {
  /// The canonical host-file encoding: pretty, sorted keys, ISO 8601 dates, so files diff well.
  public static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
  }

  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }

  /// Decodes a host file's bytes.
  public init(json data: Data) throws(HostStateError) {
    do {
      self = try Self.decoder().decode(HostState.self, from: data)
    } catch {
      throw HostStateError(message: "not a valid host state: \(error)")
    }
  }

  /// The host file's bytes (canonical form, ending with a newline).
  public func jsonData() -> Data {
    // Encoding plain Codable values into JSON cannot fail.
    var data = (try? Self.encoder().encode(self)) ?? Data()
    data.append(0x0A)
    return data
  }

  /// Loads a host file.
  public static func load(from url: URL) throws(HostStateError) -> HostState {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw HostStateError(message: "cannot read \(url.path): \(error.localizedDescription)")
    }
    do {
      return try HostState(json: data)
    } catch {
      throw HostStateError(message: "\(url.path): \(error.message)")
    }
  }

  /// Saves the host file atomically (write to a temporary file, then rename), so a reader never sees half a file.
  public func save(to url: URL) throws(HostStateError) {
    do {
      try jsonData().write(to: url, options: .atomic)
    } catch {
      throw HostStateError(message: "cannot write \(url.path): \(error.localizedDescription)")
    }
  }
}

/// A host file that cannot be read, parsed or written.
public struct HostStateError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}
