import PowerShellInterpreter

/// Get-Service, Start-/Stop-/Restart-Service and Set-Service over the modelled services.
enum ServiceCmdlets {
  static let serviceType = "System.ServiceProcess.ServiceController"

  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [
      getService(lab), control(lab, "Start-Service", "sasv"), control(lab, "Stop-Service", "spsv"),
      control(lab, "Restart-Service", nil), setService(lab),
    ]
  }

  static func serviceObject(_ service: Service, state: HostState) -> PSValue {
    let object = PSObject(
      typeName: serviceType,
      baseTypes: ["System.ComponentModel.Component", "System.MarshalByRefObject", "System.Object"])
    object.addProperty("Name", .string(service.name))
    object.addProperty("ServiceName", .string(service.name))
    object.addProperty("DisplayName", .string(service.displayName))
    object.addProperty("Status", .enumeration(HostEnums.serviceStatus, service.isRunning ? 4 : 1))
    let startType: Int64 =
      switch service.startType {
      case .automatic: 2
      case .manual: 3
      case .disabled: 4
      }
    object.addProperty("StartType", .enumeration(HostEnums.serviceStartMode, startType))
    object.addProperty("CanStop", .bool(service.isRunning))
    object.addProperty("MachineName", .string("."))
    object.addProperty("ServiceType", .string("Win32OwnProcess"))
    object.addProperty(
      "ServicesDependedOn",
      .array(
        (service.dependsOn ?? []).compactMap { name in
          state.service(name).map { dependency in dependencyObject(dependency) }
        }))
    object.addProperty("RequiredServices", object["ServicesDependedOn"] ?? .array([]))
    object.addProperty(
      "DependentServices",
      .array(
        state.services.filter { candidate in
          (candidate.dependsOn ?? []).contains { $0.caseInsensitiveCompare(service.name) == .orderedSame }
        }.map(dependencyObject)))
    object.addMethod("Refresh") { _ in .null }
    return .object(object)
  }

  /// A dependency shown inside another service object (no nested dependency lists, to keep the graph finite).
  static func dependencyObject(_ service: Service) -> PSValue {
    let object = PSObject(typeName: serviceType, baseTypes: ["System.ComponentModel.Component", "System.Object"])
    object.addProperty("Name", .string(service.name))
    object.addProperty("DisplayName", .string(service.displayName))
    object.addProperty("Status", .enumeration(HostEnums.serviceStatus, service.isRunning ? 4 : 1))
    object.toStringHandler = { service.name }
    return .object(object)
  }

  static let nameParameters = [
    PSParameterInfo(
      "Name", type: .stringArray, aliases: ["ServiceName"], position: 0, fromPipeline: true,
      fromPipelineByPropertyName: true),
    PSParameterInfo("DisplayName", type: .stringArray),
    PSParameterInfo("InputObject", type: .typedArray(serviceType), fromPipeline: true),
  ]

  /// The services named by -Name (wildcards), -DisplayName or -InputObject; missing names are reported.
  static func selected(_ context: PSCommandContext, _ state: HostState, all: Bool) throws -> [Service] {
    if let objects = context.parameters.list("InputObject") {
      return objects.compactMap { $0.asObject?["Name"].map(PSConvert.toString) }.compactMap(state.service)
    }
    var result: [Service] = []
    if let names = context.parameters.strings("Name") {
      for name in names {
        let matches = state.services.filter { PSWildcard.matches($0.name, pattern: name) }
        if matches.isEmpty && !PSWildcard.hasWildcards(name) {
          try context.writeError(HostErrors.serviceNotFound(name))
        }
        result += matches
      }
      return result
    }
    if let names = context.parameters.strings("DisplayName") {
      for name in names {
        let matches = state.services.filter { PSWildcard.matches($0.displayName, pattern: name) }
        if matches.isEmpty && !PSWildcard.hasWildcards(name) {
          try context.writeError(
            PSErrorRecord(
              exceptionType: "Microsoft.PowerShell.Commands.ServiceCommandException",
              message: "Cannot find any service with display name '\(name)'.",
              errorId: "NoServiceFoundForGivenDisplayName",
              category: .objectNotFound, targetObject: .string(name)))
        }
        result += matches
      }
      return result
    }
    return all ? state.services.sorted { $0.name.lowercased() < $1.name.lowercased() } : []
  }

  static func getService(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-Service", type: "Microsoft.PowerShell.Commands.GetServiceCommand", aliases: ["gsv"],
      nameParameters + [
        PSParameterInfo("DependentServices", type: .switchParameter),
        PSParameterInfo("RequiredServices", type: .switchParameter),
      ]
    ) { context in
      let state = lab.state
      for service in try selected(context, state, all: true) {
        try context.writeObject(serviceObject(service, state: state))
      }
    }
  }

  static func control(_ lab: LabContext, _ name: String, _ alias: String?) -> PSCommandDefinition {
    let verb = name.split(separator: "-")[0]
    return .host(
      name, type: "Microsoft.PowerShell.Commands.\(verb)ServiceCommand", aliases: alias.map { [$0] } ?? [],
      nameParameters + [
        CommonParameters.force, CommonParameters.passThru, PSParameterInfo("NoWait", type: .switchParameter),
      ],
      shouldProcess: true
    ) { context in
      let force = context.parameters.isSet("Force")
      for service in try selected(context, lab.state, all: false) {
        guard context.shouldProcess(target: "\(service.displayName) (\(service.name))", action: name) else { continue }
        do {
          try lab.box.mutate { (state: inout HostState) throws in
            switch verb {
            case "Start": try state.startService(service.name)
            case "Stop": try state.stopService(service.name, force: force)
            default: try state.restartService(service.name, force: force)
            }
          }
        } catch let error as ServiceControlError {
          try context.writeError(HostErrors.service(error))
          continue
        }
        if context.parameters.isSet("PassThru") {
          let state = lab.state
          if let updated = state.service(service.name) { try context.writeObject(serviceObject(updated, state: state)) }
        }
      }
    }
  }

  static func setService(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Set-Service", type: "Microsoft.PowerShell.Commands.SetServiceCommand",
      [
        PSParameterInfo(
          "Name", type: .string, aliases: ["ServiceName", "SN"], position: 0, fromPipeline: true,
          fromPipelineByPropertyName: true),
        PSParameterInfo("InputObject", type: .typed(serviceType), fromPipeline: true),
        PSParameterInfo(
          "StartupType", type: .string, aliases: ["StartMode", "SM", "ST"],
          validateSet: ["Automatic", "Manual", "Disabled"]),
        PSParameterInfo("Status", type: .string, validateSet: ["Running", "Stopped", "Paused"]),
        PSParameterInfo("DisplayName", type: .string), CommonParameters.passThru,
      ], shouldProcess: true
    ) { context in
      let name =
        context.parameters["InputObject"]?.asObject?["Name"].map(PSConvert.toString)
        ?? context.parameters.string("Name") ?? ""
      guard let service = lab.state.service(name) else {
        try context.writeError(
          PSErrorRecord(
            exceptionType: "Microsoft.PowerShell.Commands.ServiceCommandException",
            message: "Service '\(name)' was not found on computer '.'.", errorId: "InvalidOperationException",
            category: .objectNotFound, targetObject: .string(name)))
        return
      }
      guard context.shouldProcess(target: "\(service.displayName) (\(service.name))", action: "Set-Service") else {
        return
      }
      if let startup = context.parameters.string("StartupType").flatMap({ Service.StartType(rawValue: $0.capitalized) })
      {
        lab.box.mutate { $0.updateService(service.name) { $0.startType = startup } }
      }
      if let display = context.parameters.string("DisplayName") {
        lab.box.mutate { $0.updateService(service.name) { $0.displayName = display } }
      }
      if let status = context.parameters.string("Status")?.lowercased() {
        do {
          try lab.box.mutate { (state: inout HostState) throws in
            if status == "running" { try state.startService(service.name) }
            if status == "stopped" { try state.stopService(service.name, force: false) }
          }
        } catch let error as ServiceControlError {
          try context.writeError(HostErrors.service(error))
        }
      }
      if context.parameters.isSet("PassThru"), let updated = lab.state.service(service.name) {
        try context.writeObject(serviceObject(updated, state: lab.state))
      }
    }
  }
}
