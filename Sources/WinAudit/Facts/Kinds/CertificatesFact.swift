/// The certificates of a store such as `Cert:\LocalMachine\Remote Desktop`, with their dates and whether their
/// private key can be opened.
///
///     rdpCertificates:
///       certificates: 'Cert:\LocalMachine\Remote Desktop'
struct CertificatesFact: SingleParameterFactKind {
  static let name = "certificates"
  static let collector = CollectorFunction(
    name: "Get-WinAuditCertificates", embedded: PackageResources.Certificates_ps1)
  static let fields = ["store", "exists", "certificates", "thumbprints"]

  static let parameterKey = "store"

  /// The store as a PowerShell path (`Cert:\LocalMachine\Remote Desktop`).
  var parameter: String
  var store: String { parameter }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    switch field {
    case nil: FactView(value: raw["certificates"] ?? .array([]))
    case "certificates": FactView(value: .array((raw["certificates"] ?? .null).list))
    case "thumbprints": FactView(value: FactView.collect(raw, "certificates", "thumbprint"))
    default: FactView(value: raw[field!] ?? .null)
    }
  }
}
