/// `HKLM:\SOFTWARE\Microsoft\Cryptography` MachineGuid, which names the RDP self-signed certificate's key file.
///
///     machineGuid:
///       machineGuid: {}
struct MachineGuidFact: FactKind {
  static let name = "machineGuid"
  static let collector = CollectorFunction(
    name: "Get-WinAuditMachineGuid", embedded: PackageResources.MachineGuid_ps1)
  static let fields: [String] = []

  static func parse(_ parameters: FactParameters) -> MachineGuidFact? {
    parameters.parameterless() ? MachineGuidFact() : nil
  }

  var request: [(key: String, value: PowerShellValue)] { [] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: field.map { raw[$0] ?? .null } ?? raw)
  }
}
