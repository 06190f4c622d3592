import PowerShellInterpreter

/// Get-NetTCPConnection, Get-NetConnectionProfile and Set-NetConnectionProfile.
enum NetworkCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [tcpConnection(lab), connectionProfile(lab), setConnectionProfile(lab)]
  }

  static func tcpObject(_ connection: TCPConnection, state: HostState) -> PSValue {
    let object = FirewallCmdlets.cimObject(
      "Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetTCPConnection",
      className: "MSFT_NetTCPConnection")
    object.addProperty("LocalAddress", .string(connection.localAddress))
    object.addProperty("LocalPort", .int(Int32(connection.localPort)))
    object.addProperty("RemoteAddress", .string(connection.remoteAddress))
    object.addProperty("RemotePort", .int(Int32(connection.remotePort)))
    object.addProperty("State", .enumeration(HostEnums.tcpState, 2))
    object.addProperty("AppliedSetting", .null)
    object.addProperty("OwningProcess", .long(Int64(connection.owningProcess)))
    object.addProperty("CreationTime", .date(state.now.addingTimeInterval(-3_600)))
    object.addProperty("OffloadState", .string("InHost"))
    return .object(object)
  }

  static func tcpConnection(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-NetTCPConnection", type: "Get-NetTCPConnection",
      [
        PSParameterInfo("LocalAddress", type: .stringArray, position: 0),
        PSParameterInfo("LocalPort", type: .intArray, position: 1),
        PSParameterInfo("RemoteAddress", type: .stringArray), PSParameterInfo("RemotePort", type: .intArray),
        PSParameterInfo("State", type: .stringArray), PSParameterInfo("OwningProcess", type: .intArray),
      ]
    ) { context in
      let state = lab.state
      var connections = state.tcpListeners
      if let states = context.parameters.strings("State") {
        connections = connections.filter { connection in
          states.contains { $0.caseInsensitiveCompare(connection.state) == .orderedSame }
        }
        if connections.isEmpty, context.parameters.list("LocalPort") == nil {
          try context.writeError(
            HostErrors.cimNotFound(
              className: "MSFT_NetTCPConnection", property: "State", value: states.joined(separator: ", ")))
        }
      }
      if let addresses = context.parameters.strings("LocalAddress") {
        connections = connections.filter { addresses.contains($0.localAddress) }
      }
      if let processes = context.parameters.list("OwningProcess")?.compactMap({ try? PSConvert.toInt64($0) }) {
        connections = connections.filter { processes.contains(Int64($0.owningProcess)) }
      }
      if let ports = context.parameters.list("LocalPort")?.compactMap({ try? PSConvert.toInt64($0) }) {
        var matched: [TCPConnection] = []
        for port in ports {
          let hits = connections.filter { Int64($0.localPort) == port }
          if hits.isEmpty {
            try context.writeError(
              HostErrors.cimNotFound(className: "MSFT_NetTCPConnection", property: "LocalPort", value: String(port)))
          }
          matched += hits
        }
        connections = matched
      }
      for connection in connections { try context.writeObject(tcpObject(connection, state: state)) }
    }
  }

  static func profileObject(_ profile: NetworkConnectionProfile) -> PSValue {
    let object = FirewallCmdlets.cimObject(
      "Microsoft.Management.Infrastructure.CimInstance#root/StandardCimv2/MSFT_NetConnectionProfile",
      className: "MSFT_NetConnectionProfile")
    object.addProperty("Name", .string(profile.name))
    object.addProperty("InterfaceAlias", .string(profile.interfaceAlias))
    object.addProperty("InterfaceIndex", .int(Int32(profile.interfaceIndex)))
    object.addProperty(
      "NetworkCategory", .enumeration(HostEnums.networkCategory, Int64(profile.networkCategory.number)))
    object.addProperty(
      "DomainAuthenticationKind", .string(profile.networkCategory == .domainAuthenticated ? "Ldap" : "None"))
    let connectivity = HostEnums.ipv4Connectivity.value(named: profile.ipv4Connectivity)?.value ?? 4
    object.addProperty("IPv4Connectivity", .enumeration(HostEnums.ipv4Connectivity, connectivity))
    object.addProperty("IPv6Connectivity", .enumeration(HostEnums.ipv4Connectivity, 1))
    return .object(object)
  }

  static let profileParameters = [
    PSParameterInfo("Name", type: .stringArray),
    PSParameterInfo("InterfaceAlias", type: .stringArray, aliases: ["ifAlias"]),
    PSParameterInfo("InterfaceIndex", type: .intArray, aliases: ["ifIndex"]),
    PSParameterInfo("NetworkCategory", type: .string),
  ]

  static func selectedProfiles(_ context: PSCommandContext, _ state: HostState) -> [NetworkConnectionProfile] {
    state.networkProfiles.filter { profile in
      (context.parameters.strings("Name").map { $0.contains { PSWildcard.matches(profile.name, pattern: $0) } } ?? true)
        && (context.parameters.strings("InterfaceAlias").map {
          $0.contains { PSWildcard.matches(profile.interfaceAlias, pattern: $0) }
        } ?? true)
        && (context.parameters.list("InterfaceIndex").map {
          $0.contains { (try? PSConvert.toInt64($0)) == Int64(profile.interfaceIndex) }
        } ?? true)
    }
  }

  static func connectionProfile(_ lab: LabContext) -> PSCommandDefinition {
    .host("Get-NetConnectionProfile", type: "Get-NetConnectionProfile", profileParameters) { context in
      var profiles = selectedProfiles(context, lab.state)
      if let category = context.parameters.string("NetworkCategory") {
        profiles = profiles.filter { $0.networkCategory.rawValue.caseInsensitiveCompare(category) == .orderedSame }
      }
      for profile in profiles { try context.writeObject(profileObject(profile)) }
    }
  }

  static func setConnectionProfile(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Set-NetConnectionProfile", type: "Set-NetConnectionProfile",
      profileParameters + [
        PSParameterInfo(
          "InputObject", type: .typedArray("Microsoft.Management.Infrastructure.CimInstance#MSFT_NetConnectionProfile"),
          fromPipeline: true),
        CommonParameters.passThru,
      ], shouldProcess: true
    ) { context in
      guard let text = context.parameters.string("NetworkCategory"),
        let category = NetworkConnectionProfile.NetworkCategory.allCases.first(where: {
          $0.rawValue.caseInsensitiveCompare(text) == .orderedSame
        }),
        category != .domainAuthenticated
      else {
        throw HostErrors.invalidArgument("NetworkCategory must be Public or Private.")
      }
      var indexes = selectedProfiles(context, lab.state).map(\.interfaceIndex)
      if let objects = context.parameters.list("InputObject") {
        indexes = objects.compactMap {
          $0.asObject?["InterfaceIndex"].flatMap { try? PSConvert.toInt64($0) }.map { Int($0) }
        }
      }
      lab.box.mutate { state in
        for index in state.networkProfiles.indices where indexes.contains(state.networkProfiles[index].interfaceIndex) {
          state.networkProfiles[index].networkCategory = category
        }
      }
      if context.parameters.isSet("PassThru") {
        for profile in lab.state.networkProfiles where indexes.contains(profile.interfaceIndex) {
          try context.writeObject(profileObject(profile))
        }
      }
    }
  }
}
