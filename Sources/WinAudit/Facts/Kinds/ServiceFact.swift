/// A service's status and start type; a service that does not exist is reported with `exists: false`, not an error.
///
///     termService:
///       service: TermService
struct ServiceFact: SingleParameterFactKind {
  static let name = "service"
  static let collector = CollectorFunction(name: "Get-WinAuditService", embedded: PackageResources.Service_ps1)
  static let fields = ["name", "exists", "status", "startType"]

  static let parameterKey = "name"

  /// The service's name (`TermService`).
  var parameter: String

  func view(_ field: String?, of raw: FactValue) -> FactView {
    FactView(value: raw[field ?? "status"] ?? .null)
  }
}
