/// Win32_TSGeneralSetting for one listener: the certificate thumbprint and type it uses, NLA, the security layer,
/// the encryption level, and whether Group Policy sets them.
///
///     listenerSettings:
///       terminalSettings: RDP-Tcp      # the default
struct TerminalSettingsFact: SingleParameterFactKind {
  static let name = "terminalSettings"
  static let collector = CollectorFunction(
    name: "Get-WinAuditTerminalSettings", embedded: PackageResources.TerminalSettings_ps1)
  static let fields = [
    "terminalName", "certificateThumbprint", "certificateType", "userAuthenticationRequired", "securityLayer",
    "minEncryptionLevel", "policySourceUserAuthenticationRequired", "policySourceSecurityLayer",
    "policySourceMinEncryptionLevel",
  ]

  static let parameterKey = "terminal"

  /// The listener's terminal name (`RDP-Tcp`, the default).
  var parameter: String

  static func parse(_ parameters: FactParameters) -> TerminalSettingsFact? {
    if parameters.isEmpty { return TerminalSettingsFact(parameter: "RDP-Tcp") }
    return parameters.single(key: parameterKey).map(TerminalSettingsFact.init(parameter:))
  }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: field.map { raw[$0] ?? .null } ?? raw)
  }
}
