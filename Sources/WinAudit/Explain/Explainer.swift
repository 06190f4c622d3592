import Foundation

/// `winaudit explain`: from a client error code to its documented meaning and the baseline controls whose drift can
/// cause it (`explain`), and optionally to a live verdict per host (`check`).
///
/// The live check is the audit pipeline itself, run with the playbook cut down to the candidate controls and the
/// controls they require (`Playbook.keeping(controls:)`), so a host gets one connection and one script that collects
/// only the facts those controls read, and a host that fails never stops the others.
public struct Explainer: Sendable {
  public var playbook: Playbook
  public var catalogue: RemediationCatalogue

  public init(playbook: Playbook, catalogue: RemediationCatalogue) {
    self.playbook = playbook
    self.catalogue = catalogue
  }

  /// The meanings and the ranked candidates; no host is contacted.
  public func explain(_ query: ExplainQuery, notes: [String] = []) -> Explanation {
    var candidates: [ExplainCandidate] = []
    for (index, control) in playbook.controls.enumerated() {
      let matches = control.explains.compactMap { pattern in pattern.match(query).map { (pattern, $0) } }
      guard let best = matches.max(by: { $0.1 < $1.1 }) else { continue }
      candidates.append(
        ExplainCandidate(
          rank: 0, controlID: control.id, title: control.title, severity: control.severity, specificity: best.1,
          matched: best.0.description, rationale: control.rationale, fixes: fixes(for: control.id),
          playbookIndex: index,
          seenFromOutside: control.factReferences.contains { playbook.fact($0)?.isWire == true }))
    }
    return Explanation(
      query: query, meanings: query.meanings, notes: notes, playbook: playbook.name,
      candidates: ExplainCandidate.ranked(candidates))
  }

  /// The fixes of the catalogue that repair `control`, in catalogue order.
  func fixes(for control: String) -> [CandidateFix] {
    catalogue.fixes.filter { $0.repairs.contains(control) }.map {
      CandidateFix(id: $0.id, summary: $0.summary, disruptive: $0.disruptive, optIn: $0.optIn)
    }
  }

  /// Audits the candidates (and what they require) on `hosts` and adds each host's verdicts to `explanation`.
  /// `fixCommand` says how the operator ran winaudit, so the fix commands printed for confirmed causes work as given.
  public func check(
    _ explanation: Explanation, hosts: [InventoryHost], connector: any HostConnector, concurrency: Int = 32,
    fixCommand: FixCommandLine, prober: (any WireProber)? = nil, now: @escaping @Sendable () -> Date = Date.init
  ) async -> Explanation {
    let ids = Set(explanation.candidates.map(\.controlID))
    let auditor = Auditor(
      connector: connector, playbook: playbook.keeping(controls: ids), concurrency: concurrency, now: now,
      prober: prober)
    let report = await auditor.audit(hosts: hosts)
    var result = explanation
    result.hosts = report.hosts.map { Self.verdicts(explanation.candidates, audit: $0, fixCommand: fixCommand) }
    return result
  }

  /// One host's verdicts from its audit: drift confirms a cause, a pass rules it out, anything else leaves it unknown
  /// with the reason.
  static func verdicts(_ candidates: [ExplainCandidate], audit: HostAudit, fixCommand: FixCommandLine)
    -> HostExplanation
  {
    // A host that could not be audited from inside may still have the findings the wire probe alone decides.
    let failed =
      audit.outsideOnly || (audit.findings.isEmpty && (audit.status == .error || audit.status == .unreachable))
    let verdicts = candidates.map { candidate -> CandidateVerdict in
      guard let finding = audit.findings.first(where: { $0.controlID == candidate.controlID }) else {
        return CandidateVerdict(
          controlID: candidate.controlID, verdict: .unknown, status: nil,
          reason: failed ? "the host could not be audited" : "not judged")
      }
      switch finding.status {
      case .drift:
        let automatic = candidate.fixes.filter { !$0.optIn }
        return CandidateVerdict(
          controlID: candidate.controlID, verdict: .confirmed, status: .drift, expected: finding.expected,
          actual: finding.actual, reason: finding.message,
          fixCommand: automatic.isEmpty
            ? nil
            : fixCommand.command(
              control: candidate.controlID, host: audit.name, disruptive: automatic.contains { $0.disruptive != nil }))
      case .pass:
        return CandidateVerdict(
          controlID: candidate.controlID, verdict: .ruledOut, status: .pass, expected: finding.expected,
          actual: finding.actual)
      case .error, .skipped, .waived:
        return CandidateVerdict(
          controlID: candidate.controlID, verdict: .unknown, status: finding.status, expected: finding.expected,
          actual: finding.actual, reason: finding.message)
      }
    }
    return HostExplanation(
      name: audit.name, address: audit.address, error: failed ? audit.error : nil,
      incomplete: audit.status == .error || audit.status == .unreachable, verdicts: verdicts)
  }
}

/// How the operator runs winaudit (inventory, playbook, remediation files), so the `winaudit fix` command printed for
/// a confirmed cause can be pasted as it is.
public struct FixCommandLine: Sendable, Hashable {
  public var inventory: String
  public var playbook: String?
  public var remediation: [String]

  public init(inventory: String, playbook: String? = nil, remediation: [String] = []) {
    self.inventory = inventory
    self.playbook = playbook
    self.remediation = remediation
  }

  /// `winaudit fix --inventory F --limit HOST --only CONTROL --apply`, with `--allow-disruptive` when the fix needs
  /// it; every argument shell-quoted.
  func command(control: String, host: String, disruptive: Bool) -> String {
    var words = ["winaudit", "fix", "--inventory", inventory]
    if let playbook { words += ["--playbook", playbook] }
    for file in remediation { words += ["--remediation", file] }
    words += ["--limit", host, "--only", control, "--apply"]
    if disruptive { words.append("--allow-disruptive") }
    return words.map(Self.quote).joined(separator: " ")
  }

  /// A word as a POSIX shell reads it back: unchanged when it has no special character, else in single quotes.
  static func quote(_ word: String) -> String {
    let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,")
    if !word.isEmpty, word.unicodeScalars.allSatisfy(plain.contains) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }
}
