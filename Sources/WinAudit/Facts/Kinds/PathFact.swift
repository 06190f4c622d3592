/// A file or folder and its ACL as SDDL; `{ProgramData}` and `{MachineGuid}` in the path are replaced on the host
/// (%ProgramData% is not always on C:, and the RDP key file is named after the MachineGuid). The main value is the
/// SDDL, absent when the path does not exist.
///
///     rdpKeyFile:
///       path: '{ProgramData}\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_{MachineGuid}'
struct PathFact: SingleParameterFactKind {
  static let name = "path"
  static let collector = CollectorFunction(name: "Get-WinAuditPath", embedded: PackageResources.Path_ps1)
  static let fields = ["path", "exists", "sddl"]

  static let parameterKey = "path"

  /// The path, possibly with `{MachineGuid}` in it.
  var parameter: String
  var path: String { parameter }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: raw[field ?? "sddl"] ?? .null)
  }
}
