/// Where an effective Remote Desktop setting comes from, as Win32_TSGeneralSetting's PolicySource* properties say.
public enum PolicySource: Int, Sendable, Equatable {
  case server = 0
  case groupPolicy = 1
  case defaultValue = 2
}

/// One effective setting: the value that applies and where it comes from.
public struct EffectiveSetting: Sendable, Equatable {
  public var value: Int64
  public var source: PolicySource
}

/// The effective Remote Desktop settings of a host: policy values win over local ones, defaults fill the rest.
public struct EffectiveRDPSettings: Sendable, Equatable {
  public var denyConnections: EffectiveSetting
  public var userAuthentication: EffectiveSetting
  public var securityLayer: EffectiveSetting
  public var minEncryptionLevel: EffectiveSetting
  /// The configured PortNumber (no policy exists for it); the listener uses the one read at TermService's start.
  public var portNumber: Int
  /// fEnableWinStation: a disabled WinStation has no listener.
  public var winStationEnabled: Bool

  /// The values Windows uses when neither the local key nor a policy sets one.
  public enum Defaults {
    public static let denyConnections: Int64 = 1
    public static let userAuthentication: Int64 = 1
    public static let securityLayer: Int64 = 1
    public static let minEncryptionLevel: Int64 = 2
    public static let portNumber = 3389
  }
}

extension HostState {
  /// Effective RDP settings, computed from the local keys and the Terminal Services policy key.
  public var effectiveRDPSettings: EffectiveRDPSettings {
    func setting(local key: String, _ name: String, default value: Int64) -> EffectiveSetting {
      if let policy = registry.integer(RegistryKeys.terminalServicesPolicy, name) {
        return EffectiveSetting(value: policy, source: .groupPolicy)
      }
      if let local = registry.integer(key, name) { return EffectiveSetting(value: local, source: .server) }
      return EffectiveSetting(value: value, source: .defaultValue)
    }
    typealias Defaults = EffectiveRDPSettings.Defaults
    return EffectiveRDPSettings(
      denyConnections: setting(
        local: RegistryKeys.terminalServer, "fDenyTSConnections", default: Defaults.denyConnections),
      userAuthentication: setting(
        local: RegistryKeys.rdpTcp, "UserAuthentication", default: Defaults.userAuthentication),
      securityLayer: setting(local: RegistryKeys.rdpTcp, "SecurityLayer", default: Defaults.securityLayer),
      minEncryptionLevel: setting(
        local: RegistryKeys.rdpTcp, "MinEncryptionLevel", default: Defaults.minEncryptionLevel),
      portNumber: registry.integer(RegistryKeys.rdpTcp, "PortNumber").map { Int($0) } ?? Defaults.portNumber,
      winStationEnabled: registry.integer(RegistryKeys.rdpTcp, "fEnableWinStation") != 0
    )
  }

  /// Win32_TSGeneralSetting for RDP-Tcp (root\cimv2\TerminalServices).
  public var tsGeneralSetting: TSGeneralSetting {
    let settings = effectiveRDPSettings
    let certificate = listenerCertificateStatus
    return TSGeneralSetting(
      userAuthenticationRequired: settings.userAuthentication.value,
      securityLayer: settings.securityLayer.value,
      minEncryptionLevel: settings.minEncryptionLevel.value,
      policySourceUserAuthenticationRequired: settings.userAuthentication.source.rawValue,
      policySourceSecurityLayer: settings.securityLayer.source.rawValue,
      policySourceMinEncryptionLevel: settings.minEncryptionLevel.source.rawValue,
      sslCertificateSHA1Hash: certificate.hash,
      sslCertificateSHA1HashType: certificate.type.rawValue
    )
  }
}

/// The Win32_TSGeneralSetting instance of RDP-Tcp, as the lab derives it.
public struct TSGeneralSetting: Sendable, Equatable {
  public var terminalName = "RDP-Tcp"
  public var terminalProtocol = "Microsoft RDP 8.0"
  public var transport = "tcp"
  public var userAuthenticationRequired: Int64
  public var securityLayer: Int64
  public var minEncryptionLevel: Int64
  public var policySourceUserAuthenticationRequired: Int
  public var policySourceSecurityLayer: Int
  public var policySourceMinEncryptionLevel: Int
  /// Upper-case hex thumbprint, empty when there is no certificate.
  public var sslCertificateSHA1Hash: String
  /// 0 invalid, 1 self-signed, 2 Group Policy, 3 custom.
  public var sslCertificateSHA1HashType: Int
}
