/// One concrete change on one host, as planned, journaled and sent: what it touches, the state before, the state it
/// sets, and whether it interrupts people.
///
/// Steps are what the journal records and what rollback replays backwards, so they carry every value needed to undo
/// them without the playbook that produced them.
public struct FixStep: Sendable, Hashable, Codable {
  /// Position in the host's plan ("1", "2", ...): the apply script reports results by this id.
  public var id: String
  /// The fix that produced the step (for a service stop/start the planner added, the fix that needed it).
  public var fix: String
  /// The control the step remediates; nil for supporting steps such as stopping a service.
  public var control: String?
  public var action: StepAction
  /// The target's state before the step, from the pre-read (or from the previous step on the same target).
  public var before: FactValue
  /// The state the step sets.
  public var after: FactValue
  /// Why the step interrupts people; nil when it does not.
  public var disruptive: String?
  /// Whether the step makes the change (`apply`) or takes it back (`undo`, a rollback step whose `after` is the
  /// original step's before-value).
  public var direction: StepDirection

  public init(
    id: String, fix: String, control: String?, action: StepAction, before: FactValue, after: FactValue,
    disruptive: String? = nil, direction: StepDirection = .apply
  ) {
    self.id = id
    self.fix = fix
    self.control = control
    self.action = action
    self.before = before
    self.after = after
    self.disruptive = disruptive
    self.direction = direction
  }

  /// `target: before -> after`, the dry run's line for the step.
  public var change: String {
    "\(action.target): \(action.describe(before)) -> \(action.describe(after))"
  }
}

/// Whether a step applies a change or undoes one.
public enum StepDirection: String, Sendable, Hashable, Codable {
  case apply
  case undo
}

/// The concrete change a step makes, with every parameter resolved (rule names, thumbprints, backup paths).
public enum StepAction: Sendable, Hashable, Codable {
  /// State: `{"exists": .bool(false)}` or `{"exists": .bool(true), "type": "DWord", "value": 1}`.
  case registryValue(RegistryValueRef)
  /// State: `{"exists": .bool(true), "enabled": .bool(true), "profile": "Domain, Private"}`.
  case firewallRule(name: String)
  /// State: `{"localPort": "3389"}`.
  case firewallPort(rule: String)
  /// State: `{"startType": "Manual"}`.
  case serviceStartType(service: String)
  /// State: `{"status": "Running"}`; sets the service running or stopped.
  case serviceStatus(service: String)
  /// State: `{"status": "Running"}`; restarts the service (undo restores the recorded status).
  case serviceRestart(service: String)
  /// State: `{"exists": .bool(true), "sddl": "..."}` before, `{"grants": [...]}` after; `backup` is the icacls /save file.
  case resetACL(path: String, grants: [String], backup: String)
  /// State: `{"present": .bool(true), "subject": ..., "notAfter": ...}`; exported to `export` before removal.
  case removeCertificate(store: String, thumbprint: String, export: String)
  /// State: `{"exists": .bool(true)}` of `path`; renames it to `newName` in the same folder, optionally recreating an empty
  /// folder in its place.
  case rename(path: String, newName: String, recreateFolder: Bool)

  /// What the step touches, in the words people search for.
  public var target: String {
    switch self {
    case .registryValue(let ref): return ref.description
    case .firewallRule(let name): return "firewall rule \(name)"
    case .firewallPort(let rule): return "firewall rule \(rule) LocalPort"
    case .serviceStartType(let service): return "service \(service) start type"
    case .serviceStatus(let service): return "service \(service)"
    case .serviceRestart(let service): return "restart service \(service)"
    case .resetACL(let path, _, _): return "ACL of \(path)"
    case .removeCertificate(let store, let thumbprint, _): return "certificate \(thumbprint) in \(store)"
    case .rename(let path, _, _): return path
    }
  }

  /// Steps on the same target chain their states: the second one's before is the first one's after.
  var targetKey: String {
    switch self {
    case .registryValue(let ref): return "reg:" + ref.description.lowercased()
    case .firewallRule(let name): return "fw:" + name.lowercased()
    case .firewallPort(let rule): return "fwport:" + rule.lowercased()
    case .serviceStartType(let service): return "svcstart:" + service.lowercased()
    case .serviceStatus(let service), .serviceRestart(let service): return "svc:" + service.lowercased()
    case .resetACL(let path, _, _): return "acl:" + path.lowercased()
    case .removeCertificate(let store, let thumbprint, _):
      return "cert:\(store.lowercased()):\(thumbprint.lowercased())"
    case .rename(let path, _, _): return "path:" + path.lowercased()
    }
  }

  /// The part of a host read (see `RemediationScripts` read functions) that this step's state consists of.
  func state(fromRead read: FactValue) -> FactValue {
    switch self {
    case .registryValue:
      guard read["exists"]?.truthy == true else { return .record(["exists": .bool(false)]) }
      return .record(["exists": .bool(true), "type": read["type"] ?? .null, "value": read["value"] ?? .null])
    case .firewallRule:
      guard read["exists"]?.truthy == true else { return .record(["exists": .bool(false)]) }
      return .record([
        "exists": .bool(true), "enabled": .bool(read["enabled"]?.truthy ?? false),
        "profile": .string(read["profile"]?.asText ?? ""),
      ])
    case .firewallPort:
      return .record(["localPort": .string(read["localPort"]?.asText ?? "")])
    case .serviceStartType:
      return .record(["startType": .string(read["startType"]?.asText ?? "")])
    case .serviceStatus, .serviceRestart:
      return .record(["status": .string(read["status"]?.asText ?? "")])
    case .resetACL:
      guard read["exists"]?.truthy == true else { return .record(["exists": .bool(false)]) }
      return .record(["exists": .bool(true), "sddl": read["sddl"] ?? .null])
    case .removeCertificate:
      guard read["present"]?.truthy == true else { return .record(["present": .bool(false)]) }
      return .record([
        "present": .bool(true), "subject": read["subject"] ?? .null, "notAfter": read["notAfter"] ?? .null,
      ])
    case .rename:
      return .record(["exists": .bool(read["exists"]?.truthy ?? false)])
    }
  }

  /// A state for people: `1 (DWord)`, `absent`, `Running`, `enabled (Domain, Private)`.
  public func describe(_ state: FactValue) -> String {
    switch self {
    case .registryValue:
      guard state["exists"]?.truthy == true else { return "absent" }
      let type = state["type"]?.asText ?? "?"
      let value = state["value"].map(Self.show) ?? "?"
      return "\(value) (\(type))"
    case .firewallRule:
      guard state["exists"]?.truthy != false else { return "missing" }
      let enabled = state["enabled"]?.truthy == true ? "enabled" : "disabled"
      let profile = state["profile"]?.asText ?? ""
      return profile.isEmpty ? enabled : "\(enabled) (\(profile))"
    case .firewallPort:
      return state["localPort"]?.asText ?? "?"
    case .serviceStartType:
      return state["startType"]?.asText ?? "?"
    case .serviceStatus:
      return state["status"]?.asText ?? "?"
    case .serviceRestart:
      let status = state["status"]?.asText ?? "?"
      return state["restarted"]?.truthy == true ? "\(status) (restarted)" : status
    case .resetACL:
      if let grants = state["grants"]?.array { return grants.compactMap(\.asText).joined(separator: " ") }
      guard state["exists"]?.truthy == true else { return "missing" }
      return state["sddl"]?.asText ?? "?"
    case .removeCertificate:
      guard state["present"]?.truthy == true else {
        return state["exportedTo"]?.asText.map { "removed (exported to \($0))" } ?? "absent"
      }
      let subject = state["subject"]?.asText ?? "?"
      let notAfter = state["notAfter"]?.asText ?? "?"
      return "present (\(subject), expires \(notAfter))"
    case .rename:
      guard state["exists"]?.truthy == true else {
        return state["renamedTo"]?.asText.map { "renamed to \($0)" } ?? "absent"
      }
      return state["recreated"]?.truthy == true ? "new empty folder" : "present"
    }
  }

  private static func show(_ value: FactValue) -> String {
    switch value {
    case .array(let items): return "[" + items.map(show).joined(separator: ",") + "]"
    case .string(let text): return "'\(text)'"
    default: return value.asText ?? value.compactJSON
    }
  }
}
