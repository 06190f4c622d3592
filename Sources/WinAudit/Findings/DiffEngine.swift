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
      let view = try self.view(control.check.fact)
      if control.check.allowAbsent && !ExpectationCheck.isPresent(view.value) {
        return Finding(
          control, .pass,
          expected: ExpectationCheck.describe(control.check.expectation, evaluation: self) + " or absent",
          actual: "absent", source: view.source)
      }
      let outcome = try ExpectationCheck(evaluation: self, view: view).check(control.check.expectation)
      var message = outcome.message
      if !outcome.passed {
        let parts = [message, Self.sourceNote(view.source, control: control, fact: fact(control.check.fact.fact))]
        let joined = parts.compactMap { $0 }.joined(separator: "; ")
        message = joined.isEmpty ? nil : joined
      }
      return Finding(
        control, outcome.passed ? .pass : .drift, expected: outcome.expected, actual: outcome.actual,
        source: view.source, message: message)
    } catch {
      return Finding(
        control, .error, expected: ExpectationCheck.describe(control.check.expectation, evaluation: self),
        message: describe(error))
    }
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
      return FactView.resolve(path, of: fact, raw: raw)
    }
  }

  /// What drift on a Group Policy or default value means for fixing it.
  static func sourceNote(_ source: ValueSource?, control: Control, fact: Fact?) -> String? {
    fact?.kind.sourceNote(source)
  }
}

/// The message to show for an error caught inside the evaluation.
private func describe(_ error: any Error) -> String {
  (error as? Evaluation.FactUnavailable)?.message ?? String(describing: error)
}
