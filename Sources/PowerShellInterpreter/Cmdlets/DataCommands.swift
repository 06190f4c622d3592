import Foundation

// Language-level cmdlets: Get-Date, ConvertTo-Json, ConvertFrom-Json, New-Object.
extension Engine {
  func getDate() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Get-Date", implementingType: Engine.utility("Get-Date"),
      parameters: [
        PSParameterInfo("Date", type: .dateTime, aliases: ["LastWriteTime"], position: 0, fromPipeline: true),
        PSParameterInfo("Format", type: .string), PSParameterInfo("UFormat", type: .string),
        PSParameterInfo("Year", type: .int), PSParameterInfo("Month", type: .int), PSParameterInfo("Day", type: .int),
        PSParameterInfo("Hour", type: .int), PSParameterInfo("Minute", type: .int),
        PSParameterInfo("Second", type: .int),
        PSParameterInfo("Millisecond", type: .int),
      ]
    ) { [unowned self] ctx in
      var date: PSDateTime
      if case .dateTime(let given) = ctx.parameters["Date"] ?? .null {
        date = given
      } else {
        date = PSDateTime(date: host.clock.now(), kind: .local)
      }
      if ["Year", "Month", "Day", "Hour", "Minute", "Second"].contains(where: { ctx.parameters.has($0) }) {
        let p = PSDateFormatter.parts(date)
        date = PSDateTime(
          ticks: PSDateFormatter.ticks(
            year: ctx.parameters.int("Year") ?? p.year, month: ctx.parameters.int("Month") ?? p.month,
            day: ctx.parameters.int("Day") ?? p.day, hour: ctx.parameters.int("Hour") ?? p.hour,
            minute: ctx.parameters.int("Minute") ?? p.minute, second: ctx.parameters.int("Second") ?? p.second)
            + p.fraction, kind: date.kind)
      }
      if let format = ctx.parameters.string("Format") {
        try ctx.writeObject(.string(PSDateFormatter.format(date, format)))
        return
      }
      if let format = ctx.parameters.string("UFormat") {
        try ctx.writeObject(.string(PSDateFormatter.uformat(date, format)))
        return
      }
      date.fromGetDate = true
      try ctx.writeObject(.dateTime(date))
    }
  }

  func convertToJson() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "ConvertTo-Json", implementingType: Engine.utility("ConvertTo-Json"),
      parameters: [
        PSParameterInfo("InputObject", position: 0, fromPipeline: true), PSParameterInfo("Depth", type: .int),
        PSParameterInfo("Compress", type: .switchParameter),
      ], inputMode: .all
    ) { [unowned self] ctx in
      var items = ctx.inputObjects.filter { !$0.isNull }
      if !ctx.expectingInput, let input = ctx.parameters["InputObject"], !input.isNull { items = [input] }
      guard !items.isEmpty else { return }
      let value = items.count == 1 ? items[0] : .array(PSArray(items))
      let depth = ctx.parameters.int("Depth") ?? 2
      let json = try JSONWriter(engine: self, maxDepth: depth).serialize(value)
      try ctx.writeObject(.string(ctx.parameters.isSet("Compress") ? json : JSONWriter.prettyPrint(json)))
    }
  }

  func convertFromJson() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "ConvertFrom-Json", implementingType: Engine.utility("ConvertFrom-Json"),
      parameters: [PSParameterInfo("InputObject", type: .string, mandatory: true, position: 0, fromPipeline: true)],
      inputMode: .all
    ) { ctx in
      var texts = ctx.inputObjects.map { PSConvert.toString($0) }
      if !ctx.expectingInput { texts = [ctx.parameters.string("InputObject") ?? ""] }
      let text = texts.joined(separator: "\n")
      if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
      do {
        var reader = JSONReader(text)
        try ctx.writeObject(try reader.parseDocument())
      } catch let message as JSONReader.Failure {
        throw PSErrorRecord(
          exceptionType: "System.ArgumentException", message: message.text, errorId: "System.ArgumentException",
          category: .notSpecified, targetObject: .string(text))
      }
    }
  }

  func newObject() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "New-Object", implementingType: Engine.utility("New-Object"),
      parameters: [
        PSParameterInfo("TypeName", type: .string, position: 0),
        PSParameterInfo("ArgumentList", aliases: ["Args"], position: 1),
        PSParameterInfo("Property", type: .hashtable), PSParameterInfo("ComObject", type: .string),
        PSParameterInfo("Strict", type: .switchParameter),
      ]
    ) { [unowned self] ctx in
      if let com = ctx.parameters.string("ComObject") {
        throw PSErrorRecord(
          exceptionType: "System.Runtime.InteropServices.COMException",
          message:
            "Retrieving the COM class factory for component with CLSID {00000000-0000-0000-0000-000000000000} failed due to the following error: 80040154 Class not registered (Exception from HRESULT: 0x80040154 (REGDB_E_CLASSNOTREG)).",
          errorId: "NoCOMClassIdentified", category: .resourceUnavailable, targetObject: .string(com))
      }
      let name = ctx.parameters.string("TypeName") ?? ""
      guard let type = resolveType(name) else {
        throw PSErrorRecord(
          exceptionType: "System.Management.Automation.PSArgumentException",
          message: "Cannot find type [\(name)]: verify that the assembly containing this type is loaded.",
          errorId: "TypeNotFound", category: .invalidType)
      }
      let arguments = ctx.parameters.list("ArgumentList") ?? []
      let value = try Builtins.construct(type, arguments, engine: self)
      if case .hashtable(let properties) = ctx.parameters["Property"] ?? .null {
        for (key, item) in properties.entries { try setMemberOrAdd(value, PSConvert.toString(key), item) }
      }
      try ctx.writeObject(value)
    }
  }

  func setMemberOrAdd(_ target: PSValue, _ name: String, _ value: PSValue) throws {
    if case .object(let object) = target, object.property(named: name) == nil {
      object.addProperty(name, value)
      return
    }
    try setMember(target, name, value)
  }
}
