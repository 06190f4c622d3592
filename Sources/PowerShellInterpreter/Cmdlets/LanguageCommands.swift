import Foundation

extension Engine {
  func registerLanguageCommands() {
    for command in [
      whereObject(), forEachObject(), selectObject(), sortObject(), measureObject(), groupObject(), outNull(),
      outString(), outDefaultCommand(), writeOutput(), writeHost(), writeError(), writeStream("Write-Warning"),
      writeStream("Write-Verbose"), writeStream("Write-Debug"), writeStream("Write-Information"), writeProgress(),
      getDate(), convertToJson(), convertFromJson(), newObject(), getVariable(), setVariable(), removeVariable(),
      startSleep(), getCommand(), addMember(), joinPath(), invokeExpression(),
    ] {
      registerCommand(command)
    }
  }

  static func utility(_ name: String) -> String {
    "Microsoft.PowerShell.Commands." + name.replacingOccurrences(of: "-", with: "") + "Command"
  }

  func whereObject() -> PSCommandDefinition {
    let operators = [
      "EQ", "NE", "GT", "GE", "LT", "LE", "Like", "NotLike", "Match", "NotMatch", "Contains", "NotContains", "In",
      "NotIn", "CEQ", "CNE", "CGT", "CGE", "CLT", "CLE", "CLike", "CNotLike", "CMatch", "CNotMatch", "CContains",
      "CNotContains", "CIn", "CNotIn", "Is", "IsNot", "Not",
    ]
    let parameters =
      [
        PSParameterInfo("FilterScript", position: 0), PSParameterInfo("Value", position: 1),
        PSParameterInfo("Property", type: .string), PSParameterInfo("InputObject", fromPipeline: true),
      ] + operators.map { PSParameterInfo($0, type: .switchParameter) }
    return PSCommandDefinition(
      name: "Where-Object", implementingType: Engine.utility("Where-Object"), parameters: parameters
    ) { [unowned self] ctx in
      guard let item = ctx.inputObject else { return }
      let filter = ctx.parameters["FilterScript"] ?? .null
      if case .scriptBlock(let block) = filter {
        let result = try invokeScriptBlockCollecting(block, dollarUnder: item, arguments: [], newScope: false)
        if PSConvert.toBool(collapse(result)) { try ctx.writeObject(item) }
        return
      }
      var property = ctx.parameters.string("Property")
      var value = ctx.parameters["Value"]
      if property == nil {
        property = PSConvert.toString(filter)
      } else if value == nil {
        value = filter
      }
      guard let property else { return }
      let actual = try getMember(item, property)
      let boundOperator = ctx.parameters.values.first { entry in
        operators.contains { $0.caseInsensitiveCompare(entry.name) == .orderedSame } && PSConvert.toBool(entry.value)
      }
      guard let op = boundOperator?.name else {
        if PSConvert.toBool(actual) { try ctx.writeObject(item) }
        return
      }
      if op == "Not" {
        if !PSConvert.toBool(actual) { try ctx.writeObject(item) }
        return
      }
      let result = try binary(op.lowercased(), actual, value ?? .null)
      if PSConvert.toBool(result) { try ctx.writeObject(item) }
    }
  }

  func forEachObject() -> PSCommandDefinition {
    var definition = PSCommandDefinition(
      name: "ForEach-Object", implementingType: Engine.utility("ForEach-Object"),
      parameters: [
        PSParameterInfo("Process", position: 0), PSParameterInfo("Begin", type: .scriptBlock),
        PSParameterInfo("End", type: .scriptBlock), PSParameterInfo("MemberName", type: .string),
        PSParameterInfo("ArgumentList", aliases: ["Args"]), PSParameterInfo("InputObject", fromPipeline: true),
      ]
    ) { [unowned self] ctx in
      guard let item = ctx.inputObject else { return }
      var process = ctx.parameters["Process"] ?? .null
      if let member = ctx.parameters.string("MemberName") { process = .string(member) }
      switch process {
      case .scriptBlock(let block):
        for output in try invokeScriptBlockCollecting(block, dollarUnder: item, arguments: [], newScope: false) {
          try ctx.writeObject(output)
        }
      case .array(let blocks):
        for case .scriptBlock(let block) in blocks.items {
          for output in try invokeScriptBlockCollecting(block, dollarUnder: item, arguments: [], newScope: false) {
            try ctx.writeObject(output)
          }
        }
      case .null: break
      default:
        let name = PSConvert.toString(process)
        let arguments = ctx.parameters.list("ArgumentList") ?? []
        let result: PSValue
        if ctx.parameters.has("ArgumentList") || (item.asObject?.method(named: name) != nil && !hasProperty(item, name))
        {
          result = try callMethod(item, name, arguments)
        } else {
          result = try getMember(item, name)
        }
        try ctx.writeEnumerated(result)
      }
    }
    definition.beginHook = { [unowned self] ctx in
      if case .scriptBlock(let block) = ctx.parameters["Begin"] ?? .null {
        for output in try invokeScriptBlockCollecting(block, dollarUnder: nil, arguments: [], newScope: false) {
          try ctx.writeObject(output)
        }
      }
    }
    definition.endHook = { [unowned self] ctx in
      if case .scriptBlock(let block) = ctx.parameters["End"] ?? .null {
        for output in try invokeScriptBlockCollecting(block, dollarUnder: nil, arguments: [], newScope: false) {
          try ctx.writeObject(output)
        }
      }
    }
    return definition
  }

  /// A property selector: a name (wildcards allowed), a script block, or `@{Name=...; Expression=...}`.
  func selectedProperties(_ item: PSValue, _ selectors: [PSValue]) throws -> [(String, PSValue)] {
    var result: [(String, PSValue)] = []
    for selector in selectors {
      switch selector {
      case .hashtable(let table):
        let name = table["Name"] ?? table["N"] ?? table["Label"] ?? table["L"]
        let expression = table["Expression"] ?? table["E"] ?? .null
        let value: PSValue
        if case .scriptBlock(let block) = expression {
          value = collapse(try invokeScriptBlockCollecting(block, dollarUnder: item, arguments: [], newScope: false))
        } else {
          value = try getMember(item, PSConvert.toString(expression))
        }
        let label = name.map { PSConvert.toString($0) } ?? PSConvert.toString(expression)
        result.append((label, value))
      case .scriptBlock(let block):
        let value = collapse(try invokeScriptBlockCollecting(block, dollarUnder: item, arguments: [], newScope: false))
        result.append((block.text, value))
      default:
        let name = PSConvert.toString(selector)
        if Wildcard.hasWildcards(name) {
          for property in propertyNames(of: item) where Wildcard.matches(property, pattern: name) {
            result.append((property, try getMember(item, property)))
          }
        } else {
          let actual = propertyNames(of: item).first { $0.caseInsensitiveCompare(name) == .orderedSame } ?? name
          result.append((actual, try getMember(item, name)))
        }
      }
    }
    return result
  }

  func propertyNames(of value: PSValue) -> [String] {
    switch value {
    case .object(let object): return object.properties.map { $0.name }
    case .hashtable: return ["IsReadOnly", "IsFixedSize", "IsSynchronized", "Keys", "Values", "SyncRoot", "Count"]
    case .string: return ["Length"]
    case .dateTime:
      return [
        "DisplayHint", "DateTime", "Date", "Day", "DayOfWeek", "DayOfYear", "Hour", "Kind", "Millisecond", "Minute",
        "Month", "Second", "Ticks", "TimeOfDay", "Year",
      ]
    default: return []
    }
  }

  func selectObject() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Select-Object", implementingType: Engine.utility("Select-Object"),
      parameters: [
        PSParameterInfo("Property", position: 0), PSParameterInfo("ExcludeProperty", type: .stringArray),
        PSParameterInfo("ExpandProperty", type: .string), PSParameterInfo("First", type: .int),
        PSParameterInfo("Last", type: .int), PSParameterInfo("Skip", type: .int),
        PSParameterInfo("Unique", type: .switchParameter),
        PSParameterInfo("Index", type: .intArray), PSParameterInfo("InputObject", fromPipeline: true),
      ], inputMode: .all
    ) { [unowned self] ctx in
      var items = ctx.inputObjects
      if !ctx.expectingInput, let input = ctx.parameters["InputObject"] { items = [input] }
      if ctx.parameters.isSet("Unique") && !ctx.parameters.has("Property") {
        var unique: [PSValue] = []
        for item in items where !(try unique.contains { try compareEqual($0, item, caseSensitive: true) }) {
          unique.append(item)
        }
        items = unique
      }
      if let skip = ctx.parameters.int("Skip") { items = Array(items.dropFirst(max(0, skip))) }
      if let indices = ctx.parameters.list("Index") {
        items = indices.compactMap { index in
          let position = Int((try? PSConvert.toInt64(index)) ?? 0 ?? 0)
          return position >= 0 && position < items.count ? items[position] : nil
        }
      }
      if ctx.parameters.has("First") || ctx.parameters.has("Last") {
        var selected: [PSValue] = []
        if let first = ctx.parameters.int("First") { selected += items.prefix(max(0, first)) }
        if let last = ctx.parameters.int("Last") { selected += items.suffix(max(0, last)) }
        items = selected
      }
      let selectors = ctx.parameters.list("Property")
      var emitted: [PSValue] = []
      for item in items {
        if let expand = ctx.parameters.string("ExpandProperty") {
          let member = try getMember(item, expand)
          let found = hasProperty(item, expand) || (item.asObject == nil && !member.isNull)
          guard found else {
            try ctx.writeError(
              PSErrorRecord(
                exceptionType: "System.Management.Automation.PSArgumentException",
                message: "Property \"\(expand)\" cannot be found.", errorId: "ExpandPropertyNotFound",
                category: .invalidArgument,
                targetObject: item))
            continue
          }
          try ctx.writeEnumerated(try getMember(item, expand))
          continue
        }
        guard let selectors else {
          try ctx.writeObject(item)
          continue
        }
        let object = PSObject.customObject()
        let excluded = ctx.parameters.strings("ExcludeProperty") ?? []
        for (name, value) in try selectedProperties(item, selectors)
        where !excluded.contains(where: { Wildcard.matches(name, pattern: $0) }) {
          object.addProperty(name, value)
        }
        let value = PSValue.object(object)
        if ctx.parameters.isSet("Unique") {
          let text = PSConvert.toString(value)
          if emitted.contains(where: { PSConvert.toString($0) == text }) { continue }
          emitted.append(value)
        }
        try ctx.writeObject(value)
      }
    }
  }

  func sortKey(_ item: PSValue, _ selector: PSValue) throws -> PSValue {
    switch selector {
    case .scriptBlock(let block):
      return collapse(try invokeScriptBlockCollecting(block, dollarUnder: item, arguments: [], newScope: false))
    case .hashtable(let table):
      return try sortKey(item, table["Expression"] ?? table["E"] ?? .null)
    default:
      return try getMember(item, PSConvert.toString(selector))
    }
  }

  func sortObject() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Sort-Object", implementingType: Engine.utility("Sort-Object"),
      parameters: [
        PSParameterInfo("Property", position: 0), PSParameterInfo("Descending", type: .switchParameter),
        PSParameterInfo("Unique", type: .switchParameter), PSParameterInfo("CaseSensitive", type: .switchParameter),
        PSParameterInfo("InputObject", fromPipeline: true),
      ], inputMode: .all
    ) { [unowned self] ctx in
      let items = ctx.inputObjects
      let selectors = ctx.parameters.list("Property") ?? []
      let descending = ctx.parameters.isSet("Descending")
      let caseSensitive = ctx.parameters.isSet("CaseSensitive")
      let keyed = try items.map { item -> (PSValue, [PSValue]) in
        (item, selectors.isEmpty ? [item] : try selectors.map { try sortKey(item, $0) })
      }
      func order(_ a: PSValue, _ b: PSValue) -> Int {
        if a.isNull && b.isNull { return 0 }
        if a.isNull { return -1 }
        if b.isNull { return 1 }
        return (try? compareOrder(a, b, caseSensitive: caseSensitive))
          ?? PSConvert.toString(a).compare(PSConvert.toString(b)).rawValue
      }
      let sorted = keyed.enumerated().sorted { lhs, rhs in
        for (offset, (a, b)) in zip(lhs.element.1, rhs.element.1).enumerated() {
          var descendingKey = descending
          if offset < selectors.count, case .hashtable(let table) = selectors[offset], let flag = table["Descending"] {
            descendingKey = PSConvert.toBool(flag)
          }
          let result = order(a, b)
          if result != 0 { return descendingKey ? result > 0 : result < 0 }
        }
        return lhs.offset < rhs.offset
      }.map { $0.element }
      var previous: [PSValue]?
      for (item, keys) in sorted {
        if ctx.parameters.isSet("Unique"), let previous, zip(previous, keys).allSatisfy({ order($0, $1) == 0 }) {
          continue
        }
        previous = keys
        try ctx.writeObject(item)
      }
    }
  }

  func measureObject() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Measure-Object", implementingType: Engine.utility("Measure-Object"),
      parameters: [
        PSParameterInfo("Property", type: .stringArray, position: 0), PSParameterInfo("Sum", type: .switchParameter),
        PSParameterInfo("Average", type: .switchParameter), PSParameterInfo("Maximum", type: .switchParameter),
        PSParameterInfo("Minimum", type: .switchParameter), PSParameterInfo("InputObject", fromPipeline: true),
      ], inputMode: .all
    ) { [unowned self] ctx in
      var items = ctx.inputObjects
      if !ctx.expectingInput, let input = ctx.parameters["InputObject"] { items = [input] }
      let properties = ctx.parameters.strings("Property") ?? [""]
      for property in properties {
        let values = try items.map { property.isEmpty ? $0 : try getMember($0, property) }.filter { !$0.isNull }
        let wantsNumbers =
          ctx.parameters.isSet("Sum") || ctx.parameters.isSet("Average") || ctx.parameters.isSet("Maximum")
          || ctx.parameters.isSet("Minimum")
        let checked = try (wantsNumbers ? values : []).map { value -> Double in
          guard let number = try? PSConvert.toDouble(value) else {
            throw PSErrorRecord(
              exceptionType: "System.Management.Automation.PSInvalidOperationException",
              message: "Input object \"\(PSConvert.toString(value))\" is not numeric.",
              errorId: "NonNumericInputObject",
              category: .invalidType, targetObject: value)
          }
          return number
        }
        let info = PSObject(
          typeName: "Microsoft.PowerShell.Commands.GenericMeasureInfo",
          baseTypes: ["Microsoft.PowerShell.Commands.MeasureInfo", "System.Object"])
        info.addProperty("Count", .int(Int32(values.count)))
        info.addProperty(
          "Average",
          ctx.parameters.isSet("Average") && !checked.isEmpty
            ? .double(checked.reduce(0, +) / Double(checked.count)) : .null)
        info.addProperty("Sum", ctx.parameters.isSet("Sum") ? .double(checked.reduce(0, +)) : .null)
        info.addProperty(
          "Maximum", ctx.parameters.isSet("Maximum") && !checked.isEmpty ? .double(checked.max()!) : .null)
        info.addProperty(
          "Minimum", ctx.parameters.isSet("Minimum") && !checked.isEmpty ? .double(checked.min()!) : .null)
        info.addProperty("Property", property.isEmpty ? .null : .string(property))
        try ctx.writeObject(.object(info))
      }
    }
  }

  func groupObject() -> PSCommandDefinition {
    PSCommandDefinition(
      name: "Group-Object", implementingType: Engine.utility("Group-Object"),
      parameters: [
        PSParameterInfo("Property", position: 0), PSParameterInfo("NoElement", type: .switchParameter),
        PSParameterInfo("AsHashTable", type: .switchParameter), PSParameterInfo("AsString", type: .switchParameter),
        PSParameterInfo("InputObject", fromPipeline: true),
      ], inputMode: .all
    ) { [unowned self] ctx in
      let selectors = ctx.parameters.list("Property") ?? []
      var groups: [(key: String, values: [PSValue], items: [PSValue])] = []
      for item in ctx.inputObjects {
        let keys = selectors.isEmpty ? [item] : try selectors.map { try sortKey(item, $0) }
        let name = keys.map { PSConvert.toString($0) }.joined(separator: ", ")
        if let index = groups.firstIndex(where: { $0.key.caseInsensitiveCompare(name) == .orderedSame }) {
          groups[index].items.append(item)
        } else {
          groups.append((name, keys, [item]))
        }
      }
      if ctx.parameters.isSet("AsHashTable") {
        let table = PSHashtable()
        for group in groups {
          let key = ctx.parameters.isSet("AsString") || group.values.count != 1 ? .string(group.key) : group.values[0]
          table.set(key, .array(PSArray(group.items)))
        }
        try ctx.writeObject(.hashtable(table))
        return
      }
      for group in groups {
        let info = PSObject(typeName: "Microsoft.PowerShell.Commands.GroupInfo")
        info.addProperty("Count", .int(Int32(group.items.count)))
        info.addProperty("Name", .string(group.key))
        if !ctx.parameters.isSet("NoElement") { info.addProperty("Group", .array(PSArray(group.items))) }
        info.addProperty("Values", .array(PSArray(group.values)))
        try ctx.writeObject(.object(info))
      }
    }
  }

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
      guard let value = ctx.parameters["InputObject"], case .array(let arguments) = value else { return }
      let single = arguments.items.count == 1 ? arguments.items[0] : value
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
        if let function = current.findFunction(lowered) {
          _ = function
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
