import Foundation
import PowerShellInterpreter

/// Get-CimInstance and Get-WmiObject for the classes the RDP checks read: Win32_TSGeneralSetting
/// (root\cimv2\TerminalServices), Win32_OperatingSystem and Win32_Service (root\cimv2).
enum CimCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [
      query(
        lab, "Get-CimInstance", type: "Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand",
        aliases: ["gcim"], wmi: false),
      query(
        lab, "Get-WmiObject", type: "Microsoft.PowerShell.Commands.GetWmiObjectCommand", aliases: ["gwmi"], wmi: true),
    ]
  }

  static let classes: [(name: String, namespace: String)] = [
    ("Win32_TSGeneralSetting", "root\\cimv2\\terminalservices"), ("Win32_OperatingSystem", "root\\cimv2"),
    ("Win32_Service", "root\\cimv2"), ("Win32_ComputerSystem", "root\\cimv2"), ("Win32_Group", "root\\cimv2"),
  ]

  /// The local groups the lab knows, by SID, with their English and German names.
  static let localGroups: [(sid: String, english: String, german: String)] = [
    ("S-1-5-32-544", "Administrators", "Administratoren"), ("S-1-5-32-545", "Users", "Benutzer"),
    ("S-1-5-32-555", "Remote Desktop Users", "Remotedesktopbenutzer"),
  ]

  /// One instance as ordered properties.
  typealias Instance = [(String, PSValue)]

  static func instances(of className: String, state: HostState, lab: LabContext) -> [Instance] {
    switch className.lowercased() {
    case "win32_tsgeneralsetting":
      let setting = state.tsGeneralSetting
      return [
        [
          ("TerminalName", .string(setting.terminalName)), ("TerminalProtocol", .string(setting.terminalProtocol)),
          ("Transport", .string(setting.transport)), ("Comment", .string("")),
          ("UserAuthenticationRequired", .long(setting.userAuthenticationRequired)),
          ("SecurityLayer", .long(setting.securityLayer)), ("MinEncryptionLevel", .long(setting.minEncryptionLevel)),
          ("PolicySourceUserAuthenticationRequired", .long(Int64(setting.policySourceUserAuthenticationRequired))),
          ("PolicySourceSecurityLayer", .long(Int64(setting.policySourceSecurityLayer))),
          ("PolicySourceMinEncryptionLevel", .long(Int64(setting.policySourceMinEncryptionLevel))),
          ("SSLCertificateSHA1Hash", .string(setting.sslCertificateSHA1Hash)),
          ("SSLCertificateSHA1HashType", .long(Int64(setting.sslCertificateSHA1HashType))),
          ("WindowsAuthentication", .long(0)), ("PSComputerName", .null),
        ]
      ]
    case "win32_operatingsystem":
      let lcid = String(format: "%04x", state.os.osLanguage)
      return [
        [
          ("Caption", .string(state.os.caption)), ("Version", .string(state.os.version)),
          ("BuildNumber", .string(state.os.buildNumber)), ("OSLanguage", .long(Int64(state.os.osLanguage))),
          ("Locale", .string(lcid)), ("CodeSet", .string("1252")),
          ("CSName", .string(state.computerName)), ("OSArchitecture", .string("64-bit")),
          ("ProductType", .long(3)), ("SystemDrive", .string("C:")), ("WindowsDirectory", .string("C:\\Windows")),
          ("LastBootUpTime", .date(state.now.addingTimeInterval(-86_400))), ("LocalDateTime", .date(state.now)),
          ("PSComputerName", .null),
        ]
      ]
    case "win32_group":
      let german = state.locale.lowercased().hasPrefix("de")
      return localGroups.map { group in
        [
          ("Name", .string(german ? group.german : group.english)), ("Domain", .string(state.computerName)),
          ("SID", .string(group.sid)), ("LocalAccount", .bool(true)), ("SIDType", .long(4)),
          ("Caption", .string(state.computerName + "\\" + (german ? group.german : group.english))),
          ("PSComputerName", .null),
        ]
      }
    case "win32_computersystem":
      return [
        [
          ("Name", .string(state.computerName)), ("PartOfDomain", .bool(state.domain != nil)),
          ("Domain", .string(state.domain?.name ?? "WORKGROUP")),
          ("Workgroup", state.domain == nil ? .string("WORKGROUP") : .null),
          ("DomainRole", .long(state.domain == nil ? 2 : 3)), ("Manufacturer", .string("WinLab")),
          ("Model", .string("Virtual Machine")), ("PSComputerName", .null),
        ]
      ]
    case "win32_service":
      return state.services.map { service in
        let pid = state.processId(of: service.name) ?? 0
        return [
          ("Name", .string(service.name)), ("DisplayName", .string(service.displayName)),
          ("State", .string(service.isRunning ? "Running" : "Stopped")), ("Started", .bool(service.isRunning)),
          ("StartMode", .string(service.startType.startMode)), ("StartName", .string(service.account)),
          ("ProcessId", .long(Int64(pid))), ("ServiceType", .string("Share Process")),
          ("PathName", .string("C:\\Windows\\System32\\svchost.exe -k \(service.name)")), ("PSComputerName", .null),
        ]
      }
    default:
      return []
    }
  }

  static func object(_ instance: Instance, className: String, namespace: String, wmi: Bool, lab: LabContext) -> PSValue
  {
    let cimNamespace = namespace.replacingOccurrences(of: "\\", with: "/")
    let object: PSObject
    if wmi {
      object = PSObject(typeNames: [
        "System.Management.ManagementObject#\(namespace)\\\(className)", "System.Management.ManagementObject",
        "System.Management.ManagementBaseObject", "System.Object",
      ])
      object.addProperty("__CLASS", .string(className))
      object.addProperty("__NAMESPACE", .string(namespace))
    } else {
      object = FirewallCmdlets.cimObject(
        "Microsoft.Management.Infrastructure.CimInstance#\(cimNamespace)/\(className)", className: className)
      object.addProperty("CimClass", .string("\(cimNamespace):\(className)"))
    }
    for (name, value) in instance { object.addProperty(name, value) }
    if className.caseInsensitiveCompare("Win32_TSGeneralSetting") == .orderedSame {
      // The WMI methods fix scripts call; they write the local registry values, as Windows does.
      let box = lab.box
      for (method, value) in [
        ("SetUserAuthenticationRequired", "UserAuthentication"), ("SetSecurityLayer", "SecurityLayer"),
        ("SetEncryptionLevel", "MinEncryptionLevel"),
      ] {
        object.addMethod(method) { arguments in
          let number = (try? arguments.first.flatMap(PSConvert.toInt64)) ?? 0
          box.mutate {
            $0.registry.setValue(RegistryKeys.rdpTcp, value, .dword(UInt32(truncatingIfNeeded: number ?? 0)))
          }
          let result = PSObject.customObject()
          result.addProperty("ReturnValue", .long(0))
          return .object(result)
        }
      }
    }
    return .object(object)
  }

  /// Parses a WQL `WHERE` clause of `Property = 'value'` terms joined by AND (also `<>`, `!=`, `LIKE`).
  static func matches(_ filter: String, _ instance: Instance) -> Bool {
    let terms = filter.components(separatedBy: " AND ").flatMap { $0.components(separatedBy: " and ") }
    return terms.allSatisfy { term in
      let trimmed = term.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "()")))
      for op in ["<>", "!=", "=", " LIKE ", " like "] {
        guard let range = trimmed.range(of: op) else { continue }
        let name = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        var value = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
          value = String(value.dropFirst().dropLast())
        }
        let actual =
          instance.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }.map { PSConvert.toString($0.1) } ?? ""
        switch op {
        case "<>", "!=": return actual.caseInsensitiveCompare(value) != .orderedSame
        case "=": return actual.caseInsensitiveCompare(value) == .orderedSame
        default:
          let pattern = value.replacingOccurrences(of: "%", with: "*").replacingOccurrences(of: "_", with: "?")
          return PSWildcard.matches(actual, pattern: pattern)
        }
      }
      return false
    }
  }

  static func query(_ lab: LabContext, _ name: String, type: String, aliases: [String], wmi: Bool)
    -> PSCommandDefinition
  {
    .host(
      name, type: type, aliases: aliases,
      [
        PSParameterInfo("ClassName", type: .string, aliases: wmi ? [] : ["Class"], position: 0),
        PSParameterInfo(wmi ? "Class" : "CimClass", type: .string),
        PSParameterInfo("Namespace", type: .string, aliases: ["NameSpace"]),
        PSParameterInfo("Filter", type: .string), PSParameterInfo("Query", type: .string),
        PSParameterInfo("Property", type: .stringArray), PSParameterInfo("ComputerName", type: .stringArray),
      ]
    ) { context in
      var className = context.parameters.string("ClassName") ?? context.parameters.string("Class") ?? ""
      var filter = context.parameters.string("Filter")
      if let query = context.parameters.string("Query") {
        let words = query.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if let from = words.firstIndex(where: { $0.lowercased() == "from" }), from + 1 < words.count {
          className = words[from + 1]
        }
        if let whereRange = query.range(of: " where ", options: .caseInsensitive) {
          filter = String(query[whereRange.upperBound...])
        }
      }
      let namespace = (context.parameters.string("Namespace") ?? "root\\cimv2").replacingOccurrences(
        of: "/", with: "\\")
      guard let known = classes.first(where: { $0.name.caseInsensitiveCompare(className) == .orderedSame }) else {
        throw HostErrors.invalidClass(className)
      }
      guard known.namespace.caseInsensitiveCompare(namespace) == .orderedSame else {
        if ["root\\cimv2", "root\\cimv2\\terminalservices", "root\\standardcimv2"].contains(namespace.lowercased()) {
          throw HostErrors.invalidClass(className)
        }
        throw HostErrors.invalidNamespace(namespace)
      }
      let canonicalNamespace = known.namespace == "root\\cimv2" ? "root\\cimv2" : "root\\cimv2\\TerminalServices"
      let state = lab.state
      for instance in instances(of: known.name, state: state, lab: lab)
      where filter.map({ matches($0, instance) }) ?? true {
        try context.writeObject(
          object(instance, className: known.name, namespace: canonicalNamespace, wmi: wmi, lab: lab))
      }
    }
  }
}
