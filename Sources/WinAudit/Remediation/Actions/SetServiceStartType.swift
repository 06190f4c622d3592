/// `setServiceStartType`: sets a service's start type (Automatic, Manual, Disabled).
///
///     - setServiceStartType: {service: TermService, startType: Manual}
struct SetServiceStartTypeAction: FixAction {
  static let name = "setServiceStartType"
  static let startTypes = ["Automatic", "Manual", "Disabled"]

  var service: String
  var startType: String

  static func parse(_ parameters: ActionParameters) -> SetServiceStartTypeAction? {
    let label = parameters.label
    guard
      let fields = parameters.mapping(allowed: ["service", "startType"], required: ["service", "startType"]),
      let service = fields["service"].flatMap({ parameters.reader.string($0, "service of \(label)") }),
      let startType = fields["startType"].flatMap({ parameters.oneOf($0, "startType of \(label)", startTypes) })
    else { return nil }
    return SetServiceStartTypeAction(service: service, startType: startType)
  }

  var reads: [HostRead] { [.service(service)] }

  func plan(_ context: PlanContext) -> ActionPlan {
    let before = context.reads.decode(.service(service), as: ServiceStartTypeState.self) ?? .init(startType: nil)
    let change = ServiceStartTypeChange(
      service: service, before: before, after: ServiceStartTypeState(startType: startType))
    return .steps([Draft(.change, change)])
  }
}

/// A service's start type as `Get-Service` reports it (nil for a service that does not exist).
struct ServiceStartTypeState: Sendable, Hashable, Codable {
  var startType: String?
}

/// Setting a service's start type.
struct ServiceStartTypeChange: Change {
  static let kind = "serviceStartType"
  var checkedBeforeUndo: Bool { true }

  var service: String
  var before: ServiceStartTypeState
  var after: ServiceStartTypeState

  var targetID: String { service.lowercased() }
  var target: String { "service \(service) start type" }
  var readBack: HostRead { .service(service) }

  func script(_ direction: StepDirection, step: String) -> String {
    PowerShellCode.command("Set-Service", ["Name": .literal(service), "StartupType": .literal(after.startType ?? "")])
  }

  static func describe(_ state: ServiceStartTypeState) -> String {
    state.startType ?? "?"
  }
}
