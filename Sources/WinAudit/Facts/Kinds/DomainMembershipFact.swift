/// Whether the host is joined to a domain (Win32_ComputerSystem) and, when it is, whether its secure channel to the
/// domain works (`Test-ComputerSecureChannel`): NLA authenticates domain users through it.
///
///     domainMembership:
///       domainMembership: {}
///
/// `domain` is present on domain members only, `workgroup` on the others, so `applies: factPresent:` can pick either.
struct DomainMembershipFact: FactKind {
  static let name = "domainMembership"
  static let collector = CollectorFunction(
    name: "Get-WinAuditDomainMembership", embedded: PackageResources.DomainMembership_ps1)
  static let fields = ["partOfDomain", "domain", "workgroup", "secureChannel"]

  static func parse(_ parameters: FactParameters) -> DomainMembershipFact? {
    parameters.parameterless() ? DomainMembershipFact() : nil
  }

  var request: [(key: String, value: PowerShellValue)] { [] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: field.map { raw[$0] ?? .null } ?? raw)
  }
}
