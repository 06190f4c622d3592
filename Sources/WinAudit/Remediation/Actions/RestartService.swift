/// `restartService`: restarts a service whatever its state, for a setting that only takes effect when it starts.
/// Restarting TermService drops RDP sessions, so the fix is disruptive.
///
///     - restartService: TermService
struct RestartServiceAction: FixAction {
  static let name = "restartService"

  var service: String

  static func parse(_ parameters: ActionParameters) -> RestartServiceAction? {
    parameters.reader.string(parameters.node, "\(parameters.label) (a service name)").map(RestartServiceAction.init)
  }

  var reads: [HostRead] { [.service(service)] }
  var restartedServices: [String] { [service] }

  func plan(_ context: PlanContext) -> ActionPlan {
    let change = ServiceRunningChange.to(.running, service, context, restart: true)
    return .steps([Draft(.restartAction, change, disruptive: "restarts \(service)")])
  }
}
