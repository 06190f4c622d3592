import Foundation

extension Engine {
  func registerUtilityCommands() {
    for command in [
      newTimeSpan(), splitPath(), formatCommand("Format-Table", list: false), formatCommand("Format-List", list: true),
    ] {
      registerCommand(command)
    }
  }

  func newTimeSpan() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "New-TimeSpan", implementingType: Engine.utility("New-TimeSpan"),
      parameters: [
        PSParameterInfo("Start", type: .dateTime, aliases: ["LastWriteTime"], position: 0),
        PSParameterInfo("End", type: .dateTime, position: 1), PSParameterInfo("Days", type: .int),
        PSParameterInfo("Hours", type: .int), PSParameterInfo("Minutes", type: .int),
        PSParameterInfo("Seconds", type: .int), PSParameterInfo("Milliseconds", type: .int),
      ]
    ) { [unowned self] ctx in
      if ctx.parameters.has("Start") || ctx.parameters.has("End") {
        let now = PSDateTime(date: host.clock.now(), kind: .local)
        var start = now
        var end = now
        if case .dateTime(let given) = ctx.parameters["Start"] ?? .null { start = given }
        if case .dateTime(let given) = ctx.parameters["End"] ?? .null { end = given }
        try ctx.writeObject(.timeSpan(PSTimeSpan(ticks: end.ticks - start.ticks)))
        return
      }
      let seconds =
        Double(ctx.parameters.int("Days") ?? 0) * 86400 + Double(ctx.parameters.int("Hours") ?? 0) * 3600
        + Double(ctx.parameters.int("Minutes") ?? 0) * 60 + Double(ctx.parameters.int("Seconds") ?? 0)
        + Double(ctx.parameters.int("Milliseconds") ?? 0) / 1000
      try ctx.writeObject(.timeSpan(PSTimeSpan(seconds: seconds)))
    }
  }

  /// Split-Path for Windows paths as strings (no provider access): -Parent (default), -Leaf, -Qualifier, -NoQualifier.
  func splitPath() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Split-Path", implementingType: "Microsoft.PowerShell.Commands.SplitPathCommand",
      parameters: [
        PSParameterInfo(
          "Path", type: .stringArray, aliases: ["PSPath", "LiteralPath"], mandatory: true, position: 0,
          fromPipeline: true, fromPipelineByPropertyName: true),
        PSParameterInfo("Parent", type: .switchParameter), PSParameterInfo("Leaf", type: .switchParameter),
        PSParameterInfo("Qualifier", type: .switchParameter), PSParameterInfo("NoQualifier", type: .switchParameter),
      ]
    ) { ctx in
      for path in ctx.parameters.strings("Path") ?? [] {
        let trimmed = path.count > 1 && path.hasSuffix("\\") && !path.hasSuffix(":\\") ? String(path.dropLast()) : path
        let colon = trimmed.firstIndex(of: ":")
        if ctx.parameters.isSet("Qualifier") {
          guard let colon else {
            try ctx.writeError(
              PSErrorRecord(
                exceptionType: "System.Management.Automation.DriveNotFoundException",
                message: "Cannot parse path because path '\(path)' does not have a qualifier specified.",
                errorId: "ParsePathFormatError", category: .invalidArgument, targetObject: .string(path)))
            continue
          }
          try ctx.writeObject(.string(String(trimmed[...colon])))
        } else if ctx.parameters.isSet("NoQualifier") {
          try ctx.writeObject(.string(colon.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed))
        } else if ctx.parameters.isSet("Leaf") {
          try ctx.writeObject(
            .string(String(trimmed.split(separator: "\\", omittingEmptySubsequences: false).last ?? "")))
        } else {
          guard let slash = trimmed.lastIndex(of: "\\") else {
            try ctx.writeObject(.string(""))
            continue
          }
          var parent = String(trimmed[..<slash])
          if parent.hasSuffix(":") { parent += "\\" }
          try ctx.writeObject(.string(parent))
        }
      }
    }
  }

  /// Format-Table / Format-List: render the input as text (the lines Out-Default would print).
  func formatCommand(_ name: String, list: Bool) -> PSCommandDefinition {
    PSCommandDefinition(
      name: name,
      implementingType: "Microsoft.PowerShell.Commands." + name.replacingOccurrences(of: "-", with: "") + "Command",
      aliases: [list ? "fl" : "ft"],
      parameters: [
        PSParameterInfo("Property", position: 0), PSParameterInfo("AutoSize", type: .switchParameter),
        PSParameterInfo("Wrap", type: .switchParameter), PSParameterInfo("InputObject", fromPipeline: true),
      ], inputMode: .all
    ) { [unowned self] ctx in
      var items = ctx.inputObjects
      if !ctx.expectingInput, let input = ctx.parameters["InputObject"] { items = [input] }
      if let selectors = ctx.parameters.list("Property") {
        items = try items.map { item in
          let object = PSObject.customObject()
          for (property, value) in try selectedProperties(item, selectors) { object.addProperty(property, value) }
          return .object(object)
        }
      }
      let text = OutputFormatter(newline: host.newline, forceList: list, forceTable: !list).format(items)
      try ctx.writeObject(.string(text.hasSuffix(host.newline) ? String(text.dropLast(host.newline.count)) : text))
    }
  }
}
