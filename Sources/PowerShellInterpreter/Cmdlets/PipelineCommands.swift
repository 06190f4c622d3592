import Foundation

// Language-level cmdlets: Where-Object, ForEach-Object, Select-Object, Sort-Object, Measure-Object, Group-Object.
extension Engine {
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
        if PSWildcard.hasWildcards(name) {
          for property in propertyNames(of: item) where PSWildcard.matches(property, pattern: name) {
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
          let position = Int(((try? PSConvert.toInt64(index)) ?? nil) ?? 0)
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
        where !excluded.contains(where: { PSWildcard.matches(name, pattern: $0) }) {
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
}
