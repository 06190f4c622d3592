import Foundation
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

  public init(
    connector: any HostConnector, playbook: Playbook, concurrency: Int = 32,
    now: @escaping @Sendable () -> Date = Date.init,
    progress: (@Sendable (AuditProgress) -> Void)? = nil
  ) {
    self.connector = connector
    self.playbook = playbook
    self.concurrency = max(1, concurrency)
    self.now = now
    self.progress = progress
  }

  public func audit(hosts: [InventoryHost]) async -> AuditReport {
    let script = playbook.collectorScript.text
    var tally = AuditProgress(total: hosts.count)
    let audits = await FleetRunner(concurrency: concurrency).run(
      hosts,
      onResult: { audit in
        tally.record(audit)
        progress?(tally)
      }
    ) { host in await self.audit(host, script: script) }
    return AuditReport(playbook: playbook.name, hosts: audits)
  }

  /// One host: one connection, one script run, then the pure diff.
  func audit(_ host: InventoryHost, script: String) async -> HostAudit {
    let session: any HostSession
    do {
      session = try await connector.connect(to: host)
    } catch {
      return .failed(host, status: .unreachable, error: error.message)
    }
    let result: ScriptResult
    do {
      result = try await session.run(script: script)
    } catch {
      await session.close()
      return .failed(host, status: .error, error: "running the collector failed: \(error.message)")
    }
    await session.close()
    return Self.evaluate(result, host: host, playbook: playbook, now: now())
  }

  /// Turns a collector run into the host's audit: decodes the facts and diffs them, or explains why it could not.
  public static func evaluate(_ result: ScriptResult, host: InventoryHost, playbook: Playbook, now: Date) -> HostAudit {
    let facts: FactsDocument
    do {
      facts = try FactsDocument.decode(stdout: result.stdout)
    } catch {
      var message = "the collector's output could not be read (\(error.message))"
      if result.exitCode != 0 { message = "the collector exited with status \(result.exitCode)" }
      let excerpt = SafeText.excerpt(result.messages, lines: 5)
      if !excerpt.isEmpty { message += ": " + excerpt }
      return .failed(host, status: .error, error: message)
    }
    if facts.host.elevated == false {
      return .failed(host, status: .error, error: Self.notElevated(facts.host))
    }
    let findings = DiffEngine.findings(playbook: playbook, facts: facts, host: host, now: now)
    return HostAudit(host: host, findings: findings, hostFacts: facts.host)
  }
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
    case .error, .unreachable: errors += 1
    }
  }
}
