/// One change a fix makes, as a playbook states it: the catalogue of what winaudit knows how to change, undo and
/// read back on a Windows host.
///
/// An action may still need host data to become concrete (the firewall rules in a group, the listener's port, the
/// MachineGuid in the RDP key file's name, the certificates that are expired); the planner resolves it into `FixStep`s
/// with the values a pre-read returned.
public enum FixAction: Sendable, Hashable {
  /// Set a registry value (creating its key when missing); `policy` is the Group Policy value that overrides it.
  case setRegistryValue(RegistryValueRef, RegistryData, policy: RegistryValueRef?)
  /// Remove a registry value when present.
  case removeRegistryValue(RegistryValueRef, policy: RegistryValueRef?)
  /// Enable firewall rules (by Name or Group id, never unfiltered) for the profiles the host needs.
  case enableFirewallRules(FirewallRuleSelector, profiles: ProfileRequirement)
  /// Set a firewall rule's LocalPort, to a fixed port or to the RDP listener's PortNumber.
  case setFirewallRulePort(rule: String, port: PortSource)
  /// Set a service's start type (Automatic, Manual, Disabled).
  case setServiceStartType(service: String, startType: String)
  /// Start a service when it is not running.
  case startService(String)
  /// Restart a service (stop and start), whatever its state: used when a setting only takes effect on restart.
  case restartService(String)
  /// Save a folder's ACL with `icacls /save`, then replace it with exactly `grants` (icacls grant strings with SIDs).
  case resetACL(path: String, grants: [String])
  /// Export then remove the certificates of a store that the selection calls broken.
  case removeBrokenCertificates(CertificateSelection)
  /// Rename the RDP self-signed certificate's key file (f686aace..._<MachineGuid>) in `folder` out of the way.
  case renameRDPKeyFile(folder: String)
  /// Rename a whole folder to `<name>_Old_<timestamp>` and create an empty one in its place.
  case renameFolder(path: String)

  /// Services that restart, stop or start as part of this action itself.
  var restartedServices: [String] {
    switch self {
    case .restartService(let name): return [name]
    default: return []
    }
  }
}

/// A registry value's location: the key path in PowerShell's `HKLM:\...` form and the value name.
public struct RegistryValueRef: Sendable, Hashable, Codable, CustomStringConvertible {
  public var path: String
  public var name: String

  public init(path: String, name: String) {
    self.path = path
    self.name = name
  }

  /// `HKLM:\...\Key\Name`: the full path people search for in Group Policy and regedit.
  public var description: String { path + "\\" + name }
}

/// Typed registry data as it is written with `New-ItemProperty -PropertyType`.
public enum RegistryData: Sendable, Hashable, Codable {
  case dword(Int64)
  case qword(Int64)
  case string(String)
  case expandString(String)
  case multiString([String])
  case binary([UInt8])

  /// The -PropertyType name.
  public var typeName: String {
    switch self {
    case .dword: return "DWord"
    case .qword: return "QWord"
    case .string: return "String"
    case .expandString: return "ExpandString"
    case .multiString: return "MultiString"
    case .binary: return "Binary"
    }
  }

  /// The value as the JSON a registry read reports (`Get-ItemPropertyValue` through ConvertTo-Json).
  public var stateValue: FactValue {
    switch self {
    case .dword(let value), .qword(let value): return .int(value)
    case .string(let value), .expandString(let value): return .string(value)
    case .multiString(let values): return .array(values.map(FactValue.string))
    case .binary(let bytes): return .array(bytes.map { .int(Int64($0)) })
    }
  }

  /// Rebuilds data from a registry read (`{"type": "DWord", "value": 1}`); nil when the read does not fit the type.
  public init?(type: String, value: FactValue) {
    switch type.lowercased() {
    case "dword":
      guard let number = value.asInt else { return nil }
      self = .dword(Int64(number))
    case "qword":
      guard let number = value.asInt else { return nil }
      self = .qword(Int64(number))
    case "string":
      guard let text = value.string else { return nil }
      self = .string(text)
    case "expandstring":
      guard let text = value.string else { return nil }
      self = .expandString(text)
    case "multistring":
      let items = value.list
      self = .multiString(items.compactMap(\.asText))
    case "binary":
      let items = value.list
      self = .binary(items.compactMap { $0.asInt.map { UInt8(truncatingIfNeeded: $0) } })
    default:
      return nil
    }
  }
}

/// Which firewall rules an action touches: by rule Name or by Group id (`@FirewallAPI.dll,-28752`), never by the
/// localized display names, and never "all rules".
public enum FirewallRuleSelector: Sendable, Hashable, Codable {
  case names([String])
  case group(String)
}

/// The firewall profiles a rule must cover.
public enum ProfileRequirement: Sendable, Hashable, Codable {
  /// Whatever profiles the host's connected networks are in (Get-NetConnectionProfile).
  case connected
  /// A fixed list: Domain, Private, Public.
  case profiles([String])
}

/// Where a firewall rule's port comes from.
public enum PortSource: Sendable, Hashable, Codable {
  case fixed(Int)
  /// The RDP listener's PortNumber (`...\WinStations\RDP-Tcp`), read on the host.
  case listener
}

/// Which certificates of a store count as broken: expired or without a private key, expiring within `validForDays`,
/// or (after the RDP key file was renamed) every self-signed one, whose key is gone.
public struct CertificateSelection: Sendable, Hashable {
  /// The store under `Cert:\LocalMachine`, such as `Remote Desktop`.
  public var store: String
  /// Also remove certificates that expire within this many days.
  public var validForDays: Int?
  /// Remove the self-signed certificates (Subject equals Issuer) whatever their dates.
  public var selfSigned: Bool

  public init(store: String, validForDays: Int? = nil, selfSigned: Bool = false) {
    self.store = store
    self.validForDays = validForDays
    self.selfSigned = selfSigned
  }
}
