/// A service's status and start type; a service that does not exist is reported with `exists: false`, not an error.
///
///     termService:
///       service: TermService
struct ServiceFact: FactKind {
  static let name = "service"
  static let collector = CollectorFunction(name: "Get-WinAuditService", embedded: PackageResources.Service_ps1)
  static let fields = ["name", "exists", "status", "startType"]

  var serviceName: String

  static func parse(_ parameters: FactParameters) -> ServiceFact? {
    parameters.single(key: "name").map(ServiceFact.init(serviceName:))
  }

  var request: [(key: String, value: PowerShellValue)] { [("name", .literal(serviceName))] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: raw[field ?? "status"] ?? .null)
  }
}
