/// The discretionary ACL of an SDDL string (`O:BAG:SYD:PAI(A;OICI;FA;;;SY)...`), read well enough to answer "does
/// this account have full control / read access / a deny entry?" for the MachineKeys checks.
///
/// Accounts are compared as SIDs: SDDL's two-letter aliases are expanded, and names are never used, because they are
/// localized on non-English Windows.
struct SecurityDescriptor: Sendable, Hashable {
  /// One access control entry of the DACL.
  struct Entry: Sendable, Hashable {
    var allow: Bool
    /// Inherit-only entries apply to children, not to the object itself.
    var inheritOnly: Bool
    var mask: UInt32
    var sid: String
  }

  var entries: [Entry]

  /// Parses the `D:` part of an SDDL string; nil if there is none or it is malformed.
  init?(sddl: String) {
    guard let start = sddl.range(of: "D:") else { return nil }
    var rest = sddl[start.upperBound...]
    if let end = rest.range(of: "S:") { rest = rest[..<end.lowerBound] }
    var entries: [Entry] = []
    while let open = rest.firstIndex(of: "(") {
      guard let close = rest[open...].firstIndex(of: ")") else { return nil }
      let fields = rest[rest.index(after: open)..<close].split(separator: ";", omittingEmptySubsequences: false)
      rest = rest[rest.index(after: close)...]
      guard fields.count >= 6 else { return nil }
      let type = fields[0].uppercased()
      guard type == "A" || type == "D" else { continue }
      guard let mask = Self.mask(String(fields[2])) else { return nil }
      entries.append(
        Entry(
          allow: type == "A", inheritOnly: fields[1].uppercased().contains("IO"), mask: mask,
          sid: WellKnownAccount.sid(for: String(fields[5])) ?? String(fields[5])))
    }
    self.entries = entries
  }

  /// The owner's SID in an SDDL string (`O:SYG:SYD:...` gives `S-1-5-18`); nil when there is no owner part.
  static func owner(ofSDDL sddl: String) -> String? {
    guard sddl.hasPrefix("O:") else { return nil }
    var rest = sddl.dropFirst(2)
    for tag in ["G:", "D:", "S:"] {
      if let end = rest.range(of: tag) { rest = rest[..<end.lowerBound] }
    }
    return rest.isEmpty ? nil : WellKnownAccount.sid(for: String(rest)) ?? String(rest)
  }

  static let fullControlMask: UInt32 = 0x1F_01FF
  static let genericAll: UInt32 = 0x1000_0000
  static let genericRead: UInt32 = 0x8000_0000
  static let readData: UInt32 = 0x1

  static let rightCodes: [String: UInt32] = [
    "GA": 0x1000_0000, "GR": 0x8000_0000, "GW": 0x4000_0000, "GX": 0x2000_0000,
    "FA": 0x1F_01FF, "FR": 0x12_0089, "FW": 0x12_0116, "FX": 0x12_00A0,
    "KA": 0xF_003F, "KR": 0x2_0019, "KW": 0x2_0006, "KX": 0x2_0019,
    "RC": 0x2_0000, "SD": 0x1_0000, "WD": 0x4_0000, "WO": 0x8_0000,
    "CC": 0x1, "DC": 0x2, "LC": 0x4, "SW": 0x8, "RP": 0x10, "WP": 0x20, "DT": 0x40, "LO": 0x80, "CR": 0x100,
  ]

  static func mask(_ text: String) -> UInt32? {
    let lower = text.lowercased()
    if lower.hasPrefix("0x") { return UInt32(lower.dropFirst(2), radix: 16) }
    if let decimal = UInt32(text) { return decimal }
    guard text.count % 2 == 0 else { return nil }
    var mask: UInt32 = 0
    var index = text.startIndex
    while index < text.endIndex {
      let next = text.index(index, offsetBy: 2)
      guard let bits = rightCodes[text[index..<next].uppercased()] else { return nil }
      mask |= bits
      index = next
    }
    return mask
  }

  private func applies(_ entry: Entry, to sid: String) -> Bool {
    !entry.inheritOnly && (entry.sid == sid || entry.sid == WellKnownAccount.everyone)
  }

  /// Whether an allow entry for the account (or Everyone) grants full control.
  func hasFullControl(_ sid: String) -> Bool {
    entries.contains {
      $0.allow && applies($0, to: sid)
        && ($0.mask & Self.genericAll != 0 || $0.mask & Self.fullControlMask == Self.fullControlMask)
    }
  }

  /// Whether a token holding `token` (SIDs: the account and its groups) may read the object's data.
  func tokenCanRead(_ token: Set<String>) -> Bool {
    tokenMay(Self.genericRead | Self.readData, token)
  }

  /// Whether a token holding `token` gets the right that `bits` spell (the right itself, or a generic right that
  /// includes it; GENERIC_ALL always does). Entries are read in order, as Windows' access check reads a DACL: the
  /// first entry for one of the token's SIDs that covers the right decides ("How DACLs Control Access to an Object",
  /// Win32 docs). Canonical order puts explicit entries before inherited ones, so an explicit allow wins over an
  /// inherited deny; a deny after the allow has no effect.
  func tokenMay(_ bits: UInt32, _ token: Set<String>) -> Bool {
    let covering = bits | Self.genericAll
    let first = entries.first { !$0.inheritOnly && token.contains($0.sid) && $0.mask & covering != 0 }
    return first?.allow ?? false
  }

  /// Whether any deny entry names one of the token's SIDs.
  func tokenDenied(_ token: Set<String>) -> Bool {
    entries.contains { !$0.allow && !$0.inheritOnly && token.contains($0.sid) }
  }

  /// FILE_ADD_FILE on a folder (creating a file in it), or GENERIC_WRITE, which includes it.
  static let addFile: UInt32 = 0x2 | 0x4000_0000
}
