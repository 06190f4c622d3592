/// A Windows service as Get-Service and Win32_Service show it.
///
/// `listenerPort` is the one stored runtime fact of the lab: the RDP PortNumber TermService read when it last
/// started (a changed PortNumber only takes effect after a restart). Absent means "the current PortNumber".
public struct Service: Sendable, Equatable, Codable {
  public var name: String
  public var displayName: String
  public var status: Status
  public var startType: StartType
  /// The logon account: `LocalSystem`, `NT Authority\NetworkService`...
  public var account: String
  /// Services this one needs running (Get-Service's ServicesDependedOn).
  public var dependsOn: [String]?
  /// Services whose start also starts this one (UmRdpService is started with TermService).
  public var startsWith: [String]?
  /// TermService only: the PortNumber read at its last start.
  public var listenerPort: Int?

  /// Service status; the lab models only the two steady states.
  public enum Status: String, Sendable, Codable { case running = "Running", stopped = "Stopped" }
  /// Start type as Set-Service -StartupType names it.
  public enum StartType: String, Sendable, Codable {
    case automatic = "Automatic", manual = "Manual", disabled = "Disabled"

    /// Win32_Service StartMode.
    public var startMode: String {
      switch self {
      case .automatic: "Auto"
      case .manual: "Manual"
      case .disabled: "Disabled"
      }
    }
  }

  public init(
    name: String, displayName: String, status: Status, startType: StartType, account: String,
    dependsOn: [String]? = nil, startsWith: [String]? = nil, listenerPort: Int? = nil
  ) {
    self.name = name
    self.displayName = displayName
    self.status = status
    self.startType = startType
    self.account = account
    self.dependsOn = dependsOn
    self.startsWith = startsWith
    self.listenerPort = listenerPort
  }

  public var isRunning: Bool { status == .running }
}
