import Foundation

/// The diff engine: compares one host's facts with a playbook and returns one finding per control, in playbook order.
///
/// It is a pure function of its inputs (the clock is a parameter), which is what lets every expectation kind, Group
/// Policy attribution and error path be unit-tested without a host.
enum DiffEngine {
  static func findings(playbook: Playbook, facts: FactsDocument, host: InventoryHost, now: Date) -> [Finding] {
    var evaluation = Evaluation(playbook: playbook, facts: facts, host: host, now: now)
    return playbook.controls.map { evaluation.finding(for: $0) }
  }

  /// The findings of a host whose own facts could not be read (SSH failed, the collector broke): only the controls
  /// that the wire facts alone decide (`Playbook.wireOnlyControls`); the rest stay unknown and are not listed.
  static func wireFindings(playbook: Playbook, wire: [String: FactResult], host: InventoryHost, now: Date) -> [Finding]
  {
    guard !wire.isEmpty else { return [] }
    let only = playbook.wireOnlyControls
    let facts = FactsDocument(host: HostFacts(), facts: wire)
    var evaluation = Evaluation(playbook: playbook, facts: facts, host: host, now: now)
    return playbook.controls.filter { only.contains($0.id) }.map { evaluation.finding(for: $0) }
  }
}

/// One host's evaluation; memoizes findings so `requires` can look at controls declared later.
struct Evaluation {
  let playbook: Playbook
  let facts: FactsDocument
  let host: InventoryHost
  let now: Date
  private var done: [String: Finding] = [:]

  init(playbook: Playbook, facts: FactsDocument, host: InventoryHost, now: Date) {
    self.playbook = playbook
    self.facts = facts
    self.host = host
    self.now = now
  }

  /// Why a fact could not be read; thrown inside the evaluation and turned into an error finding.
  struct FactUnavailable: Error {
    var message: String
  }

  mutating func finding(for control: Control) -> Finding {
    if let known = done[control.id] { return known }
    let result = evaluate(control)
    done[control.id] = result
    return result
  }

  private mutating func evaluate(_ control: Control) -> Finding {
    if let missing = control.factReferences.first(where: { id in
      fact(id)?.isWire == true && facts.facts[id] == nil
    }) {
      return Finding(control, .skipped, message: "the outside-in probe did not run, so \(missing) was not read")
    }
    do {
      if let reason = try notApplicable(control) {
        return Finding(control, .skipped, message: reason)
      }
    } catch {
      return Finding(control, .error, message: describe(error))
    }
    for id in control.requires {
      guard let required = playbook.controls.first(where: { $0.id == id }) else { continue }
      let outcome = finding(for: required)
      if outcome.status != .pass {
        return Finding(control, .skipped, message: "requires '\(id)', which did not pass (\(outcome.status.rawValue))")
      }
    }
    do {
      let main = try judge(control.check)
      guard main.outcome.passed else { return Finding(control, .drift, main) }
      // The main check holds; each `and` check must hold too, and the first that does not is the drift.
      let expected = ([main.outcome.expected] + control.check.and.map { "\($0.fact) \(words($0))" })
        .joined(separator: ", and ")
      for also in control.check.and {
        var judged = try judge(also)
        guard judged.outcome.passed else {
          judged.outcome.expected = expected
          judged.outcome.message = ["\(also.fact) is \(judged.outcome.actual)", judged.outcome.message]
            .compactMap { $0 }.joined(separator: ": ")
          return Finding(control, .drift, judged)
        }
      }
      var passed = main
      passed.outcome.expected = expected
      return Finding(control, .pass, passed)
    } catch {
      return Finding(control, .error, expected: words(control.check), message: describe(error))
    }
  }

  /// A check's expectation in words.
  private func words(_ check: Check) -> String {
    ExpectationCheck.describe(check.expectation, evaluation: self)
  }

  /// One check on this host: its outcome (a drift's message says what the value's source means for a fix) and the
  /// view it judged.
  private func judge(_ check: Check) throws(FactUnavailable) -> (outcome: ExpectationCheck.Outcome, view: FactView) {
    let view = try self.view(check.fact)
    if check.allowAbsent && !ExpectationCheck.isPresent(view.value) {
      let outcome = ExpectationCheck.Outcome(
        passed: true, expected: words(check) + " or absent", actual: "absent", message: nil)
      return (outcome, view)
    }
    var outcome = try ExpectationCheck(evaluation: self, view: view).check(check.expectation)
    if !outcome.passed {
      let parts = [outcome.message, fact(check.fact.fact)?.kind.sourceNote(view.source), view.note]
      let joined = parts.compactMap { $0 }.joined(separator: "; ")
      outcome.message = joined.isEmpty ? nil : joined
    }
    return (outcome, view)
  }

  /// Why a control does not apply to this host, or nil if it does.
  private func notApplicable(_ control: Control) throws(FactUnavailable) -> String? {
    let applicability = control.applicability
    if !applicability.tags.isEmpty {
      let hostTags = Set(host.tags.map { $0.lowercased() })
      if !applicability.tags.contains(where: { hostTags.contains($0.lowercased()) }) {
        return "applies only to hosts tagged \(applicability.tags.joined(separator: ", "))"
      }
    }
    if applicability.minimumBuild != nil || applicability.buildBelow != nil {
      guard let build = facts.host.build else {
        let why = facts.host.errors.first.map { ": \($0)" } ?? ""
        throw FactUnavailable(
          message: "the OS build is needed to decide whether this control applies but is unknown\(why)")
      }
      if let minimum = applicability.minimumBuild, build < minimum {
        return "applies to OS build \(minimum) and later; this host is build \(build)"
      }
      if let below = applicability.buildBelow, build >= below {
        return "applies to OS builds below \(below); this host is build \(build)"
      }
    }
    if let path = applicability.factPresent {
      let view = try self.view(path)
      if !ExpectationCheck.isPresent(view.value) {
        return "applies only when \(path) is present; it is absent on this host"
      }
    }
    if let condition = applicability.when {
      let judged = try judge(condition)
      if !judged.outcome.passed {
        return "applies only when \(condition.fact) is \(judged.outcome.expected); here it is \(judged.outcome.actual)"
      }
    }
    return nil
  }

  func fact(_ id: String) -> Fact? {
    playbook.fact(id)
  }

  /// The checkable view of a fact path on this host, or why it is unavailable.
  func view(_ path: FactPath) throws(FactUnavailable) -> FactView {
    guard let fact = fact(path.fact) else {
      throw FactUnavailable(message: "the playbook declares no fact '\(path.fact)'")
    }
    switch facts.facts[path.fact] {
    case nil:
      throw FactUnavailable(message: "the collector did not report fact '\(path.fact)'")
    case .failed(let message, let errorId)?:
      let id = errorId.map { " [\($0)]" } ?? ""
      throw FactUnavailable(message: "collecting \(path.fact) (\(fact.kindName)) failed: \(message)\(id)")
    case .value(let raw)?:
      let view = FactView.resolve(path, of: fact, raw: raw)
      if let why = view.unavailable { throw FactUnavailable(message: why) }
      return view
    }
  }

}

/// The message to show for an error caught inside the evaluation.
private func describe(_ error: any Error) -> String {
  (error as? Evaluation.FactUnavailable)?.message ?? String(describing: error)
}
