/// `setRegistry`: sets a registry value the playbook declares as a fact, typed, creating its key when missing.
///
///     - setRegistry: {fact: nla, value: 1}             # type: DWord for numbers, String for text (or give type:)
///
/// The value's path, name and Group Policy twin come from the fact. When the host has the policy value set, the fix is
/// not applied (the next policy refresh would undo it) and the policy to change is named instead.
struct SetRegistryAction: FixAction {
  static let name = "setRegistry"

  var value: RegistryFact
  var data: RegistryData

  static func parse(_ parameters: ActionParameters) -> SetRegistryAction? {
    let label = parameters.label
    let reader = parameters.reader
    guard let map = parameters.mapping(allowed: ["fact", "type", "value"], required: ["fact", "value"]),
      let factNode = map["fact"], let fact = parameters.fact(at: factNode, "fact of \(label)", kind: RegistryFact.self),
      let valueNode = map["value"]
    else { return nil }
    let type: String
    if let typeNode = map["type"] {
      guard let named = parameters.oneOf(typeNode, "type of \(label)", RegistryData.typeNames) else { return nil }
      type = named
    } else {
      type = valueNode.int != nil ? "DWord" : valueNode.sequence != nil ? "MultiString" : "String"
    }
    let what = "value of \(label) (a \(type))"
    let data: RegistryData?
    switch type {
    case "DWord": data = reader.int(valueNode, what, range: 0...Int(UInt32.max)).map { .dword(Int64($0)) }
    case "QWord": data = reader.int(valueNode, what).map { .qword(Int64($0)) }
    case "String": data = reader.string(valueNode, what).map(RegistryData.string)
    case "ExpandString": data = reader.string(valueNode, what).map(RegistryData.expandString)
    case "MultiString": data = reader.stringList(valueNode, what).map(RegistryData.multiString)
    default:
      guard let items = reader.sequence(valueNode, "\(what): a list of bytes") else { return nil }
      let bytes = items.compactMap { reader.int($0, "each byte of \(what)", range: 0...255) }
      data = bytes.count == items.count ? .binary(bytes.map(UInt8.init)) : nil
    }
    return data.map { SetRegistryAction(value: fact, data: $0) }
  }

  var reads: [HostRead] { RegistryValueChange.reads(of: value) }

  func plan(_ context: PlanContext) -> ActionPlan {
    RegistryValueChange.plan(value, to: RegistryValueState(data), context)
  }
}

/// A registry value's state: its typed data, or absent.
struct RegistryValueState: Sendable, Hashable, Codable {
  var data: RegistryData?

  init(_ data: RegistryData?) {
    self.data = data
  }

  private enum Keys: String, CodingKey {
    case exists, type, value
  }

  /// Reads `{"exists": false}` or `{"exists": true, "type": "DWord", "value": 1}`; a value that exists but whose type
  /// or value cannot be read is an error, never "absent" (restoring "absent" would delete it).
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Keys.self)
    guard try container.decode(Bool.self, forKey: .exists) else {
      data = nil
      return
    }
    let type = try container.decode(String.self, forKey: .type)
    let value = try container.decode(FactValue.self, forKey: .value)
    guard let data = RegistryData(type: type, value: value) else {
      throw DecodingError.dataCorruptedError(
        forKey: .value, in: container, debugDescription: "a \(type) value that cannot be read back: \(value.display)")
    }
    self.data = data
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode(data != nil, forKey: .exists)
    if let data {
      try container.encode(data.typeName, forKey: .type)
      try container.encode(data.readValue, forKey: .value)
    }
  }
}

/// Setting or removing one registry value; its undo writes the recorded state back, with its type.
struct RegistryValueChange: Change {
  static let kind = "registryValue"
  var checkedBeforeUndo: Bool { true }

  var value: RegistryValueRef
  var before: RegistryValueState
  var after: RegistryValueState
  /// The key did not exist before this change created it: undoing the change removes the key again when nothing else
  /// was put in it since. Absent in journals of earlier versions.
  var createsKey: Bool? = nil

  var targetID: RegistryValueRef { RegistryValueRef(path: value.path.lowercased(), name: value.name.lowercased()) }
  var target: String { value.description }
  var readBack: HostRead { .registryValue(value) }

  func script(_ direction: StepDirection, step: String) -> String {
    let path = PowerShellValue.literal(value.path).code
    let name = PowerShellValue.literal(value.name).code
    guard let data = after.data else {
      var script = """
        if ($null -ne (Get-ItemProperty -LiteralPath \(path) -Name \(name) -ErrorAction 'SilentlyContinue')) {
          Remove-ItemProperty -LiteralPath \(path) -Name \(name)
        }
        """
      if direction == .undo && createsKey == true {
        // The key was made by the change being undone: it goes too, unless something else is in it now.
        script += """

          $waKey = Get-Item -LiteralPath \(path) -ErrorAction 'SilentlyContinue'
          if ($null -ne $waKey -and $waKey.ValueCount -eq 0 -and $waKey.SubKeyCount -eq 0) {
            Remove-Item -LiteralPath \(path)
          }
          """
      }
      return script
    }
    // New-Item -Force on an existing registry key wipes its values: create the key only when it is missing.
    return """
      if (-not (Test-Path -LiteralPath \(path))) { $null = New-Item -Path \(path) -Force }
      $null = New-ItemProperty -LiteralPath \(path) -Name \(name) -PropertyType \(PowerShellValue.literal(data.typeName).code) -Value \(data.powerShellValue) -Force
      """
  }

  static func describe(_ state: RegistryValueState) -> String {
    state.data.map { "\($0.display) (\($0.typeName))" } ?? "absent"
  }

  /// The reads a change of `value` needs: the value, and its Group Policy twin when it has one.
  static func reads(of value: RegistryFact) -> [HostRead] {
    [.registryValue(value.local)] + (value.policy.map { [.registryValue($0)] } ?? [])
  }

  /// One step setting `value` to `state`, unless Group Policy sets it.
  static func plan(_ value: RegistryFact, to state: RegistryValueState, _ context: PlanContext) -> ActionPlan {
    if let policy = value.policy, let set = context.reads[.registryValue(policy)], set["exists"]?.bool == true {
      return .skipped(.groupPolicy(policy: policy, value: set["value"]?.display ?? "?"))
    }
    guard let before = context.reads.decode(.registryValue(value.local), as: RegistryValueState.self) else {
      return .skipped(.precondition("\(value.local) could not be read"))
    }
    var change = RegistryValueChange(value: value.local, before: before, after: state)
    if context.reads[.registryValue(value.local)]?["keyExists"]?.bool == false, state.data != nil {
      change.createsKey = true
    }
    return .steps([Draft(.change, change)])
  }
}
