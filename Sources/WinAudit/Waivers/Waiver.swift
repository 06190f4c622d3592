import Foundation

/// An accepted exception: drift of one control on the hosts matching `hosts` is reported as `waived` (and does not
/// fail the audit) until the end of the `expires` day (UTC); after that it is drift again, with a note.
public struct Waiver: Sendable, Hashable {
  public var control: String
  /// Globs matched against host names (`web-*`, `nla-off`), case-insensitive like `--limit`.
  public var hosts: [String]
  public var justification: String
  public var approver: String
  /// The last day the waiver holds, as written (`2026-12-31`).
  public var expires: String
  /// The first instant it no longer holds: midnight UTC after `expires`.
  public var expiry: Date
  /// Where it was written, for messages.
  public var file: String
  public var line: Int

  public init(
    control: String, hosts: [String], justification: String, approver: String, expires: String, expiry: Date,
    file: String = "<test>", line: Int = 0
  ) {
    self.control = control
    self.hosts = hosts
    self.justification = justification
    self.approver = approver
    self.expires = expires
    self.expiry = expiry
    self.file = file
    self.line = line
  }

  /// Whether it names this control on this host.
  func covers(control id: String, host: String) -> Bool {
    control == id && hosts.contains { Glob.matches($0, host) }
  }

  /// What a finding carries about it at `now`.
  func applied(at now: Date) -> AppliedWaiver {
    AppliedWaiver(
      justification: justification, approver: approver, expires: expires, expired: now >= expiry,
      source: "\(file):\(line)")
  }
}

/// The waiver a finding is covered by, as reports show it.
public struct AppliedWaiver: Sendable, Hashable {
  public var justification: String
  public var approver: String
  /// The last day it holds, as written.
  public var expires: String
  /// It no longer holds: the finding is drift again, and reports say the waiver expired.
  public var expired: Bool
  /// `file:line` of the waiver.
  public var source: String

  public init(justification: String, approver: String, expires: String, expired: Bool, source: String) {
    self.justification = justification
    self.approver = approver
    self.expires = expires
    self.expired = expired
    self.source = source
  }

  /// One line for the text and JUnit reports.
  public var note: String {
    expired
      ? "waiver expired on \(expires) (approved by \(approver): \(justification))"
      : "waived until \(expires) by \(approver): \(justification)"
  }
}
