import Foundation

// Language-level cmdlets: Out-*, Write-* and the stream cmdlets.
extension Engine {
  func outNull() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Out-Null", implementingType: "Microsoft.PowerShell.Commands.OutNullCommand",
      parameters: [PSParameterInfo("InputObject", fromPipeline: true)], inputMode: .all
    ) { _ in }
  }

  func outString() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Out-String", implementingType: Engine.utility("Out-String"),
      parameters: [
        PSParameterInfo("InputObject", fromPipeline: true), PSParameterInfo("Stream", type: .switchParameter),
        PSParameterInfo("Width", type: .int),
      ], inputMode: .all
    ) { ctx in
      var items = ctx.inputObjects
      if !ctx.expectingInput, let input = ctx.parameters["InputObject"] { items = [input] }
      let text = OutputFormatter(newline: "\r\n").format(items)
      if ctx.parameters.isSet("Stream") {
        for line in text.components(separatedBy: "\r\n").dropLast() { try ctx.writeObject(.string(line)) }
      } else {
        try ctx.writeObject(.string(text))
      }
    }
  }

  func outDefaultCommand() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Out-Default", implementingType: "Microsoft.PowerShell.Commands.OutDefaultCommand", aliases: ["Out-Host"],
      parameters: [PSParameterInfo("InputObject", fromPipeline: true)]
    ) { [unowned self] ctx in
      if let item = ctx.inputObject ?? ctx.parameters["InputObject"] { outDefault(item) }
    }
  }

  func writeOutput() -> PSCommandDefinition {
    var info = PSParameterInfo("InputObject", position: 0, fromPipeline: true)
    info.takesRemainingArguments = true
    return PSCommandDefinition(
      name: "Write-Output", implementingType: Engine.utility("Write-Output"),
      parameters: [info, PSParameterInfo("NoEnumerate", type: .switchParameter)]
    ) { ctx in
      if let item = ctx.inputObject {
        try ctx.writeObject(item)
        return
      }
      guard let value = ctx.parameters["InputObject"] else { return }
      // Positional arguments arrive as an array (remaining arguments); `-InputObject x` (or a splat) as the value.
      var single = value
      if case .array(let arguments) = value, arguments.items.count == 1 { single = arguments.items[0] }
      if ctx.parameters.isSet("NoEnumerate") { try ctx.writeObject(single) } else { try ctx.writeEnumerated(single) }
    }
  }

  func writeHost() -> PSCommandDefinition {
    var object = PSParameterInfo("Object", position: 0, fromPipeline: true)
    object.takesRemainingArguments = true
    return PSCommandDefinition(
      name: "Write-Host", implementingType: Engine.utility("Write-Host"),
      parameters: [
        object, PSParameterInfo("NoNewline", type: .switchParameter), PSParameterInfo("Separator"),
        PSParameterInfo("ForegroundColor", type: .string), PSParameterInfo("BackgroundColor", type: .string),
      ]
    ) { [unowned self] ctx in
      let separator = ctx.parameters["Separator"].map { PSConvert.toString($0) } ?? " "
      var parts: [PSValue] = []
      if let item = ctx.inputObject {
        parts = [item]
      } else if let value = ctx.parameters["Object"] {
        parts = value.enumeratedItems ?? [value]
      }
      let text = parts.map { part -> String in
        if case .array(let inner) = part {
          return inner.items.map { PSConvert.toString($0) }.joined(separator: separator)
        }
        return PSConvert.toString(part)
      }.joined(separator: separator)
      flushFormatted()
      emitText(.stdout, text + (ctx.parameters.isSet("NoNewline") ? "" : host.newline))
    }
  }

  func writeError() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Write-Error", implementingType: Engine.utility("Write-Error"),
      parameters: [
        PSParameterInfo("Message", type: .string, aliases: ["Msg"], position: 0, fromPipeline: true),
        PSParameterInfo("Exception"), PSParameterInfo("ErrorRecord"),
        PSParameterInfo("Category", type: .enumeration(PSErrorCategory.enumType)),
        PSParameterInfo("ErrorId", type: .string), PSParameterInfo("TargetObject"),
        PSParameterInfo("RecommendedAction", type: .string), PSParameterInfo("CategoryActivity", type: .string),
        PSParameterInfo("CategoryReason", type: .string),
      ]
    ) { [unowned self] ctx in
      let record: PSErrorRecord
      if case .object(let object) = ctx.parameters["ErrorRecord"] ?? .null,
        let existing = object.native as? PSErrorRecord
      {
        record = existing
      } else {
        var exception = PSException(
          typeName: "Microsoft.PowerShell.Commands.WriteErrorException",
          message: ctx.inputObject.map { PSConvert.toString($0) } ?? ctx.parameters.string("Message") ?? "")
        if case .object(let object) = ctx.parameters["Exception"] ?? .null, let given = object.native as? PSException {
          exception = given
        } else if let text = ctx.parameters.string("Exception") {
          exception = PSException(typeName: "System.Exception", message: text)
        }
        var category = PSErrorCategory.notSpecified
        if case .enumValue(let e) = ctx.parameters["Category"] ?? .null {
          category = PSErrorCategory(rawValue: Int(e.value)) ?? .notSpecified
        }
        let function = functionNames.last(where: { !$0.isEmpty })
        var id = ctx.parameters.string("ErrorId") ?? exception.typeName
        if let function { id += "," + function }
        record = PSErrorRecord(
          exception: exception, errorId: id, category: category, targetObject: ctx.parameters["TargetObject"] ?? .null)
        record.activity = ctx.parameters.string("CategoryActivity") ?? "Write-Error"
        if let extent = currentExtent {
          record.invocation = extent.invocationInfo(commandName: function ?? "Write-Error")
        }
        record.isFinalized = true
      }
      try ctx.writeError(record)
    }
  }

  func writeStream(_ name: String) -> PSCommandDefinition {
    PSCommandDefinition(
      name: name, implementingType: Engine.utility(name),
      parameters: [
        PSParameterInfo("Message", type: .string, aliases: ["Msg", "MessageData"], position: 0, fromPipeline: true),
        PSParameterInfo("Tags"),
      ]
    ) { ctx in
      let message = ctx.inputObject.map { PSConvert.toString($0) } ?? ctx.parameters.string("Message") ?? ""
      if name == "Write-Warning" { ctx.writeWarning(message) }
      if name == "Write-Verbose" { ctx.writeVerbose(message) }
    }
  }

  func writeProgress() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Write-Progress", implementingType: Engine.utility("Write-Progress"),
      parameters: [
        PSParameterInfo("Activity", type: .string, position: 0), PSParameterInfo("Status", type: .string, position: 1),
        PSParameterInfo("Id", type: .int), PSParameterInfo("PercentComplete", type: .int),
        PSParameterInfo("Completed", type: .switchParameter), PSParameterInfo("CurrentOperation", type: .string),
      ]
    ) { _ in }
  }
}
