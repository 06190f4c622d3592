import Foundation

/// Judges one fact view against one expectation, producing the words a report shows (expected, actual, message).
struct ExpectationCheck {
  let evaluation: Evaluation
  let view: FactView

  struct Outcome {
    var passed: Bool
    var expected: String
    var actual: String
    var message: String?
    /// The typed value behind `expected` (equality) and `actual`, for reports that keep types.
    var expectedValue: FactValue? = nil
    var actualValue: FactValue? = nil
  }

  var value: FactValue { view.value }

  /// Present means there is something: not null, not an empty list, not empty text.
  static func isPresent(_ value: FactValue) -> Bool {
    switch value {
    case .null: false
    case .array(let items): !items.isEmpty
    case .string(let text): !text.isEmpty
    default: true
    }
  }

  static func describe(_ expectation: Expectation, evaluation: Evaluation) -> String {
    switch expectation {
    case .equals(let expected): expected.display
    case .notEquals(let value): "not \(value.display)"
    case .oneOf(let values): "one of \(FactValue.array(values).display)"
    case .noneOf(let values): "none of \(FactValue.array(values).display)"
    case .present: "present"
    case .absent: "absent"
    case .atLeast(let bound): ">= \(FactValue.double(bound).display)"
    case .atMost(let bound): "<= \(FactValue.double(bound).display)"
    case .contains(let item): "contains \(item.display)"
    case .validForDays(let days): "valid for at least \(days) days"
    case .equalsFact(let path):
      "same as \(path)" + ((try? evaluation.view(path)).map { " (\($0.value.display))" } ?? "")
    case .firewallAllows(let requirement):
      "an enabled inbound \(requirement.protocol) rule"
        + (requirement.rules.isEmpty ? "" : " (\(requirement.rules.joined(separator: ", ")))") + " allowing "
        + (requirement.portFact.map { path in
          (try? evaluation.view(path)).map { "port \($0.value.display) (\(path))" } ?? "port \(path)"
        } ?? requirement.port.map { "port \($0)" } ?? "traffic")
        + (requirement.profilesFact == nil ? "" : " on every active network profile")
        + (requirement.settingsFact == nil ? "" : " whose firewall is on")
    case .firewallNotBlocked(let requirement):
      "no enabled inbound Block rule covering \(requirement.protocol) "
        + (requirement.portFact.map { path in
          (try? evaluation.view(path)).map { "port \($0.value.display) (\(path))" } ?? "port \(path)"
        } ?? requirement.port.map { "port \($0)" } ?? "traffic")
        + (requirement.profilesFact == nil ? "" : " on an active network profile")
    case .certificateIn(let requirement):
      "a certificate in \(requirement.certificatesFacts.joined(separator: " or "))"
        + (requirement.privateKeyReadable ? " with a private key NETWORK SERVICE can read" : "")
        + (requirement.validForDays.map { ", valid for at least \($0) days" } ?? "")
    case .acl(let requirement):
      [
        requirement.fullControl.isEmpty
          ? nil : "full control: " + requirement.fullControl.map(WellKnownAccount.display).joined(separator: ", "),
        requirement.canRead.isEmpty
          ? nil : "can read: " + requirement.canRead.map(WellKnownAccount.display).joined(separator: ", "),
        requirement.canCreate.isEmpty
          ? nil : "can create files: " + requirement.canCreate.map(WellKnownAccount.display).joined(separator: ", "),
        requirement.notDenied.isEmpty
          ? nil : "not denied: " + requirement.notDenied.map(WellKnownAccount.display).joined(separator: ", "),
      ].compactMap { $0 }.joined(separator: "; ")
    }
  }

  func check(_ expectation: Expectation) throws(Evaluation.FactUnavailable) -> Outcome {
    let expected = Self.describe(expectation, evaluation: evaluation)
    func simple(_ passed: Bool, _ message: String? = nil) -> Outcome {
      var wanted: FactValue?
      if case .equals(let value) = expectation { wanted = value }
      return Outcome(
        passed: passed, expected: expected, actual: value.display, message: passed ? nil : message,
        expectedValue: wanted, actualValue: value)
    }
    switch expectation {
    case .equals(let wanted): return simple(value.matches(wanted))
    case .notEquals(let unwanted): return simple(Self.isPresent(value) && !value.matches(unwanted))
    case .oneOf(let values): return simple(values.contains { value.matches($0) })
    case .noneOf(let values):
      // A list (the holders of a user right) passes when none of its entries is one of `values`.
      if case .array(let items) = value {
        let offenders = items.filter { item in values.contains { item.matches($0) } }
        return simple(offenders.isEmpty, "holds \(FactValue.array(offenders).display)")
      }
      return simple(Self.isPresent(value) && !values.contains { value.matches($0) })
    case .present: return simple(Self.isPresent(value))
    case .absent: return simple(!Self.isPresent(value))
    case .atLeast(let bound):
      guard let number = value.number else { return simple(false, "not a number") }
      return simple(number >= bound)
    case .atMost(let bound):
      guard let number = value.number else { return simple(false, "not a number") }
      return simple(number <= bound)
    case .contains(let item):
      if case .string(let text) = value, case .string(let part) = item {
        return simple(text.lowercased().contains(part.lowercased()))
      }
      return simple(value.list.contains { $0.matches(item) })
    case .validForDays(let days): return validity(days, expected: expected)
    case .equalsFact(let path):
      let other = try evaluation.view(path)
      return simple(value.matches(other.value), "\(path) is \(other.value.display)")
    case .firewallAllows(let requirement): return try firewallAllows(requirement, expected: expected)
    case .firewallNotBlocked(let requirement): return try firewallNotBlocked(requirement, expected: expected)
    case .certificateIn(let requirement): return try certificate(requirement, expected: expected)
    case .acl(let requirement): return acl(requirement, expected: expected)
    }
  }

  // MARK: Dates

  private func validity(_ days: Int, expected: String) -> Outcome {
    let dates = value.list
    guard !dates.isEmpty else {
      return Outcome(passed: false, expected: expected, actual: "absent", message: "no date to check")
    }
    var earliest: Date?
    for item in dates {
      guard let text = item.string, let date = ISODate.parse(text) else {
        return Outcome(passed: false, expected: expected, actual: item.display, message: "not a date")
      }
      if earliest.map({ date < $0 }) ?? true { earliest = date }
    }
    let date = earliest!
    let left = Self.daysLeft(until: date, now: evaluation.now)
    return Outcome(
      passed: left >= days, expected: expected, actual: "expires \(ISODate.day(date)) (\(Self.phrase(left)))",
      message: left >= days ? nil : (left < 0 ? "expired" : "expires too soon"))
  }

  static func daysLeft(until date: Date, now: Date) -> Int {
    Int((date.timeIntervalSince(now) / 86_400).rounded(.down))
  }

  static func phrase(_ days: Int) -> String {
    days < 0 ? "\(-days) days ago" : "in \(days) days"
  }

  // MARK: Certificates

  private func certificate(_ requirement: CertificateRequirement, expected: String)
    throws(Evaluation.FactUnavailable) -> Outcome
  {
    guard let thumbprint = value.string.map(Self.normalize), !thumbprint.isEmpty else {
      return Outcome(passed: false, expected: expected, actual: value.display, message: "no certificate thumbprint")
    }
    var certificates: [FactValue] = []
    for fact in requirement.certificatesFacts {
      certificates += try evaluation.view(FactPath(fact: fact, field: "certificates")).value.list
    }
    guard let match = certificates.first(where: { ($0["thumbprint"]?.string).map(Self.normalize) == thumbprint })
    else {
      let stores = requirement.certificatesFacts.joined(separator: " or ")
      return Outcome(
        passed: false, expected: expected, actual: thumbprint,
        message: "certificate \(thumbprint) is not in \(stores) (\(certificates.count) certificates there)")
    }
    var problems: [String] = []
    var details: [String] = []
    if let subject = match["subject"]?.string { details.append(subject) }
    if let notAfter = match["notAfter"]?.string, let date = ISODate.parse(notAfter) {
      let left = Self.daysLeft(until: date, now: evaluation.now)
      details.append("expires \(ISODate.day(date))")
      if let days = requirement.validForDays, left < days {
        problems.append(left < 0 ? "expired \(-left) days ago" : "expires in \(left) days")
      }
    } else if requirement.validForDays != nil {
      problems.append("its expiry date is unknown")
    }
    switch Self.networkServiceAccess(match) {
    case .readable:
      details.append("private key readable by NETWORK SERVICE")
    case .notReadable(let why):
      details.append("private key not readable by NETWORK SERVICE")
      if requirement.privateKeyReadable { problems.append(why) }
    case .unknown(let why):
      if requirement.privateKeyReadable { throw Evaluation.FactUnavailable(message: why) }
    }
    return Outcome(
      passed: problems.isEmpty, expected: expected, actual: "\(thumbprint) (\(details.joined(separator: ", ")))",
      message: problems.isEmpty ? nil : problems.joined(separator: "; "))
  }

  /// Whether TermService (NETWORK SERVICE) can read a certificate's private key, judged from its key file's ACL with
  /// NETWORK SERVICE's token (deny entries first), never from what the administrator running the audit can open.
  enum KeyAccess: Equatable {
    case readable
    case notReadable(String)
    /// The key file's ACL refuses the administrator running the audit: NETWORK SERVICE may well read it, so this is
    /// neither a pass nor a drift (and never a reason to remove the certificate).
    case unknown(String)
  }

  /// The key access of one record of a certificates fact.
  static func networkServiceAccess(_ certificate: FactValue) -> KeyAccess {
    guard certificate["hasPrivateKey"]?.bool != false else { return .notReadable("it has no private key") }
    if let denied = certificate["keyFileAclError"]?.string {
      let file = certificate["keyFile"]?.string ?? "its key file"
      return .unknown(
        "the ACL of \(file) cannot be read by the account running the audit (\(denied)), so whether NETWORK SERVICE "
          + "can read the key is unknown: check it on the host with icacls as SYSTEM")
    }
    guard let sddl = certificate["keyFileSddl"]?.string else {
      let why = certificate["privateKeyError"]?.string.map { ": \($0)" } ?? ""
      return .notReadable("its private key file could not be found or read\(why)")
    }
    guard let descriptor = SecurityDescriptor(sddl: sddl) else {
      return .notReadable("the ACL of its key file could not be read: \(sddl)")
    }
    if descriptor.tokenCanRead(WellKnownAccount.networkServiceToken) { return .readable }
    let file = certificate["keyFile"]?.string ?? "its key file"
    return .notReadable(
      "NETWORK SERVICE (TermService's account) cannot read \(file): grant it read access, as Windows does for the "
        + "self-signed certificate's key")
  }

  static func normalize(_ thumbprint: String) -> String {
    thumbprint.uppercased().filter { $0.isHexDigit }
  }

  // MARK: ACLs

  private func acl(_ requirement: ACLRequirement, expected: String) -> Outcome {
    guard let sddl = value.string else {
      return Outcome(passed: false, expected: expected, actual: value.display, message: "no security descriptor")
    }
    guard let descriptor = SecurityDescriptor(sddl: sddl) else {
      return Outcome(passed: false, expected: expected, actual: sddl, message: "the SDDL could not be read")
    }
    var problems: [String] = []
    for sid in requirement.fullControl where !descriptor.hasFullControl(sid) {
      problems.append("\(WellKnownAccount.display(sid)) lacks full control")
    }
    for sid in requirement.canRead where !descriptor.tokenCanRead(WellKnownAccount.token(of: sid)) {
      problems.append("\(WellKnownAccount.display(sid)) cannot read")
    }
    for sid in requirement.canCreate
    where !descriptor.tokenMay(SecurityDescriptor.addFile, WellKnownAccount.token(of: sid)) {
      problems.append("\(WellKnownAccount.display(sid)) cannot create files")
    }
    for sid in requirement.notDenied where descriptor.tokenDenied(WellKnownAccount.token(of: sid)) {
      problems.append("\(WellKnownAccount.display(sid)) is denied")
    }
    return Outcome(
      passed: problems.isEmpty, expected: expected, actual: sddl,
      message: problems.isEmpty ? nil : problems.joined(separator: "; "))
  }
}
