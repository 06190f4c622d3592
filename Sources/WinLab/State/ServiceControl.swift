/// Why a service could not be started or stopped; the cmdlets turn these into PowerShell errors.
public enum ServiceControlError: Error, Equatable, Sendable {
  case notFound(String)
  /// The service (or one it depends on) is disabled.
  case cannotStart(service: String, displayName: String)
  /// Running services depend on it and -Force was not given.
  case hasDependents(service: String, displayName: String)
}

extension HostState {
  /// Running services that depend on `name`, directly or through others (stop order: dependents first).
  public func runningDependents(of name: String) -> [Service] {
    var result: [Service] = []
    var pending = [name]
    while let current = pending.popLast() {
      for service in services
      where service.isRunning
        && (service.dependsOn ?? []).contains(where: { $0.caseInsensitiveCompare(current) == .orderedSame })
        && !result.contains(where: { $0.name == service.name })
      {
        result.append(service)
        pending.append(service.name)
      }
    }
    return result
  }

  /// Starts a service after the services it depends on, as the Service Control Manager does. Starting TermService
  /// records the PortNumber it listens on and renews its self-signed certificate when needed; services that name it
  /// in `startsWith` start too.
  public mutating func startService(_ name: String) throws(ServiceControlError) {
    guard let service = service(name) else { throw .notFound(name) }
    if service.isRunning { return }
    guard service.startType != .disabled else {
      throw .cannotStart(service: service.name, displayName: service.displayName)
    }
    for dependency in service.dependsOn ?? [] where self.service(dependency) != nil {
      do {
        try startService(dependency)
      } catch {
        throw .cannotStart(service: service.name, displayName: service.displayName)
      }
    }
    if service.name.caseInsensitiveCompare(Self.termService) == .orderedSame {
      regenerateSelfSignedCertificateIfNeeded()
      let port = effectiveRDPSettings.portNumber
      updateService(name) { $0.listenerPort = port }
    }
    updateService(name) { $0.status = .running }
    let companions = services.filter {
      ($0.startsWith ?? []).contains { $0.caseInsensitiveCompare(service.name) == .orderedSame }
    }
    for companion in companions where companion.startType != .disabled {
      try? startService(companion.name)
    }
  }

  /// Stops a service; running dependents are stopped first when `force`, else it fails as Stop-Service does.
  public mutating func stopService(_ name: String, force: Bool) throws(ServiceControlError) {
    guard let service = service(name) else { throw .notFound(name) }
    let dependents = runningDependents(of: service.name)
    if !dependents.isEmpty && !force {
      throw .hasDependents(service: service.name, displayName: service.displayName)
    }
    for dependent in dependents { updateService(dependent.name) { $0.status = .stopped } }
    updateService(name) {
      $0.status = .stopped
      $0.listenerPort = nil
    }
  }

  /// Restart-Service: stop (with dependents when `force`) then start; dependents that ran are started again.
  public mutating func restartService(_ name: String, force: Bool) throws(ServiceControlError) {
    let dependents = runningDependents(of: name)
    try stopService(name, force: force)
    try startService(name)
    for dependent in dependents.reversed() { try? startService(dependent.name) }
  }
}
