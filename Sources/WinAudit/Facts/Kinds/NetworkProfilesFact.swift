/// The NetworkCategory of every connected network, which decides the firewall profiles in force.
///
///     networkProfiles:
///       networkProfiles: {}
struct NetworkProfilesFact: FactKind {
  static let name = "networkProfiles"
  static let collector = CollectorFunction(
    name: "Get-WinAuditNetworkProfiles", embedded: PackageResources.NetworkProfiles_ps1)
  static let fields = ["profiles", "categories"]

  static func parse(_ parameters: FactParameters) -> NetworkProfilesFact? {
    parameters.parameterless() ? NetworkProfilesFact() : nil
  }

  var request: [(key: String, value: PowerShellValue)] { [] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    switch field {
    case nil, "categories": FactView(value: FactView.collect(raw, "profiles", "networkCategory"))
    case "profiles": FactView(value: .array((raw["profiles"] ?? .null).list))
    default: FactView(value: raw[field!] ?? .null)
    }
  }
}
