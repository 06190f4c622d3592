import Foundation

/// Turns a host's drifting controls and one read of the host into an ordered, guarded plan.
///
/// Planning is two calls around one read of the host: `reads` lists what the chosen fixes must read (each distinct
/// read once); `plan` hands every action the results of its reads and orders what they draft: services a fix needs
/// stopped are stopped first, then every change in fix order, then services are started, then restarted; steps that
/// would change nothing are dropped, so a second run plans nothing.
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

  /// Where backups (ACL saves, certificate exports) go on the host, one folder per run, under its %ProgramData%
  /// (`C:\ProgramData` when the host did not say).
  static func backupRoot(_ reads: HostReads) -> String {
    (reads[.programData]?["programData"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? #"C:\ProgramData"#)
      + #"\winaudit\backup"#
  }

  public var catalogue: RemediationCatalogue
  public var options: Options

  public init(catalogue: RemediationCatalogue, options: Options = Options()) {
    self.catalogue = catalogue
    self.options = options
  }

  /// The fixes for the drifting controls (in catalogue order), and the drifting controls no fix covers.
  public func select(drifting controls: [String]) -> (fixes: [Fix], unfixed: [SkippedFix]) {
    let drifting = Set(controls)
    let wanted = { (fix: Fix) in
      self.options.only.isEmpty || self.options.only.contains(fix.id)
        || !fix.repairs.isDisjoint(with: self.options.only)
    }
    var fixes = catalogue.fixes.filter {
      !$0.repairs.isDisjoint(with: drifting) && (!$0.optIn || options.include.contains($0.id)) && wanted($0)
    }
    let superseded = Set(fixes.flatMap(\.supersedes))
    fixes.removeAll { superseded.contains($0.id) }
    let covered = Set(catalogue.fixes.flatMap(\.repairs))
    let unfixed = controls.filter { !covered.contains($0) }
      .filter { options.only.isEmpty || options.only.contains($0) }
      .map { SkippedFix(fix: nil, control: $0, reason: .noFix) }
    return (Self.ordered(fixes), unfixed)
  }

  /// Whether `--only` keeps `control`: named itself, or repaired by a fix named (everything without `--only`).
  public func inScope(_ control: String) -> Bool {
    options.only.isEmpty || options.only.contains(control)
      || catalogue.fixes.contains { options.only.contains($0.id) && $0.repairs.contains(control) }
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

  /// Everything `fixes` must read on the host, each distinct read once, in the order first needed.
  func reads(for fixes: [Fix]) -> [HostRead] {
    var reads: [HostRead] = []
    func add(_ read: HostRead) {
      if !reads.contains(read) { reads.append(read) }
    }
    for fix in fixes {
      fix.actions.flatMap(\.reads).forEach(add)
      (fix.stopServices + fix.restartServices).map(HostRead.service).forEach(add)
    }
    return reads
  }

  // MARK: Planning

  /// The host's plan from the fixes `select` chose and what the reads returned.
  ///
  /// `run` names the backup folder on the host; `now` stamps renamed paths (`MachineKeys_Old_20250601120000`).
  func plan(host: String, fixes: [Fix], reads: HostReads, run: RunID, now: Date) -> HostPlan {
    var plan = HostPlan(host: host)
    var kept: [(fix: Fix, drafts: [Draft])] = []
    for fix in fixes {
      let drafts: [Draft]
      switch drafted(fix, reads: reads, run: run, now: now) {
      case .skipped(let reason):
        plan.skipped.append(SkippedFix(fix: fix.id, control: fix.control, reason: reason))
        continue
      case .steps(let result):
        drafts = result
      }
      guard drafts.contains(where: { $0.isChange && $0.change.changesSomething }) else {
        plan.skipped.append(SkippedFix(fix: fix.id, control: fix.control, reason: .nothingToChange))
        continue
      }
      let effective = drafts.filter { $0.change.changesSomething || $0.phase == .restart }
      if let why = fix.disruptive ?? effective.compactMap(\.disruptive).first, !options.allowDisruptive {
        plan.skipped.append(SkippedFix(fix: fix.id, control: fix.control, reason: .disruptive(why)))
        continue
      }
      kept.append((fix, drafts))
    }
    plan.steps = Self.merge(kept)
    return plan
  }

  /// A fix's drafts: its service stops and starts around its actions' drafts, or why it is not planned.
  private func drafted(_ fix: Fix, reads: HostReads, run: RunID, now: Date) -> ActionPlan {
    var context = PlanContext(
      reads: reads, fix: fix, actionIndex: 0, backupFolder: Self.backupRoot(reads) + "\\" + run.text,
      stamp: Self.stamp(now),
      now: now)
    var drafts: [Draft] = []
    for service in fix.stopServices {
      drafts.append(Draft(.stop, ServiceRunningChange.to(.stopped, service, context), disruptive: "stops \(service)"))
      drafts.append(
        Draft(.start, ServiceRunningChange(service: service, restart: false, before: .stopped, after: .running)))
    }
    for (index, action) in fix.actions.enumerated() {
      context.actionIndex = index
      switch action.plan(context) {
      case .skipped(let reason): return .skipped(reason)
      case .steps(let steps): drafts += steps
      }
    }
    for service in fix.restartServices {
      drafts.append(
        Draft(
          .restart, ServiceRunningChange.to(.running, service, context, restart: true),
          disruptive: "restarts \(service)"))
    }
    return .steps(drafts)
  }

  /// Merges the kept fixes' drafts into phase order, drops duplicates and no-ops, chains before-values, numbers steps.
  static func merge(_ kept: [(fix: Fix, drafts: [Draft])]) -> [FixStep] {
    let all = kept.flatMap { entry in entry.drafts.map { (fix: entry.fix, draft: $0) } }.enumerated()
      .sorted { ($0.element.draft.phase, $0.offset) < ($1.element.draft.phase, $1.offset) }.map(\.element)
    var latest: [AnyChange] = []
    var steps: [FixStep] = []
    var started: [AnyChange] = []
    var restarted: [AnyChange] = []
    for (fix, draft) in all {
      var change = draft.change
      if let previous = latest.last(where: { $0.sameTarget(as: change) }) { change = change.following(previous) }
      if change.actsWhenUnchanged {
        // A service the plan started (or already restarted) runs with the new settings: no second restart.
        if started.contains(where: { $0.sameTarget(as: change) })
          || restarted.contains(where: { $0.sameTarget(as: change) })
        {
          continue
        }
        restarted.append(change)
      } else {
        guard change.changesSomething else { continue }
      }
      if let service = change.base as? ServiceRunningChange, !service.restart, service.after == .running {
        started.append(change)
      }
      latest.append(change)
      steps.append(
        FixStep(
          id: String(steps.count + 1), fix: fix.id, control: draft.isChange ? fix.control : nil, change: change,
          disruptive: draft.disruptive, needsReboot: fix.needsReboot && draft.isChange ? true : nil))
    }
    return steps
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
