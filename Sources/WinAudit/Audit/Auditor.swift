import Foundation
import RDPProbe
import RemotePowerShell

/// The audit pipeline for a fleet: for each host, connect once, run the collector script once, decode the facts,
/// diff them against the playbook. At most `concurrency` hosts are in flight; each host's failure is recorded in its
/// own `HostAudit` and never stops the others.
///
/// The connector decides how hosts are reached (SSH in production, a scripted fake in tests); `FleetRunner` bounds the
/// hosts in flight.
public struct Auditor: Sendable {
  public var connector: any HostConnector
  public var playbook: Playbook
  public var concurrency: Int
  /// The clock certificate validity is measured against; a parameter so tests are stable.
  public var now: @Sendable () -> Date
  /// Called after each host finishes, one host at a time, for a live progress line.
  public var progress: (@Sendable (AuditProgress) -> Void)?
  /// The outside-in probe for the playbook's wire facts; nil skips it (`--no-probe`) and the wire controls are
  /// reported as skipped.
  public var prober: (any WireProber)?
  /// The run's id in its reports; a parameter so reference reports are stable.
  public var runID: String
  /// The inventory file the hosts came from, for the reports' run metadata.
  public var inventory: String?
  /// Accepted drift (`--waivers`), judged against `now` as each host finishes.
  public var waivers: Waivers

  public init(
    connector: any HostConnector, playbook: Playbook, concurrency: Int = 32,
    now: @escaping @Sendable () -> Date = Date.init, prober: (any WireProber)? = nil,
    runID: String = UUID().uuidString.lowercased(), inventory: String? = nil, waivers: Waivers = Waivers([]),
    progress: (@Sendable (AuditProgress) -> Void)? = nil
  ) {
    self.runID = runID
    self.inventory = inventory
    self.waivers = waivers
    self.connector = connector
    self.playbook = playbook
    self.concurrency = max(1, concurrency)
    self.now = now
    self.prober = prober
    self.progress = progress
  }

  public func audit(hosts: [InventoryHost]) async -> AuditReport {
    let start = now()
    let script = playbook.collectorScript.text
    var tally = AuditProgress(total: hosts.count)
    let audits = await FleetRunner(concurrency: concurrency).run(
      hosts,
      onResult: { audit in
        tally.record(audit)
        progress?(tally)
      }
    ) { host in
      let started = self.now()
      var audit = self.waivers.apply(to: await self.audit(host, script: script), now: self.now())
      audit.duration = max(0, self.now().timeIntervalSince(started))
      return audit
    }
    let run = AuditRun(
      id: runID, start: start, duration: max(0, now().timeIntervalSince(start)), playbookName: playbook.name,
      playbookDigest: playbook.digest, inventory: inventory)
    return AuditReport(
      playbook: playbook.name, hosts: audits, run: run, controls: playbook.controls.map(ReportControl.init))
  }

  /// One host: one connection, one script run, the wire probe on the port the host reports, then the pure diff. A
  /// host whose SSH or collector fails is still probed, and judged on the controls the wire alone decides.
  func audit(_ host: InventoryHost, script: String) async -> HostAudit {
    // Cancelled (Ctrl-C): hosts not yet started are not contacted; one whose connection or script was cut is not
    // judged either. A host that finished before is kept as it was.
    if Task.isCancelled { return Self.interrupted(host) }
    let audit = await auditInside(host, script: script)
    if Task.isCancelled, audit.status == .error || audit.status == .unreachable { return Self.interrupted(host) }
    return audit
  }

  static func interrupted(_ host: InventoryHost) -> HostAudit {
    .failed(host, status: .interrupted, error: "not audited: the run was interrupted")
  }

  private func auditInside(_ host: InventoryHost, script: String) async -> HostAudit {
    let session: any HostSession
    do {
      session = try await connector.connect(to: host)
    } catch {
      return await failed(host, status: .unreachable, error: error.message)
    }
    let result: ScriptResult
    do {
      result = try await session.run(script: script)
    } catch {
      await session.close()
      return await failed(host, status: .error, error: "running the collector failed: \(error.message)")
    }
    await session.close()
    let facts: FactsDocument
    switch Self.decode(result, host: host, playbook: playbook) {
    case .failure(let audit): return await failed(host, status: audit.status, error: audit.error ?? "")
    case .success(let decoded): facts = decoded
    }
    var all = facts
    if let prober, !playbook.wireFacts.isEmpty {
      all.facts.merge(await playbook.wireFacts(for: host, facts: facts, prober: prober)) { _, probed in probed }
    }
    let findings = DiffEngine.findings(playbook: playbook, facts: all, host: host, now: now())
    return HostAudit(host: host, findings: findings, hostFacts: facts.host)
  }

  /// A host that could not be audited from inside, with what the wire alone says about it.
  private func failed(_ host: InventoryHost, status: HostStatus, error: String) async -> HostAudit {
    var audit = HostAudit.failed(host, status: status, error: error)
    if let prober, !playbook.wireFacts.isEmpty {
      let wire = await playbook.wireFacts(for: host, facts: nil, prober: prober)
      audit.findings = DiffEngine.wireFindings(playbook: playbook, wire: wire, host: host, now: now())
      audit.outsideOnly = !audit.findings.isEmpty
    }
    return audit
  }

  /// Turns a collector run into the host's audit: decodes the facts and diffs them, or explains why it could not.
  /// Wire facts are not part of it: their controls are reported as skipped.
  public static func evaluate(_ result: ScriptResult, host: InventoryHost, playbook: Playbook, now: Date) -> HostAudit {
    switch decode(result, host: host, playbook: playbook) {
    case .failure(let failed): return failed.audit
    case .success(let facts):
      let findings = DiffEngine.findings(playbook: playbook, facts: facts, host: host, now: now)
      return HostAudit(host: host, findings: findings, hostFacts: facts.host)
    }
  }

  /// The facts of a collector run, or the failed audit that says why they cannot be judged. Whatever the host
  /// reports under a wire fact's id is dropped: what the listener answers is winaudit's own observation, never the
  /// host's word.
  static func decode(
    _ result: ScriptResult, host: InventoryHost, playbook: Playbook
  ) -> Result<FactsDocument, FailedAudit> {
    var facts: FactsDocument
    do {
      facts = try FactsDocument.decode(stdout: result.stdout)
    } catch {
      var message = "the collector's output could not be read (\(error.message))"
      if result.exitCode != 0 { message = "the collector exited with status \(result.exitCode)" }
      let excerpt = SafeText.excerpt(result.messages, lines: 5)
      if !excerpt.isEmpty { message += ": " + excerpt }
      return .failure(FailedAudit(.failed(host, status: .error, error: message)))
    }
    if facts.host.elevated == false {
      return .failure(FailedAudit(.failed(host, status: .error, error: Self.notElevated(facts.host))))
    }
    let wireIDs = Set(playbook.facts.filter(\.isWire).map(\.id))
    facts.facts = facts.facts.filter { !wireIDs.contains($0.key) }
    return .success(facts)
  }
}

/// A host audit that ended before judging, as an error value.
struct FailedAudit: Error {
  var audit: HostAudit
  init(_ audit: HostAudit) { self.audit = audit }
  var status: HostStatus { audit.status }
  var error: String? { audit.error }
}

extension Auditor {
  /// Why a host whose login is not elevated is an error and not judged: without administrator rights the registry,
  /// firewall, certificate-key and ACL reads fail or show less than is there, so any verdict could be wrong.
  static func notElevated(_ host: HostFacts) -> String {
    "winaudit logged in as \(host.user ?? "an account") whose token is not elevated (not an enabled member of "
      + "Administrators, S-1-5-32-544), so nothing was judged: reads of the registry, firewall, certificate keys and "
      + "ACLs need administrator rights. Log in with an account in Administrators (over OpenSSH, an administrator's "
      + "key login gets an elevated token), or add this one to Administrators"
  }
}

/// How far a fleet audit has come, for the live progress line.
public struct AuditProgress: Sendable, Hashable {
  public var total: Int
  public var done = 0
  public var compliant = 0
  public var drift = 0
  /// Hosts that errored or were unreachable.
  public var errors = 0

  public init(total: Int) {
    self.total = total
  }

  mutating func record(_ audit: HostAudit) {
    done += 1
    switch audit.status {
    case .compliant: compliant += 1
    case .drift: drift += 1
    case .error, .unreachable, .interrupted: errors += 1
    }
  }
}
