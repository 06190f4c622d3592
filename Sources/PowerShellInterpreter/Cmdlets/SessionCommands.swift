import Foundation

// Language-level cmdlets: Variables, Get-Command, Add-Member, Start-Sleep, Join-Path, Invoke-Expression.
extension Engine {
  func variableNotFound(_ name: String) -> PSErrorRecord {
    PSErrorRecord(
      exceptionType: "System.Management.Automation.ItemNotFoundException",
      message: "Cannot find a variable with the name '\(name)'.", errorId: "VariableNotFound",
      category: .objectNotFound, targetObject: .string(name))
  }

  func getVariable() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Get-Variable", implementingType: Engine.utility("Get-Variable"),
      parameters: [
        PSParameterInfo("Name", type: .stringArray, position: 0), PSParameterInfo("ValueOnly", type: .switchParameter),
        PSParameterInfo("Scope", type: .string),
      ]
    ) { [unowned self] ctx in
      for name in ctx.parameters.strings("Name") ?? [] {
        let ref = VariableRef(scope: ctx.parameters.string("Scope")?.lowercased(), name: name)
        let exists =
          ref.scope == nil
          ? current.find(name.lowercased()) != nil
            || ["true", "false", "null", "error", "?"].contains(name.lowercased()) : !lookup(ref).isNull
        guard exists else {
          try ctx.writeError(variableNotFound(name))
          continue
        }
        let value = lookup(ref)
        if ctx.parameters.isSet("ValueOnly") {
          try ctx.writeObject(value)
        } else {
          let variable = PSObject(typeName: "System.Management.Automation.PSVariable")
          variable.addProperty("Name", .string(name))
          variable.addProperty("Value", value)
          try ctx.writeObject(.object(variable))
        }
      }
    }
  }

  func setVariable() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Set-Variable", implementingType: Engine.utility("Set-Variable"),
      parameters: [
        PSParameterInfo("Name", type: .string, position: 0), PSParameterInfo("Value", position: 1),
        PSParameterInfo("Scope", type: .string), PSParameterInfo("PassThru", type: .switchParameter),
        PSParameterInfo("Option"), PSParameterInfo("Force", type: .switchParameter),
      ]
    ) { [unowned self] ctx in
      let name = ctx.parameters.string("Name") ?? ""
      try assign(
        VariableRef(scope: ctx.parameters.string("Scope")?.lowercased(), name: name), ctx.parameters["Value"] ?? .null)
    }
  }

  func removeVariable() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Remove-Variable", implementingType: Engine.utility("Remove-Variable"),
      parameters: [
        PSParameterInfo("Name", type: .stringArray, position: 0), PSParameterInfo("Scope", type: .string),
        PSParameterInfo("Force", type: .switchParameter),
      ]
    ) { [unowned self] ctx in
      for name in ctx.parameters.strings("Name") ?? [] {
        var scope: Scope? = current
        var removed = false
        while let candidate = scope, !removed {
          if candidate.variables.removeValue(forKey: name.lowercased()) != nil { removed = true }
          scope = candidate.parent
        }
        if !removed { try ctx.writeError(variableNotFound(name)) }
      }
    }
  }

  func startSleep() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Start-Sleep", implementingType: Engine.utility("Start-Sleep"),
      parameters: [PSParameterInfo("Seconds", type: .double, position: 0), PSParameterInfo("Milliseconds", type: .int)]
    ) { [unowned self] ctx in
      let seconds = (try PSConvert.toDouble(ctx.parameters["Seconds"] ?? .null)) ?? 0
      let milliseconds = Double(ctx.parameters.int("Milliseconds") ?? 0)
      host.clock.sleep(seconds: seconds + milliseconds / 1000)
    }
  }

  func getCommand() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Get-Command", implementingType: Engine.utility("Get-Command"),
      parameters: [
        PSParameterInfo("Name", type: .stringArray, position: 0), PSParameterInfo("Module", type: .stringArray),
        PSParameterInfo("CommandType"),
      ]
    ) { [unowned self] ctx in
      for name in ctx.parameters.strings("Name") ?? [] {
        let lowered = name.lowercased()
        let info = PSObject(
          typeName: "System.Management.Automation.CmdletInfo",
          baseTypes: ["System.Management.Automation.CommandInfo", "System.Object"])
        if current.findFunction(lowered) != nil {
          info.typeNames = [
            "System.Management.Automation.FunctionInfo", "System.Management.Automation.CommandInfo", "System.Object",
          ]
          info.addProperty("CommandType", .string("Function"))
          info.addProperty("Name", .string(name))
        } else if let command = commands[lowered] ?? aliases[lowered].flatMap({ commands[$0.lowercased()] }) {
          info.addProperty("CommandType", .string("Cmdlet"))
          info.addProperty("Name", .string(command.name))
        } else if natives[lowered] != nil || natives[lowered + ".exe"] != nil {
          info.typeNames = [
            "System.Management.Automation.ApplicationInfo", "System.Management.Automation.CommandInfo", "System.Object",
          ]
          info.addProperty("CommandType", .string("Application"))
          info.addProperty("Name", .string(lowered.hasSuffix(".exe") ? lowered : lowered + ".exe"))
        } else {
          try ctx.writeError(
            PSErrorRecord(
              exceptionType: "System.Management.Automation.CommandNotFoundException",
              message:
                "The term '\(name)' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
              errorId: "CommandNotFoundException", category: .objectNotFound, targetObject: .string(name)))
          continue
        }
        let shown = PSConvert.toString(info["Name"] ?? .null)
        info.toStringHandler = { shown }
        try ctx.writeObject(.object(info))
      }
    }
  }

  func addMember() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Add-Member", implementingType: Engine.utility("Add-Member"),
      parameters: [
        PSParameterInfo("MemberType", type: .string, aliases: ["Type"], position: 0),
        PSParameterInfo("Name", type: .string, position: 1),
        PSParameterInfo("Value", position: 2), PSParameterInfo("NotePropertyName", type: .string),
        PSParameterInfo("NotePropertyValue"), PSParameterInfo("NotePropertyMembers", type: .hashtable),
        PSParameterInfo("InputObject", mandatory: true, fromPipeline: true),
        PSParameterInfo("PassThru", type: .switchParameter),
        PSParameterInfo("Force", type: .switchParameter),
      ]
    ) { [unowned self] ctx in
      guard let target = ctx.inputObject ?? ctx.parameters["InputObject"] else { return }
      guard case .object(let object) = target else {
        throw PSErrorRecord(
          exceptionType: "System.InvalidOperationException",
          message:
            "Add-Member cannot add a member to a value of type \(PSTypes.typeName(of: target)) in this PowerShell host.",
          errorId: "CannotAddMember", category: .invalidOperation, targetObject: target)
      }
      var members: [(String, PSValue)] = []
      if let name = ctx.parameters.string("NotePropertyName") {
        members.append((name, ctx.parameters["NotePropertyValue"] ?? .null))
      }
      if let name = ctx.parameters.string("Name") { members.append((name, ctx.parameters["Value"] ?? .null)) }
      if case .hashtable(let table) = ctx.parameters["NotePropertyMembers"] ?? .null {
        for (key, value) in table.entries { members.append((PSConvert.toString(key), value)) }
      }
      for (name, value) in members {
        if object.property(named: name) != nil && !ctx.parameters.isSet("Force") {
          try ctx.writeError(
            PSErrorRecord(
              exceptionType: "System.InvalidOperationException",
              message:
                "Cannot add a member with the name \"\(name)\" because a member with that name already exists. To overwrite the member anyway, add the Force parameter to your command.",
              errorId: "MemberAlreadyExists", category: .invalidOperation, targetObject: target))
          continue
        }
        if ctx.parameters.string("MemberType")?.lowercased() == "scriptproperty", case .scriptBlock(let block) = value {
          object.addProperty(
            name,
            getter: { [unowned self] in
              self.collapse(
                try self.invokeScriptBlockCollecting(block, dollarUnder: nil, arguments: [], newScope: true))
            })
        } else {
          object.addProperty(name, value)
        }
      }
      if ctx.parameters.isSet("PassThru") { try ctx.writeObject(target) }
    }
  }

  func joinPath() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Join-Path", implementingType: "Microsoft.PowerShell.Commands.JoinPathCommand",
      parameters: [
        PSParameterInfo(
          "Path", type: .stringArray, aliases: ["PSPath"], mandatory: true, position: 0, fromPipeline: true,
          fromPipelineByPropertyName: true),
        PSParameterInfo("ChildPath", type: .string, mandatory: true, position: 1),
      ]
    ) { ctx in
      let child = ctx.parameters.string("ChildPath") ?? ""
      for path in ctx.parameters.strings("Path") ?? [] {
        let trimmedParent = path.hasSuffix("\\") ? String(path.dropLast()) : path
        let trimmedChild = child.hasPrefix("\\") ? String(child.dropFirst()) : child
        try ctx.writeObject(.string(trimmedChild.isEmpty ? path : trimmedParent + "\\" + trimmedChild))
      }
    }
  }

  func invokeExpression() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Invoke-Expression", implementingType: Engine.utility("Invoke-Expression"), aliases: ["iex"],
      parameters: [PSParameterInfo("Command", type: .string, mandatory: true, position: 0, fromPipeline: true)]
    ) { [unowned self] ctx in
      let text = ctx.inputObject.map { PSConvert.toString($0) } ?? ctx.parameters.string("Command") ?? ""
      let block: ScriptBlockAst
      do {
        block = try Parser.parse(text)
      } catch let error as PSParseError {
        throw error.errorRecord
      }
      try executeStatements(block.end, sink: { try ctx.writeObject($0) })
    }
  }
}
