/// `startService`: starts a service when it is not running.
///
///     - startService: TermService
struct StartServiceAction: ServiceAction {
  static let name = "startService"

  var service: String

  func plan(_ context: PlanContext) -> ActionPlan {
    .steps([Draft(.startAction, ServiceRunningChange.to(.running, service, context))])
  }
}

/// Whether a service runs, as `Get-Service` reports it (`Running`, `Stopped`; nil for a service that does not exist).
struct ServiceStatusState: Sendable, Hashable, Codable {
  var status: String?

  static let running = ServiceStatusState(status: "Running")
  static let stopped = ServiceStatusState(status: "Stopped")
}

/// Starting, stopping or restarting a service; undone by putting the recorded status back.
struct ServiceRunningChange: Change {
  static let kind = "serviceRunning"
  var checkedBeforeUndo: Bool { true }

  var service: String
  /// Restart it whatever its state (a setting read at service start changed), rather than set the status.
  var restart: Bool
  var before: ServiceStatusState
  var after: ServiceStatusState

  var targetID: String { service.lowercased() }
  var target: String { restart ? "restart service \(service)" : "service \(service)" }
  var readBack: HostRead { .service(service) }
  var actsWhenUnchanged: Bool { restart }

  /// The change bringing `service` from its status on the host to `status`.
  static func to(_ status: ServiceStatusState, _ service: String, _ context: PlanContext, restart: Bool = false)
    -> ServiceRunningChange
  {
    let before = context.reads.decode(.service(service), as: ServiceStatusState.self) ?? .init(status: nil)
    return ServiceRunningChange(service: service, restart: restart, before: before, after: status)
  }

  func script(_ direction: StepDirection, step: String) -> String {
    let name: KeyValuePairs<String, PowerShellValue> = ["Name": .literal(service)]
    if restart && direction == .apply {
      return PowerShellCode.command("Restart-Service", name) + " -Force"
    }
    switch after.status?.lowercased() {
    case "running": return PowerShellCode.command("Start-Service", name)
    case "stopped": return PowerShellCode.command("Stop-Service", name) + " -Force"
    default:
      return "throw "
        + PowerShellValue.literal("cannot set service \(service) to the state '\(after.status ?? "absent")'").code
    }
  }

  static func describe(_ state: ServiceStatusState) -> String {
    state.status ?? "?"
  }
}

/// An action on one service named by its name (`startService: TermService`), which reads the service before planning.
protocol ServiceAction: FixAction {
  var service: String { get }
  init(service: String)
}

extension ServiceAction {
  static func parse(_ parameters: ActionParameters) -> Self? {
    parameters.reader.string(parameters.node, "\(parameters.label) (a service name)").map(Self.init(service:))
  }

  var reads: [HostRead] { [.service(service)] }
}
