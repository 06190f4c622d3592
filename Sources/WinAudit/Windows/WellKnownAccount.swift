/// Well-known Windows accounts by SID, with SDDL aliases and English names, so playbooks can say `SYSTEM` or `SY` or
/// `S-1-5-18` and reports can show a readable name next to the SID.
enum WellKnownAccount {
  static let everyone = "S-1-1-0"

  /// The SIDs in NETWORK SERVICE's token, which TermService runs as: the account, Everyone, Authenticated Users,
  /// Users and SERVICE. A grant to any of them lets TermService read a key file; a deny to any of them stops it.
  static let networkServiceToken: Set<String> = ["S-1-5-20", "S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-6"]

  /// The SIDs an account acts through in an access check: a service account's whole token, SYSTEM's (with
  /// Administrators), and for anyone else the account and Everyone.
  static func token(of sid: String) -> Set<String> {
    switch sid {
    case "S-1-5-20": networkServiceToken
    case "S-1-5-19": ["S-1-5-19", "S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-6"]
    case "S-1-5-18": ["S-1-5-18", "S-1-5-32-544", "S-1-1-0", "S-1-5-11"]
    default: [sid, everyone]
    }
  }

  static let accounts: [(sid: String, alias: String, name: String)] = [
    ("S-1-1-0", "WD", "Everyone"),
    ("S-1-3-0", "CO", "CREATOR OWNER"),
    ("S-1-3-1", "CG", "CREATOR GROUP"),
    ("S-1-5-4", "IU", "INTERACTIVE"),
    ("S-1-5-6", "SU", "SERVICE"),
    ("S-1-5-7", "AN", "ANONYMOUS LOGON"),
    ("S-1-5-11", "AU", "Authenticated Users"),
    ("S-1-5-18", "SY", "SYSTEM"),
    ("S-1-5-19", "LS", "LOCAL SERVICE"),
    ("S-1-5-20", "NS", "NETWORK SERVICE"),
    ("S-1-5-32-544", "BA", "Administrators"),
    ("S-1-5-32-545", "BU", "Users"),
    ("S-1-5-32-555", "RD", "Remote Desktop Users"),
  ]

  /// The SID for an SDDL alias, an English account name, or a SID (with or without icacls' leading `*`).
  static func sid(for text: String) -> String? {
    let trimmed = text.hasPrefix("*") ? String(text.dropFirst()) : text
    if trimmed.uppercased().hasPrefix("S-1-") { return trimmed.uppercased() }
    let lower = trimmed.lowercased()
    let name = lower.hasPrefix("nt authority\\") ? String(lower.dropFirst("nt authority\\".count)) : lower
    let builtin = name.hasPrefix("builtin\\") ? String(name.dropFirst("builtin\\".count)) : name
    return accounts.first { $0.alias.lowercased() == builtin || $0.name.lowercased() == builtin }?.sid
  }

  /// `SYSTEM (S-1-5-18)` for known SIDs, the SID itself otherwise.
  static func display(_ sid: String) -> String {
    accounts.first { $0.sid == sid }.map { "\($0.name) (\(sid))" } ?? sid
  }
}
