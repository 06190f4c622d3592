import Foundation

/// The waivers of a `--waivers` file, applied to each host's findings as it is audited.
public struct Waivers: Sendable, Hashable {
  public var waivers: [Waiver]

  public init(_ waivers: [Waiver]) {
    self.waivers = waivers
  }

  /// `audit` with every drifting finding a waiver covers marked: `waived` while the waiver holds, drift with the
  /// expired waiver attached after. The host's status is judged again (a host whose only drift is waived is
  /// compliant); an error or an unreachable host stays one.
  public func apply(to audit: HostAudit, now: Date) -> HostAudit {
    guard !waivers.isEmpty else { return audit }
    var audit = audit
    var changed = false
    for index in audit.findings.indices where audit.findings[index].status == .drift {
      let finding = audit.findings[index]
      guard let waiver = waivers.first(where: { $0.covers(control: finding.controlID, host: audit.name) }) else {
        continue
      }
      let applied = waiver.applied(at: now)
      audit.findings[index].waiver = applied
      if !applied.expired {
        audit.findings[index].status = .waived
        changed = true
      }
    }
    if changed, audit.status == .drift, !audit.findings.contains(where: { $0.status == .drift }) {
      audit.status = .compliant
    }
    return audit
  }
}
