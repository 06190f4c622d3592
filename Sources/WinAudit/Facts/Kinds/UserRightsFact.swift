/// The user rights assignments in force (`secedit /export /areas USER_RIGHTS`), each a list of SIDs: Group Policy's
/// assignments included, accounts by SID so localized names never matter. An account secedit cannot resolve stays as
/// the name it wrote.
///
///     userRights:
///       userRights: {}
///
/// A check names the right as the field: `userRights.SeRemoteInteractiveLogonRight`; a right nobody holds is absent.
struct UserRightsFact: FactKind {
  static let name = "userRights"
  static let collector = CollectorFunction(name: "Get-WinAuditUserRights", embedded: PackageResources.UserRights_ps1)
  /// The logon rights Remote Desktop depends on ("Allow/Deny log on through Remote Desktop Services", "Access this
  /// computer from the network" for NLA), and the whole table.
  static let fields = [
    "rights", "SeRemoteInteractiveLogonRight", "SeDenyRemoteInteractiveLogonRight", "SeNetworkLogonRight",
    "SeDenyNetworkLogonRight", "SeInteractiveLogonRight", "SeDenyInteractiveLogonRight",
  ]

  static func parse(_ parameters: FactParameters) -> UserRightsFact? {
    parameters.parameterless() ? UserRightsFact() : nil
  }

  var request: [(key: String, value: PowerShellValue)] { [] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    let rights = raw["rights"] ?? .null
    switch field {
    case nil, "rights": return FactView(value: rights)
    default:
      let holders = rights[field!]
      return FactView(value: holders.map { .array($0.list) } ?? .null)
    }
  }
}
