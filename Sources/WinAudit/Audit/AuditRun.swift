import Crypto
import Foundation

/// What identifies one audit run in its reports: when it ran and for how long, with which winaudit and playbook (by
/// name and by the SHA-256 of its text), over which inventory and shard.
public struct AuditRun: Sendable, Hashable {
  /// A fresh UUID per run, so reports of the same run can be matched up.
  public var id: String
  public var start: Date
  /// Seconds from the first connection to the last host's verdict, by the auditor's clock.
  public var duration: Double
  public var winauditVersion: String
  public var playbookName: String
  /// Lower-case hex SHA-256 of the playbook's YAML text; nil for a playbook built in code.
  public var playbookDigest: String?
  /// The inventory file as given on the command line; nil when the hosts did not come from a file.
  public var inventory: String?
  /// The slice of the inventory audited (`--shard K/N`); nil when the whole selection was.
  public var shard: Shard?

  public init(
    id: String, start: Date, duration: Double = 0, winauditVersion: String = WinAuditVersion.current,
    playbookName: String, playbookDigest: String? = nil, inventory: String? = nil, shard: Shard? = nil
  ) {
    self.id = id
    self.start = start
    self.duration = duration
    self.winauditVersion = winauditVersion
    self.playbookName = playbookName
    self.playbookDigest = playbookDigest
    self.inventory = inventory
    self.shard = shard
  }

  /// Lower-case hex SHA-256 of `text`'s UTF-8 bytes.
  public static func digest(of text: String) -> String {
    SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
  }
}
