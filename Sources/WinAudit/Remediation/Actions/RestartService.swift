/// `restartService`: restarts a service whatever its state, for a setting that only takes effect when it starts.
/// Restarting TermService drops RDP sessions, so the fix is disruptive.
///
///     - restartService: TermService
struct RestartServiceAction: ServiceAction {
  static let name = "restartService"

  var service: String
  var restartedServices: [String] { [service] }

  func plan(_ context: PlanContext) -> ActionPlan {
    let change = ServiceRunningChange.to(.running, service, context, restart: true)
    return .steps([Draft(.restartAction, change, disruptive: "restarts \(service)")])
  }
}
