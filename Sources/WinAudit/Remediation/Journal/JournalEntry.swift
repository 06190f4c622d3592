import Foundation
import RemotePowerShell

/// One line of a run's journal: the run itself, a change about to be sent (its before- and intended after-value), a
/// change's result as the host reported it, or how a host's apply ended.
///
/// An intent is written and flushed before its change is sent, so after a crash or a dropped connection the journal
/// still says what may have been applied; rollback treats an intent without a result as "maybe applied".
public struct JournalEntry: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Hashable, Codable {
    /// The first line: which command started the run and when.
    case run
    /// A host taking part, with how to reach it again (so `rollback` needs no inventory).
    case host
    /// A step about to be sent to a host.
    case intent
    /// A step's result as the host printed it.
    case result
    /// How a host's apply ended: applied, failed, dropped, locked, declined.
    case end
  }

  public var kind: Kind
  public var run: String
  /// ISO 8601 UTC time the line was written.
  public var at: String
  public var command: String?
  /// For a rollback run: the run it rolls back.
  public var rollbackOf: String?
  public var host: String?
  /// How the host was reached, so `rollback` needs no inventory.
  public var connection: InventoryHost?
  public var step: FixStep?
  public var stepID: String?
  /// `ok` or `error` for a result; the outcome for an end line.
  public var status: String?
  /// The target's state the host read back after the step.
  public var after: FactValue?
  public var message: String?

  public init(
    kind: Kind, run: String, at: Date = Date(), command: String? = nil, rollbackOf: String? = nil,
    host: String? = nil, connection: InventoryHost? = nil, step: FixStep? = nil, stepID: String? = nil,
    status: String? = nil, after: FactValue? = nil, message: String? = nil
  ) {
    self.kind = kind
    self.run = run
    self.at = RemediationScripts.timestamp(at)
    self.command = command
    self.rollbackOf = rollbackOf
    self.host = host
    self.connection = connection
    self.step = step
    self.stepID = stepID
    self.status = status
    self.after = after
    self.message = message
  }
}
