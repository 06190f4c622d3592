import PowerShellInterpreter

/// Get-ItemProperty, Get-ItemPropertyValue, Set-ItemProperty, New-ItemProperty and Remove-ItemProperty on the
/// registry (the only provider the lab gives properties).
enum ItemPropertyCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [
      getItemProperty(lab), getItemPropertyValue(lab), setItemProperty(lab), newItemProperty(lab),
      removeItemProperty(lab),
    ]
  }

  static let nameParameter = PSParameterInfo("Name", type: .stringArray, aliases: ["PSProperty"], position: 1)

  /// The resolved registry keys of -Path/-LiteralPath (other providers are reported as not supported).
  static func keys(_ context: PSCommandContext, _ state: HostState) throws -> [String] {
    var keys: [String] = []
    for path in try ItemCmdlets.resolvedPaths(context, state) {
      guard case .registry(let key) = path else {
        try context.writeError(HostErrors.notSupported("The lab models item properties for registry keys only."))
        continue
      }
      keys.append(key)
    }
    return keys
  }

  /// A PSCustomObject with the chosen values and the PS* provider properties, as Get-ItemProperty writes it.
  static func propertyObject(_ key: String, names: [String]?, state: HostState) -> PSValue {
    let object = PSObject.customObject()
    let values = state.registry.node(at: key) ?? .init()
    let environment = state.environmentVariables
    for (name, value) in values.entries where names?.contains(where: { PSWildcard.matches(name, pattern: $0) }) ?? true
    {
      object.addProperty(name.isEmpty ? "(default)" : name, ItemObjects.psValue(value, environment: environment))
    }
    ItemObjects.addProviderProperties(object, .registry(key))
    return .object(object)
  }

  static func getItemProperty(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-ItemProperty", type: "Microsoft.PowerShell.Commands.GetItemPropertyCommand", aliases: ["gp"],
      [CommonParameters.path(), CommonParameters.literalPath, nameParameter]
    ) { context in
      let state = lab.state
      let names = context.parameters.strings("Name")
      for key in try keys(context, state) {
        let values = state.registry.node(at: key) ?? .init()
        var missing = false
        for name in names ?? [] where !PSWildcard.hasWildcards(name) && values[name] == nil {
          try context.writeError(HostErrors.propertyNotFound(name, at: RegistryPath.nativePath(key)))
          missing = true
        }
        if missing && names?.count == 1 { continue }
        try context.writeObject(propertyObject(key, names: names, state: state))
      }
    }
  }

  static func getItemPropertyValue(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-ItemPropertyValue", type: "Microsoft.PowerShell.Commands.GetItemPropertyValueCommand", aliases: ["gpv"],
      [
        CommonParameters.path(), CommonParameters.literalPath,
        PSParameterInfo("Name", type: .stringArray, aliases: ["PSProperty"], mandatory: true, position: 1),
      ]
    ) { context in
      let state = lab.state
      let environment = state.environmentVariables
      for key in try keys(context, state) {
        let values = state.registry.node(at: key) ?? .init()
        for name in context.parameters.strings("Name") ?? [] {
          guard let value = values[name] else {
            try context.writeError(HostErrors.propertyNotFound(name, at: RegistryPath.nativePath(key)))
            continue
          }
          try context.writeObject(ItemObjects.psValue(value, environment: environment))
        }
      }
    }
  }

  /// The registry value kind a -Type/-PropertyType argument names.
  static func kind(named name: String?) -> String? {
    guard let name else { return nil }
    let aliases = [
      "REG_SZ": "String", "REG_EXPAND_SZ": "ExpandString", "REG_BINARY": "Binary", "REG_DWORD": "DWord",
      "REG_MULTI_SZ": "MultiString", "REG_QWORD": "QWord",
    ]
    let normalized = aliases[name.uppercased()] ?? name
    return ["String", "ExpandString", "Binary", "DWord", "MultiString", "QWord"]
      .first { $0.caseInsensitiveCompare(normalized) == .orderedSame }
  }

  /// Converts a script value to a registry value of `kind`, or of the kind .NET infers from the value's type.
  static func registryValue(_ value: PSValue, kind: String?) throws -> RegistryValue {
    let inferred: String
    switch (kind, value) {
    case (let kind?, _): inferred = kind
    case (nil, .int), (nil, .byte), (nil, .bool): inferred = "DWord"
    case (nil, .long): inferred = "QWord"
    case (nil, .array(let array)):
      if case .array(elementType: "System.Byte") = array.kind { inferred = "Binary" } else { inferred = "MultiString" }
    default: inferred = "String"
    }
    let mismatch = PSErrorRecord(
      exceptionType: "System.ArgumentException",
      message: "The type of the value object did not match the specified RegistryValueKind or the object could not "
        + "be properly converted.", errorId: "System.ArgumentException", category: .notSpecified)
    switch inferred {
    case "DWord":
      guard let number = try? PSConvert.toInt64(value), number >= Int64(Int32.min), number <= Int64(UInt32.max) else {
        throw mismatch
      }
      return .dword(UInt32(truncatingIfNeeded: number))
    case "QWord":
      guard let number = try? PSConvert.toInt64(value) else { throw mismatch }
      return .qword(UInt64(bitPattern: number))
    case "Binary":
      if case .array(let array) = value, let bytes = array.byteValues { return .binary(bytes) }
      if case .byte(let byte) = value { return .binary([byte]) }
      throw mismatch
    case "MultiString":
      return .multiString((value.enumeratedItems ?? [value]).map(PSConvert.toString))
    case "ExpandString":
      return .expandString(PSConvert.toString(value))
    default:
      return .string(PSConvert.toString(value))
    }
  }

  static func setItemProperty(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Set-ItemProperty", type: "Microsoft.PowerShell.Commands.SetItemPropertyCommand", aliases: ["sp"],
      [
        CommonParameters.path(), CommonParameters.literalPath,
        PSParameterInfo("Name", type: .string, aliases: ["PSProperty"], position: 1, fromPipelineByPropertyName: true),
        PSParameterInfo("Value", type: .object, position: 2, fromPipelineByPropertyName: true),
        PSParameterInfo("Type", type: .string, aliases: ["PropertyType"]), CommonParameters.force,
        CommonParameters.passThru,
      ], shouldProcess: true
    ) { context in
      let name = context.parameters.string("Name") ?? ""
      let value = context.parameters["Value"] ?? .null
      for key in try keys(context, lab.state) {
        guard context.shouldProcess(target: "Item: \(key) Property: \(name)", action: "Set Property") else { continue }
        let existing = lab.state.registry.node(at: key)?[name]
        let kind = kind(named: context.parameters.string("Type")) ?? existing?.kindName
        let converted = try registryValue(value, kind: kind)
        lab.box.mutate { $0.registry.setValue(key, name, converted) }
        if context.parameters.isSet("PassThru") {
          try context.writeObject(propertyObject(key, names: [name], state: lab.state))
        }
      }
    }
  }

  static func newItemProperty(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "New-ItemProperty", type: "Microsoft.PowerShell.Commands.NewItemPropertyCommand",
      [
        CommonParameters.path(), CommonParameters.literalPath,
        PSParameterInfo("Name", type: .string, aliases: ["PSProperty"], mandatory: true, position: 1),
        PSParameterInfo("PropertyType", type: .string, aliases: ["Type"]),
        PSParameterInfo("Value", type: .object), CommonParameters.force,
      ], shouldProcess: true
    ) { context in
      let name = context.parameters.string("Name") ?? ""
      for key in try keys(context, lab.state) {
        if lab.state.registry.node(at: key)?[name] != nil && !context.parameters.isSet("Force") {
          try context.writeError(HostErrors.propertyExists())
          continue
        }
        guard context.shouldProcess(target: "Item: \(key) Property: \(name)", action: "New Property") else { continue }
        let typeName = context.parameters.string("PropertyType")
        guard typeName == nil || kind(named: typeName) != nil else {
          try context.writeError(
            HostErrors.invalidArgument(
              "Cannot convert value \"\(typeName ?? "")\" to type \"Microsoft.Win32.RegistryValueKind\".",
              target: .string(typeName ?? "")))
          continue
        }
        let value = context.parameters["Value"] ?? .null
        let converted: RegistryValue
        if value.isNull {
          switch kind(named: typeName) {
          case "DWord": converted = .dword(0)
          case "QWord": converted = .qword(0)
          case "Binary": converted = .binary([])
          case "MultiString": converted = .multiString([])
          case "ExpandString": converted = .expandString("")
          default: converted = .string("")
          }
        } else {
          converted = try registryValue(value, kind: kind(named: typeName))
        }
        lab.box.mutate { $0.registry.setValue(key, name, converted) }
        try context.writeObject(propertyObject(key, names: [name], state: lab.state))
      }
    }
  }

  static func removeItemProperty(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Remove-ItemProperty", type: "Microsoft.PowerShell.Commands.RemoveItemPropertyCommand", aliases: ["rp"],
      [
        CommonParameters.path(), CommonParameters.literalPath,
        PSParameterInfo("Name", type: .stringArray, aliases: ["PSProperty"], mandatory: true, position: 1),
        CommonParameters.force,
      ], shouldProcess: true
    ) { context in
      for key in try keys(context, lab.state) {
        for name in context.parameters.strings("Name") ?? [] {
          guard lab.state.registry.node(at: key)?[name] != nil else {
            try context.writeError(HostErrors.propertyNotFound(name, at: RegistryPath.nativePath(key)))
            continue
          }
          guard context.shouldProcess(target: "Item: \(key) Property: \(name)", action: "Remove Property") else {
            continue
          }
          lab.box.mutate { $0.registry.removeValue(key, name) }
        }
      }
    }
  }
}
