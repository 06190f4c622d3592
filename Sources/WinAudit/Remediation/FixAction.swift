import Foundation
import Yams

/// One kind of change a fix can make (`setRegistry`, `enableFirewallRules`, ...): everything about it lives in the
/// type that conforms, one file per action under `Remediation/Actions/`, with the change type of its steps.
///
/// An action parses its parameters (naming the playbook facts it changes, so a target is written once), says what it
/// must read on the host before planning, and turns what the reads returned into typed changes; the changes carry the
/// apply and undo scripts. `FixActions.all` lists the actions once; nothing else switches over them.
protocol FixAction: Sendable, Hashable {
  /// The action's key in a remediation playbook (`setRegistry`).
  static var name: String { get }
  /// Reads the parameters written after the action's name, reporting every problem where it is written.
  static func parse(_ parameters: ActionParameters) -> Self?

  /// What the planner must read on the host to plan this action.
  var reads: [HostRead] { get }
  /// The drafts of the steps this action needs on a host, given what the reads returned, or why it cannot be planned.
  func plan(_ context: PlanContext) -> ActionPlan
  /// The services this action itself restarts (they make the fix disruptive).
  var restartedServices: [String] { get }
}

extension FixAction {
  var restartedServices: [String] { [] }
}

/// The actions a remediation playbook may use.
enum FixActions {
  static let all: [any FixAction.Type] = [
    SetRegistryAction.self, RemoveRegistryAction.self, EnableFirewallRulesAction.self, SetFirewallPortAction.self,
    SetServiceStartTypeAction.self, StartServiceAction.self, RestartServiceAction.self, ResetAclAction.self,
    RepairAclAction.self,
    RemoveBrokenCertificatesAction.self, RenameAction.self,
  ]

  static var names: [String] { all.map { $0.name } }

  static func action(named name: String) -> (any FixAction.Type)? {
    all.first { $0.name == name }
  }
}

/// The parameters of one action as its `parse` sees them: the YAML node, the typed reads that report problems with
/// file, line and column, and the playbook whose facts the action may name.
struct ActionParameters {
  let reader: YAMLReader
  let node: Node
  /// `setRegistry in fix 'nla-required'`: how messages name the action.
  let label: String
  /// The facts of the playbook the remediation belongs to.
  let facts: [Fact]

  /// The parameters as a mapping with only `allowed` keys and every `required` one.
  func mapping(allowed: [String], required: [String] = []) -> YAMLReader.Mapping? {
    reader.mapping(node, label, allowed: allowed, required: required)
  }

  func report(_ message: String, at node: Node?) {
    reader.report(message, at: node)
  }

  /// The fact named at `node`, which must be of kind `K`: the target an action changes, as the playbook declares it.
  func fact<K: FactKind>(at node: Node, _ what: String, kind: K.Type) -> K? {
    guard let id = reader.string(node, what) else { return nil }
    guard let fact = facts.first(where: { $0.id == id }) else {
      let known = facts.filter { $0.kindName == K.name }.map(\.id)
      report(
        "\(what) names fact '\(id)', which the playbook does not declare"
          + (known.isEmpty ? "" : " (its \(K.name) facts: \(known.joined(separator: ", ")))"), at: node)
      return nil
    }
    guard let kind = fact.kind as? K else {
      report("\(what) needs a fact of kind \(K.name), but '\(id)' is \(fact.kindName)", at: node)
      return nil
    }
    return kind
  }

  /// An absolute Windows path such as `C:\ProgramData\...`.
  func windowsPath(_ node: Node, _ what: String) -> String? {
    guard let path = reader.string(node, what) else { return nil }
    let bytes = Array(path.utf8)
    guard bytes.count >= 3, bytes[1] == UInt8(ascii: ":"), bytes[2] == UInt8(ascii: "\\"), !path.hasSuffix("\\")
    else {
      report("\(what) must be an absolute Windows path such as 'C:\\ProgramData\\...', found '\(path)'", at: node)
      return nil
    }
    return path
  }

  /// Text that must be one of `allowed` (case-insensitive); returns the allowed spelling.
  func oneOf(_ node: Node, _ what: String, _ allowed: [String]) -> String? {
    guard let text = reader.string(node, what) else { return nil }
    guard let match = allowed.first(where: { $0.lowercased() == text.lowercased() }) else {
      report("\(what) must be one of \(allowed.joined(separator: ", ")), found '\(text)'", at: node)
      return nil
    }
    return match
  }
}

/// What an action plans with on one host: the reads' results, and where the run keeps backups.
struct PlanContext {
  var reads: HostReads
  /// The fix the action belongs to.
  var fix: Fix
  /// The action's position in the fix (names its backup files).
  var actionIndex: Int
  /// The run's backup folder on the host (ACL saves, certificate exports).
  var backupFolder: String
  /// The suffix of renamed paths (`20250601120000`, UTC).
  var stamp: String
  /// The client's clock, used when the host's could not be read.
  var now: Date
}

/// An action's plan on one host.
enum ActionPlan {
  case steps([Draft])
  /// The fix cannot be applied on this host, and why.
  case skipped(SkippedFix.Reason)
}

/// A step before ids are given and before steps on the same target are chained.
struct Draft {
  /// When the step runs: services are stopped first, then the changes, then started, then restarted.
  enum Phase: Int, Comparable {
    case stop, change, startAction, start, restartAction, restart
    static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
  }

  var phase: Phase
  var change: AnyChange
  var disruptive: String?

  init(_ phase: Phase, _ change: any Change, disruptive: String? = nil) {
    self.phase = phase
    self.change = AnyChange(change)
    self.disruptive = disruptive
  }

  /// Whether the step belongs to the fix's own changes (not a supporting service stop or start).
  var isChange: Bool { phase == .change || phase == .startAction || phase == .restartAction }
}
