/// The operating system: caption, version, build and PowerShell version, as the host identity reports them. The main
/// value is the build number (17763 is Server 2019).
///
///     os:
///       os: {}
struct OperatingSystemFact: FactKind {
  static let name = "os"
  static let collector = CollectorFunction(
    name: "Get-WinAuditOperatingSystem", embedded: PackageResources.OperatingSystem_ps1)
  static let fields = ["caption", "version", "build", "powershellVersion"]

  static func parse(_ parameters: FactParameters) -> OperatingSystemFact? {
    parameters.parameterless() ? OperatingSystemFact() : nil
  }

  var request: [(key: String, value: PowerShellValue)] { [] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: raw[field ?? "build"] ?? .null)
  }
}
