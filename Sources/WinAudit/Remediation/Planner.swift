import Foundation
import RemotePowerShell

/// Turns a host's drifting controls and a pre-read of the host into an ordered, guarded plan.
///
/// Planning is two calls around one read of the host: `probes` lists what to read (current values, Group Policy
/// values, the rules in a firewall group, the listener's port, the RDP key file's name); `plan` turns those reads into
/// steps. Order: services a fix needs stopped are stopped first, then every change in fix order, then services are
/// started, then restarted; steps that would change nothing are dropped, so a second run plans nothing.
public struct Planner: Sendable {
  public struct Options: Sendable, Hashable {
    /// Control or fix ids to keep (`--only`); empty keeps all.
    public var only: Set<String>
    /// Opt-in fixes to plan (`--include`).
    public var include: Set<String>
    /// Plan disruptive fixes (`--allow-disruptive`); otherwise they are listed as skipped.
    public var allowDisruptive: Bool

    public init(only: Set<String> = [], include: Set<String> = [], allowDisruptive: Bool = false) {
      self.only = only
      self.include = include
      self.allowDisruptive = allowDisruptive
    }
  }

  /// The registry key of the RDP listener, whose PortNumber a firewall port fix can follow.
  static let listenerKey = #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp"#

  public var catalogue: RemediationCatalogue
  public var options: Options
  /// Fix ids a control names with its `fix:` key, by control id: they repair that control too.
  public var namedFixes: [String: [String]]

  public init(catalogue: RemediationCatalogue, options: Options = Options(), namedFixes: [String: [String]] = [:]) {
    self.catalogue = catalogue
    self.options = options
    self.namedFixes = namedFixes
  }

  /// The controls a fix repairs: the one it names, and every control that names it.
  func controls(repairedBy fix: Fix) -> Set<String> {
    var controls: Set<String> = [fix.control]
    for (control, fixes) in namedFixes where fixes.contains(fix.id) { controls.insert(control) }
    return controls
  }

  /// The fixes for the drifting controls (in catalogue order), and the drifting controls no fix covers.
  public func select(drifting controls: [String]) -> (fixes: [Fix], unfixed: [SkippedFix]) {
    let drifting = Set(controls)
    let wanted = { (fix: Fix) in
      self.options.only.isEmpty || self.options.only.contains(fix.id)
        || !self.controls(repairedBy: fix).isDisjoint(with: self.options.only)
    }
    var fixes = catalogue.fixes.filter {
      !self.controls(repairedBy: $0).isDisjoint(with: drifting) && (!$0.optIn || options.include.contains($0.id))
        && wanted($0)
    }
    let superseded = Set(fixes.flatMap(\.supersedes))
    fixes.removeAll { superseded.contains($0.id) }
    let covered = Set(catalogue.fixes.flatMap { self.controls(repairedBy: $0) })
    let unfixed = controls.filter { !covered.contains($0) }
      .filter { options.only.isEmpty || options.only.contains($0) }
      .map { SkippedFix(fix: nil, control: $0, reason: .noFix) }
    return (Self.ordered(fixes), unfixed)
  }

  /// Fixes sorted so each comes after the fixes it names in `after`, otherwise keeping catalogue order.
  static func ordered(_ fixes: [Fix]) -> [Fix] {
    var placed: [Fix] = []
    var remaining = fixes
    while !remaining.isEmpty {
      let ids = Set(remaining.map(\.id))
      let index = remaining.firstIndex { fix in !fix.after.contains(where: ids.contains) } ?? 0
      placed.append(remaining.remove(at: index))
    }
    return placed
  }

  // MARK: Reading the host

  /// What to read on the host for `fixes`: the key of each read and the read function call.
  public func probes(for fixes: [Fix]) -> [Probe] {
    let q = PowerShellQuote.literal
    var probes: [Probe] = []
    var services: [String] = []
    func service(_ name: String) {
      if !services.contains(where: { $0.lowercased() == name.lowercased() }) { services.append(name) }
    }
    for (f, fix) in fixes.enumerated() {
      fix.stopServices.forEach(service)
      fix.restartServices.forEach(service)
      for (a, action) in fix.actions.enumerated() {
        let key = Self.key(f, a)
        switch action {
        case .setRegistryValue(let ref, _, let policy), .removeRegistryValue(let ref, let policy):
          probes.append(Probe(key: key, expression: "WaRegistryValue -Path \(q(ref.path)) -Name \(q(ref.name))"))
          if let policy {
            probes.append(
              Probe(key: key + ".policy", expression: "WaRegistryValue -Path \(q(policy.path)) -Name \(q(policy.name))")
            )
          }
        case .enableFirewallRules(let selector, let profiles):
          switch selector {
          case .names(let names):
            let reads = names.map { "(WaFirewallRule -Name \(q($0)))" }.joined(separator: ", ")
            probes.append(Probe(key: key, expression: "[ordered]@{ rules = @(\(reads)) }"))
          case .group(let group):
            probes.append(Probe(key: key, expression: "WaFirewallGroup -Group \(q(group))"))
          }
          if profiles == .connected, !probes.contains(where: { $0.key == "profiles" }) {
            probes.append(Probe(key: "profiles", expression: "WaConnectedProfiles"))
          }
        case .setFirewallRulePort(let rule, let port):
          probes.append(Probe(key: key, expression: "WaFirewallPort -Name \(q(rule))"))
          if port == .listener {
            probes.append(
              Probe(key: key + ".port", expression: "WaRegistryValue -Path \(q(Self.listenerKey)) -Name 'PortNumber'"))
          }
        case .setServiceStartType(let name, _), .startService(let name), .restartService(let name):
          service(name)
        case .resetACL(let path, _):
          probes.append(Probe(key: key, expression: "WaAcl -Path \(q(path))"))
        case .removeBrokenCertificates(let selection):
          probes.append(Probe(key: key, expression: "WaCertificates -Store \(q(selection.store))"))
          if selection.validForDays != nil, !probes.contains(where: { $0.key == "now" }) {
            probes.append(Probe(key: "now", expression: "[ordered]@{ now = (Get-Date).ToString('o') }"))
          }
        case .renameRDPKeyFile(let folder):
          probes.append(Probe(key: key, expression: "WaRdpKeyFile -Folder \(q(folder))"))
        case .renameFolder(let path):
          probes.append(Probe(key: key, expression: "WaPath -Path \(q(path))"))
        }
      }
    }
    probes += services.map { Probe(key: "service:" + $0.lowercased(), expression: "WaService -Name \(q($0))") }
    return probes
  }

  static func key(_ fix: Int, _ action: Int) -> String { "f\(fix)a\(action)" }

  // MARK: Planning

  /// The host's plan from the fixes `select` chose and what the pre-read returned.
  ///
  /// `run` names the backup folder on the host; `now` stamps renamed paths (`MachineKeys_Old_20250601120000`).
  public func plan(host: String, fixes: [Fix], read: FactValue, run: RunID, now: Date) -> HostPlan {
    var plan = HostPlan(host: host)
    var kept: [(fix: Fix, steps: [Draft])] = []
    for (f, fix) in fixes.enumerated() {
      let drafts: [Draft]
      switch drafted(fix, index: f, read: read, run: run, now: now) {
      case .skipped(let skip):
        plan.skipped.append(skip)
        continue
      case .steps(let result):
        drafts = result
      }
      let changes = drafts.filter { $0.phase == .change || $0.phase == .startAction || $0.phase == .restartAction }
      guard changes.contains(where: \.changesSomething) else {
        plan.skipped.append(SkippedFix(fix: fix.id, control: fix.control, reason: .nothingToChange))
        continue
      }
      let effective = drafts.filter { $0.changesSomething || $0.phase == .restart }
      if let why = fix.disruptive ?? effective.compactMap(\.disruptive).first, !options.allowDisruptive {
        plan.skipped.append(SkippedFix(fix: fix.id, control: fix.control, reason: .disruptive(why)))
        continue
      }
      kept.append((fix, drafts))
    }
    plan.steps = Self.merge(kept)
    return plan
  }

  /// A fix's drafts, or why it is not planned.
  enum Drafted {
    case steps([Draft])
    case skipped(SkippedFix)
  }

  /// A step before ids are given and before steps on the same target are chained.
  struct Draft {
    enum Phase: Int, Comparable {
      case stop, change, startAction, start, restartAction, restart
      static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }
    var phase: Phase
    var fix: Fix
    var control: String?
    var action: StepAction
    var before: FactValue
    var after: FactValue
    var disruptive: String?

    var changesSomething: Bool {
      if case .serviceRestart = action { return true }
      return before.compactJSON != after.compactJSON
    }
  }

  private func drafted(_ fix: Fix, index f: Int, read: FactValue, run: RunID, now: Date) -> Drafted {
    var drafts: [Draft] = []
    func skip(_ reason: SkippedFix.Reason) -> Drafted {
      .skipped(SkippedFix(fix: fix.id, control: fix.control, reason: reason))
    }
    func draft(
      _ phase: Draft.Phase, _ action: StepAction, _ before: FactValue, _ after: FactValue, _ why: String? = nil
    ) {
      drafts.append(
        Draft(
          phase: phase, fix: fix, control: fix.control, action: action, before: before, after: after, disruptive: why))
    }
    let stamp = Self.stamp(now)
    let backup = RemediationScripts.backupRoot + "\\" + run.text
    func serviceState(_ name: String) -> FactValue { read["service:" + name.lowercased()] ?? .null }
    for name in fix.stopServices {
      let action = StepAction.serviceStatus(service: name)
      draft(
        .stop, action, action.state(fromRead: serviceState(name)), .record(["status": .string("Stopped")]),
        "stops \(name)")
      draft(.start, action, .record(["status": .string("Stopped")]), .record(["status": .string("Running")]))
    }
    for (a, fixAction) in fix.actions.enumerated() {
      let key = Self.key(f, a)
      let current = read[key] ?? .null
      switch fixAction {
      case .setRegistryValue(let ref, _, let policy), .removeRegistryValue(let ref, let policy):
        if let policy, let set = read[key + ".policy"], set["exists"]?.truthy == true {
          return skip(.groupPolicy(policy: policy, value: set["value"]?.display ?? "?"))
        }
        let action = StepAction.registryValue(ref)
        var after: FactValue = .record(["exists": .bool(false)])
        if case .setRegistryValue(_, let data, _) = fixAction {
          after = .record(["exists": .bool(true), "type": .string(data.typeName), "value": data.stateValue])
        }
        draft(.change, action, action.state(fromRead: current), after)
      case .enableFirewallRules(_, let requirement):
        let needed: [String]
        switch requirement {
        case .profiles(let list): needed = list
        case .connected: needed = (read["profiles"]?["profiles"]?.list ?? []).compactMap(\.asText)
        }
        let rules = current["rules"]?.list ?? []
        if rules.isEmpty { return skip(.precondition("no firewall rule matches the fix's names or group")) }
        for rule in rules {
          guard let name = rule["name"]?.asText else { continue }
          let action = StepAction.firewallRule(name: name)
          guard rule["exists"]?.truthy == true else {
            return skip(.precondition("firewall rule \(name) does not exist on the host"))
          }
          let profile = Self.covering(rule["profile"]?.asText ?? "", needed: needed)
          draft(
            .change, action, action.state(fromRead: rule),
            .record(["exists": .bool(true), "enabled": .bool(true), "profile": .string(profile)]))
        }
      case .setFirewallRulePort(let rule, let source):
        guard current["exists"]?.truthy == true else {
          return skip(.precondition("firewall rule \(rule) does not exist on the host"))
        }
        let port: Int64
        switch source {
        case .fixed(let number): port = Int64(number)
        case .listener: port = read[key + ".port"]?["value"]?.asInt ?? 3389
        }
        let action = StepAction.firewallPort(rule: rule)
        draft(.change, action, action.state(fromRead: current), .record(["localPort": .string(String(port))]))
      case .setServiceStartType(let name, let startType):
        let action = StepAction.serviceStartType(service: name)
        draft(.change, action, action.state(fromRead: serviceState(name)), .record(["startType": .string(startType)]))
      case .startService(let name):
        let action = StepAction.serviceStatus(service: name)
        draft(.startAction, action, action.state(fromRead: serviceState(name)), .record(["status": .string("Running")]))
      case .restartService(let name):
        let action = StepAction.serviceRestart(service: name)
        draft(
          .restartAction, action, action.state(fromRead: serviceState(name)),
          .record(["status": .string("Running")]), "restarts \(name)")
      case .resetACL(let path, let grants):
        let name = "\(fix.id)-\(a).acl"
        let action = StepAction.resetACL(path: path, grants: grants, backup: backup + "\\" + name)
        guard current["exists"]?.truthy == true else { return skip(.precondition("\(path) does not exist")) }
        draft(
          .change, action, action.state(fromRead: current), .record(["grants": .array(grants.map(FactValue.string))]))
      case .removeBrokenCertificates(let selection):
        let hostNow = read["now"]?["now"]?.asText.flatMap(ISODate.parse) ?? now
        for certificate in current["certificates"]?.list ?? [] {
          guard let thumbprint = certificate["thumbprint"]?.asText,
            Self.isBroken(certificate, selection, now: hostNow)
          else { continue }
          let export = backup + "\\" + thumbprint + ".cer"
          let action = StepAction.removeCertificate(store: selection.store, thumbprint: thumbprint, export: export)
          draft(
            .change, action, action.state(fromRead: certificate),
            .record(["present": .bool(false), "exportedTo": .string(export)]))
        }
      case .renameRDPKeyFile, .renameFolder:
        guard let path = current["path"]?.asText, current["exists"]?.truthy == true else { continue }
        let recreate: Bool
        if case .renameFolder = fixAction { recreate = true } else { recreate = false }
        let newName = FixStep.name(of: path) + "_Old_" + stamp
        let action = StepAction.rename(path: path, newName: newName, recreateFolder: recreate)
        draft(
          .change, action, action.state(fromRead: current),
          .record(["exists": .bool(recreate), "renamedTo": .string(newName), "recreated": .bool(recreate)]))
      }
    }
    for name in fix.restartServices {
      let action = StepAction.serviceRestart(service: name)
      draft(
        .restart, action, action.state(fromRead: serviceState(name)), .record(["status": .string("Running")]),
        "restarts \(name)")
    }
    return .steps(drafts)
  }

  /// Merges the kept fixes' drafts into phase order, drops duplicates and no-ops, chains before-values, numbers steps.
  static func merge(_ kept: [(fix: Fix, steps: [Draft])]) -> [FixStep] {
    let all = kept.flatMap(\.steps).enumerated().sorted {
      ($0.element.phase, $0.offset) < ($1.element.phase, $1.offset)
    }
    .map(\.element)
    var state: [String: FactValue] = [:]
    var steps: [FixStep] = []
    var started = Set<String>()
    var restarted = Set<String>()
    for draft in all {
      let target = draft.action.targetKey
      var draft = draft
      if let known = state[target] { draft.before = draft.action.state(fromRead: known) }
      switch (draft.phase, draft.action) {
      case (.restart, .serviceRestart), (.restartAction, .serviceRestart):
        // A service the plan started (or already restarted) runs with the new settings: no second restart.
        if started.contains(target) || !restarted.insert(target).inserted { continue }
      default:
        guard draft.changesSomething else { continue }
      }
      if case .serviceStatus = draft.action, draft.after["status"]?.asText == "Running" { started.insert(target) }
      state[target] = draft.after
      steps.append(
        FixStep(
          id: String(steps.count + 1), fix: draft.fix.id,
          control: draft.phase == .change
            || draft.phase == .startAction || draft.phase == .restartAction ? draft.control : nil,
          action: draft.action, before: draft.before, after: draft.after, disruptive: draft.disruptive))
    }
    return steps
  }

  /// Whether a certificate from `WaCertificates` is one the selection removes.
  static func isBroken(_ certificate: FactValue, _ selection: CertificateSelection, now: Date) -> Bool {
    if selection.selfSigned {
      return certificate["subject"]?.asText == certificate["issuer"]?.asText
    }
    if certificate["expired"]?.truthy == true || certificate["hasPrivateKey"]?.truthy == false { return true }
    if let days = selection.validForDays, let notAfter = certificate["notAfter"]?.asText.flatMap(ISODate.parse) {
      return notAfter < now.addingTimeInterval(Double(days) * 86_400)
    }
    return false
  }

  /// The profile list a rule needs: its own when it already covers `needed`, else the union in Windows' order.
  static func covering(_ current: String, needed: [String]) -> String {
    let have = Set(current.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    if have.contains("any") || needed.isEmpty { return current.isEmpty ? "Any" : current }
    let want = Set(needed.map { $0.lowercased() })
    if want.isSubset(of: have) { return current }
    let union = have.union(want)
    if union.contains("any") { return "Any" }
    return RemediationParser.profiles.filter { union.contains($0.lowercased()) }.joined(separator: ", ")
  }

  /// `20250601120000`: the suffix of renamed paths, in UTC.
  static func stamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMddHHmmss"
    return formatter.string(from: date)
  }
}
