/// A parsed SDDL security descriptor (`O:SYG:SYD:P(A;OICI;FA;;;SY)...`): owner, group and the DACL.
///
/// The lab keeps ACLs as SDDL text in the host file (what `Get-Acl).Sddl` shows and `icacls /save` writes) and
/// parses them to decide who may read a key file or create one in MachineKeys.
public struct SecurityDescriptor: Sendable, Equatable {
  public var owner: String?
  public var group: String?
  /// DACL flags as written after `D:` (`P` protected, `AI` auto-inherited, `AR`).
  public var daclFlags: String
  public var aces: [AccessControlEntry]

  public init(owner: String? = nil, group: String? = nil, daclFlags: String = "", aces: [AccessControlEntry]) {
    self.owner = owner
    self.group = group
    self.daclFlags = daclFlags
    self.aces = aces
  }

  /// Whether the DACL blocks inheritance from the parent (`D:P`).
  public var isProtected: Bool { daclFlags.contains("P") }

  /// Parses SDDL; nil when it is not well formed.
  public init?(sddl: String) {
    var text = Substring(sddl.trimmingCharacters(in: .whitespaces))
    var owner: String?
    var group: String?
    var flags = ""
    var aces: [AccessControlEntry] = []
    while !text.isEmpty {
      guard text.count >= 2, text.dropFirst().first == ":" else { return nil }
      let tag = text.first!
      text = text.dropFirst(2)
      switch tag {
      case "O", "G":
        let end = text.firstIndex { $0 == ":" }.map { text.index($0, offsetBy: -1) } ?? text.endIndex
        let sid = String(text[..<end])
        if tag == "O" { owner = SecurityIdentifier.normalize(sid) } else { group = SecurityIdentifier.normalize(sid) }
        text = text[end...]
      case "D", "S":
        let aceStart = text.firstIndex(of: "(") ?? text.endIndex
        let nextTag = text.firstIndex { $0 == ":" }.map { text.index($0, offsetBy: -1) } ?? text.endIndex
        let flagEnd = min(aceStart, nextTag)
        if tag == "D" { flags = String(text[..<flagEnd]) }
        text = text[flagEnd...]
        while text.first == "(" {
          guard let close = text.firstIndex(of: ")") else { return nil }
          guard let ace = AccessControlEntry(sddl: String(text[text.index(after: text.startIndex)..<close])) else {
            return nil
          }
          if tag == "D" { aces.append(ace) }
          text = text[text.index(after: close)...]
        }
      default:
        return nil
      }
    }
    self.init(owner: owner, group: group, daclFlags: flags, aces: aces)
  }

  /// SDDL text; `includeOwner` false gives the `D:...` part only (what icacls /save writes).
  public func sddl(includeOwner: Bool = true) -> String {
    var text = ""
    if includeOwner, let owner { text += "O:" + SecurityIdentifier.alias(owner) }
    if includeOwner, let group { text += "G:" + SecurityIdentifier.alias(group) }
    return text + "D:" + daclFlags + aces.map { "(" + $0.sddl + ")" }.joined()
  }

  /// The ACEs a child inherits: those with OI (files) or CI (directories), marked inherited, without IO/NP.
  public func inheritable(toDirectory: Bool) -> [AccessControlEntry] {
    aces.compactMap { ace in
      let applies = toDirectory ? ace.flags.contains("CI") : ace.flags.contains("OI")
      guard applies else { return nil }
      var child = ace
      var flags = Set(ace.flags)
      flags.remove("IO")
      if ace.flags.contains("NP") || !toDirectory {
        flags.remove("OI")
        flags.remove("CI")
        flags.remove("NP")
      }
      flags.insert("ID")
      child.flags = AccessControlEntry.flagOrder.filter { flags.contains($0) }
      return child
    }
  }

  /// ACEs that apply to the object itself (not inherit-only).
  public var effectiveAces: [AccessControlEntry] { aces.filter { !$0.flags.contains("IO") } }

  /// Whether the principals in `sids` get every bit of `mask`, the way Windows' access check walks a DACL: ACEs in
  /// order, a deny ACE naming a right not yet granted ends the walk with "denied", and the walk ends with "granted" as
  /// soon as the allow ACEs seen so far cover every right ("How DACLs Control Access to an Object", Win32 docs). So an
  /// explicit allow, which canonical order puts before inherited entries, wins over an inherited deny.
  public func grants(_ mask: UInt32, to sids: Set<String>) -> Bool {
    var remaining = mask
    for ace in effectiveAces where sids.contains(ace.sid) {
      if ace.isDeny {
        if ace.mask & remaining != 0 { return false }
      } else {
        remaining &= ~ace.mask
        if remaining == 0 { return true }
      }
    }
    return remaining == 0
  }

  /// Whether any effective ACE denies the principals in `sids` any bit of `mask`.
  public func denies(_ mask: UInt32, to sids: Set<String>) -> Bool {
    effectiveAces.contains { $0.isDeny && sids.contains($0.sid) && $0.mask & mask != 0 }
  }
}

/// One ACE: `(A;OICI;FA;;;SY)`. The SID is kept as a full SID string (`S-1-5-18`).
public struct AccessControlEntry: Sendable, Equatable {
  public var isDeny: Bool
  public var flags: [String]
  public var mask: UInt32
  public var sid: String

  static let flagOrder = ["OI", "CI", "NP", "IO", "ID"]

  public init(isDeny: Bool = false, flags: [String] = [], mask: UInt32, sid: String) {
    self.isDeny = isDeny
    self.flags = flags
    self.mask = mask
    self.sid = SecurityIdentifier.normalize(sid)
  }

  init?(sddl: String) {
    let fields = sddl.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
    guard fields.count == 6, fields[0] == "A" || fields[0] == "D", let mask = AccessMask.parse(fields[2]) else {
      return nil
    }
    var flags: [String] = []
    var rest = Substring(fields[1])
    while rest.count >= 2 {
      flags.append(String(rest.prefix(2)))
      rest = rest.dropFirst(2)
    }
    guard rest.isEmpty else { return nil }
    self.init(isDeny: fields[0] == "D", flags: flags, mask: mask, sid: fields[5])
  }

  public var sddl: String {
    [isDeny ? "D" : "A", flags.joined(), AccessMask.sddl(mask), "", "", SecurityIdentifier.alias(sid)]
      .joined(separator: ";")
  }

  public var isInherited: Bool { flags.contains("ID") }
}

/// File access masks and their SDDL and icacls spellings.
public enum AccessMask {
  public static let fullControl: UInt32 = 0x1F_01FF
  public static let read: UInt32 = 0x12_0089
  public static let write: UInt32 = 0x12_0116
  public static let execute: UInt32 = 0x12_00A0
  public static let modify: UInt32 = 0x13_01BF
  public static let readExecute: UInt32 = 0x12_00A9
  /// FILE_READ_DATA: reading a key file.
  public static let readData: UInt32 = 0x1
  /// FILE_ADD_FILE (= FILE_WRITE_DATA on a directory): creating a key file in MachineKeys.
  public static let addFile: UInt32 = 0x2

  static let codes: [(String, UInt32)] = [
    ("FA", fullControl), ("FR", read), ("FW", write), ("FX", execute),
    ("GA", fullControl), ("GR", read), ("GW", write), ("GX", execute),
  ]

  /// Parses `FA`, `FRFW`, `0x12019f`; generic rights map to the file rights they stand for.
  public static func parse(_ text: String) -> UInt32? {
    if text.lowercased().hasPrefix("0x") { return UInt32(text.dropFirst(2), radix: 16) }
    var mask: UInt32 = 0
    var rest = Substring(text)
    while !rest.isEmpty {
      guard let code = codes.first(where: { rest.hasPrefix($0.0) }) else { return nil }
      mask |= code.1
      rest = rest.dropFirst(2)
    }
    return mask
  }

  /// `FA`, `FR`, `FW`, `FX` when the mask is exactly one of them, else `0x...`.
  public static func sddl(_ mask: UInt32) -> String {
    if let code = codes.prefix(4).first(where: { $0.1 == mask }) { return code.0 }
    return "0x" + String(mask, radix: 16)
  }

  /// The FileSystemRights text Get-Acl shows (`FullControl`, `ReadAndExecute, Synchronize`...).
  public static func rightsName(_ mask: UInt32) -> String {
    let names: [(UInt32, String)] = [
      (fullControl, "FullControl"), (modify, "Modify, Synchronize"), (readExecute, "ReadAndExecute, Synchronize"),
      (read, "Read, Synchronize"), (write, "Write, Synchronize"), (0x12_019F, "Write, ReadAndExecute, Synchronize"),
    ]
    return names.first { $0.0 == mask }?.1 ?? String(Int32(bitPattern: mask))
  }

  /// icacls' short form: `F`, `M`, `RX`, `R`, `W`, else the SDDL-ish list.
  public static func icaclsName(_ mask: UInt32) -> String {
    let names: [(UInt32, String)] = [
      (fullControl, "F"), (modify, "M"), (readExecute, "RX"), (read, "R"), (write, "W"), (execute, "X"),
      (0x12_019F, "R,W"), (0x12_01BF, "RX,W"),
    ]
    return names.first { $0.0 == mask }?.1 ?? "special access"
  }

  /// Parses icacls' `F`, `M`, `RX`, `R`, `W`, `X`, `D`... (one or a comma list).
  public static func parseIcacls(_ text: String) -> UInt32? {
    let simple: [String: UInt32] = [
      "F": fullControl, "M": modify, "RX": readExecute, "R": read, "W": write, "X": execute, "D": 0x1_0000,
      "GR": read, "GW": write, "GA": fullControl, "GE": execute,
    ]
    var mask: UInt32 = 0
    for part in text.split(separator: ",") {
      guard let value = simple[part.uppercased()] else { return nil }
      mask |= value
    }
    return mask == 0 ? nil : mask
  }
}

/// Well-known SIDs, their SDDL aliases and account names.
public enum SecurityIdentifier {
  public static let system = "S-1-5-18"
  public static let localService = "S-1-5-19"
  public static let networkService = "S-1-5-20"
  public static let administrators = "S-1-5-32-544"
  public static let users = "S-1-5-32-545"
  public static let everyone = "S-1-1-0"
  public static let authenticatedUsers = "S-1-5-11"
  public static let creatorOwner = "S-1-3-0"

  static let aliases: [(String, String)] = [
    ("SY", system), ("LS", localService), ("NS", networkService), ("BA", administrators), ("BU", users),
    ("WD", everyone), ("AU", authenticatedUsers), ("CO", creatorOwner),
  ]

  /// `S-1-5-18` for `SY` or `S-1-5-18`.
  public static func normalize(_ sidOrAlias: String) -> String {
    aliases.first { $0.0 == sidOrAlias.uppercased() }?.1 ?? sidOrAlias.uppercased()
  }

  /// `SY` for `S-1-5-18`; unknown SIDs stay as they are.
  public static func alias(_ sid: String) -> String {
    aliases.first { $0.1 == sid }?.0 ?? sid
  }

  /// The groups a service account acts as, for access checks: NETWORK SERVICE's and LOCAL SERVICE's tokens also hold
  /// Users and SERVICE (S-1-5-6), so a grant to either reaches TermService.
  public static func principals(of sid: String) -> Set<String> {
    var set: Set<String> = [sid, everyone]
    if sid != everyone { set.insert(authenticatedUsers) }
    if sid == system { set.insert(administrators) }
    if sid == networkService || sid == localService { set.formUnion([users, "S-1-5-6"]) }
    return set
  }

  /// The account name Get-Acl and icacls show, localized for German hosts.
  public static func accountName(_ sid: String, locale: String) -> String {
    let german = locale.lowercased().hasPrefix("de")
    switch sid {
    case system: return german ? "NT-AUTORITÄT\\SYSTEM" : "NT AUTHORITY\\SYSTEM"
    case localService: return german ? "NT-AUTORITÄT\\LOKALER DIENST" : "NT AUTHORITY\\LOCAL SERVICE"
    case networkService: return german ? "NT-AUTORITÄT\\NETZWERKDIENST" : "NT AUTHORITY\\NETWORK SERVICE"
    case administrators: return german ? "VORDEFINIERT\\Administratoren" : "BUILTIN\\Administrators"
    case users: return german ? "VORDEFINIERT\\Benutzer" : "BUILTIN\\Users"
    case everyone: return german ? "Jeder" : "Everyone"
    case authenticatedUsers:
      return german ? "NT-AUTORITÄT\\Authentifizierte Benutzer" : "NT AUTHORITY\\Authenticated Users"
    case creatorOwner: return german ? "ERSTELLER-BESITZER" : "CREATOR OWNER"
    default: return sid
    }
  }
}
