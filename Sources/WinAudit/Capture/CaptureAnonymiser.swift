import Foundation

/// Replaces what identifies a host in a raw capture by placeholders, consistently: the same original becomes the same
/// placeholder everywhere, so the capture still describes one coherent host (the listener's SSLCertificateSHA1Hash,
/// binary in the registry, still names the certificate in `My`; the RDP key file still carries the MachineGuid).
///
/// Done on the client, after the raw JSON arrived, so the script on the host stays simple and the rules can be tested
/// here. What is replaced:
/// - the computer name (`HOST-1`), wherever it appears as a word (certificate subjects, the login's domain);
/// - user names (`USER-n`) and domains other than the computer's (`DOMAIN-n`): the login, and accounts secedit could
///   not turn into a SID;
/// - the domain part of account SIDs, `S-1-5-21-a-b-c-RID` (the RID, which tells Administrator from others, stays);
/// - IPv4 addresses anywhere (`192.0.2.n`, then the other documentation ranges) and IPv6 addresses
///   (`2001:db8::n`); loopback and the unspecified addresses stay;
/// - certificate thumbprints (a fake, deterministic thumbprint, in any case and inside longer names);
/// - the MachineGuid (a fake GUID, also inside key-file names);
/// - network (connection profile) names (`NETWORK-n`), wherever they appear as words.
public struct CaptureAnonymiser: Sendable {
  /// One literal replacement.
  struct Replacement: Sendable, Hashable {
    var original: String
    var placeholder: String
    /// Names are replaced as whole words only (not inside `HOSTNAME2` for `HOSTNAME`); hex values anywhere.
    var wholeWord: Bool
  }

  private(set) var replacements: [Replacement] = []
  private var addresses: [String: String] = [:]
  private var sidDomains: [String: String] = [:]

  /// Addresses that identify nothing and are kept.
  static let keptAddresses: Set<String> = ["0.0.0.0", "255.255.255.255", "::", "::1"]

  /// The capture with every identifying value replaced.
  public static func anonymise(_ capture: FactValue) -> FactValue {
    var anonymiser = CaptureAnonymiser()
    anonymiser.learn(capture)
    return anonymiser.apply(capture)
  }

  /// The originals that will be replaced (for tests and for the check that none is left).
  static func originals(in capture: FactValue) -> [String] {
    var anonymiser = CaptureAnonymiser()
    anonymiser.learn(capture)
    return anonymiser.replacements.map(\.original) + anonymiser.addresses.keys.sorted()
      + anonymiser.sidDomains.keys.sorted()
  }

  // MARK: - Learning what to replace

  mutating func learn(_ capture: FactValue) {
    let host = capture["host"] ?? .null
    if let computer = host["computerName"]?.string, !computer.isEmpty {
      add(computer, "HOST-1", wholeWord: true)
    }
    if let user = host["user"]?.string { learnAccount(user) }
    var inRights = false
    for line in (capture["userRights"]?["lines"] ?? .null).list {
      guard let text = line.string?.trimmingCharacters(in: .whitespaces) else { continue }
      if text.hasPrefix("[") {
        inRights = text == "[Privilege Rights]"
        continue
      }
      guard inRights, let equals = text.firstIndex(of: "=") else { continue }
      for entry in text[text.index(after: equals)...].split(separator: ",") {
        let account = entry.trimmingCharacters(in: .whitespaces)
        if !account.isEmpty, !account.hasPrefix("*"), !account.hasPrefix("\"") { learnAccount(account) }
      }
    }
    for value in (capture["registry"] ?? .null).list where value["exists"]?.bool == true {
      switch value["name"]?.string?.lowercased() {
      case "machineguid":
        if let guid = value["value"]?.string, !guid.isEmpty {
          add(guid, String(format: "00000000-0000-4000-8000-%012d", count(prefix: "00000000-0000-4000-8000-") + 1))
        }
      case "sslcertificatesha1hash": learnThumbprint(value["value"]?.string)
      default: break
      }
    }
    for store in (capture["certificateStores"] ?? .null).list {
      for certificate in (store["certificates"] ?? .null).list { learnThumbprint(certificate["Thumbprint"]?.string) }
    }
    for setting in (capture["terminalSettings"] ?? .null).list {
      learnThumbprint(setting["SSLCertificateSHA1Hash"]?.string)
    }
    for profile in (capture["connectionProfiles"] ?? .null).list {
      if let name = profile["Name"]?.string, !name.isEmpty, !replacements.contains(where: { $0.original == name }) {
        add(name, "NETWORK-\(count(prefix: "NETWORK-") + 1)", wholeWord: true)
      }
    }
    if let domain = capture["domainMembership"]?["Domain"]?.string, !domain.isEmpty,
      capture["domainMembership"]?["PartOfDomain"]?.bool == true,
      !replacements.contains(where: { $0.original.caseInsensitiveCompare(domain) == .orderedSame })
    {
      add(domain, "domain-\(count(prefix: "domain-") + 1).example", wholeWord: true)
    }
    for group in (capture["localGroups"] ?? .null).list {
      for member in (group["Members"] ?? .null).list {
        guard let name = member["Name"]?.string, !name.isEmpty else { continue }
        let domain = member["Domain"]?.string ?? ""
        learnAccount(domain.isEmpty ? name : domain + "\\" + name)
      }
    }
    collectAddressesAndSIDs(capture)
  }

  private mutating func learnAccount(_ account: String) {
    let parts = account.split(separator: "\\", maxSplits: 1).map(String.init)
    let name = parts.last ?? account
    if parts.count == 2, !Self.wellKnownDomains.contains(parts[0].uppercased()),
      !replacements.contains(where: { $0.original.caseInsensitiveCompare(parts[0]) == .orderedSame })
    {
      add(parts[0], "DOMAIN-\(count(prefix: "DOMAIN-") + 1)", wholeWord: true)
    }
    if parts.count == 2, Self.wellKnownDomains.contains(parts[0].uppercased()) { return }
    if !name.isEmpty, !replacements.contains(where: { $0.original.caseInsensitiveCompare(name) == .orderedSame }) {
      add(name, "USER-\(count(prefix: "USER-") + 1)", wholeWord: true)
    }
  }

  /// Domains whose accounts are Windows' own (`NT AUTHORITY\NETWORK SERVICE`): the same on every host.
  static let wellKnownDomains: Set<String> = [
    "NT AUTHORITY", "BUILTIN", "NT SERVICE", "WINDOW MANAGER", "FONT DRIVER HOST",
  ]

  private mutating func learnThumbprint(_ value: String?) {
    guard let value, value.count == 40, value.allSatisfy(\.isHexDigit),
      !replacements.contains(where: { $0.original.caseInsensitiveCompare(value) == .orderedSame })
    else { return }
    add(value.uppercased(), "0BADC0DE" + String(format: "%032X", count(prefix: "0BADC0DE") + 1))
  }

  private mutating func add(_ original: String, _ placeholder: String, wholeWord: Bool = false) {
    replacements.append(Replacement(original: original, placeholder: placeholder, wholeWord: wholeWord))
  }

  private func count(prefix: String) -> Int {
    replacements.filter { $0.placeholder.hasPrefix(prefix) }.count
  }

  /// Every address and account-domain SID in the capture, numbered in the order met (objects in their key order), so
  /// the same capture always gives the same placeholders; placeholders never reuse an address the capture holds.
  private mutating func collectAddressesAndSIDs(_ capture: FactValue) {
    var found: [String] = []
    var domains: [String] = []
    func walk(_ value: FactValue) {
      switch value {
      case .string(let text):
        for address in Self.addressMatches(in: text) where !found.contains(address) { found.append(address) }
        for domain in Self.matches(Self.sidDomain, in: text) where !domains.contains(domain) { domains.append(domain) }
      case .array(let items): items.forEach(walk)
      case .object(let pairs): pairs.forEach { walk($0.value) }
      default: break
      }
    }
    walk(capture)
    var v4 = Self.documentationAddresses.filter { !found.contains($0) }.makeIterator()
    var v6 = 0
    for address in found {
      if address.contains(":") {
        v6 += 1
        addresses[address] = "2001:db8::" + String(v6, radix: 16)
      } else {
        addresses[address] = v4.next() ?? "192.0.2.254"
      }
    }
    for (index, domain) in domains.enumerated() {
      sidDomains[domain] = "S-1-5-21-1000000001-2000000002-\(3_000_000_000 + index + 1)"
    }
  }

  /// 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737), in order.
  static let documentationAddresses: [String] = ["192.0.2.", "198.51.100.", "203.0.113."].flatMap { prefix in
    (1...254).map { prefix + String($0) }
  }

  // MARK: - Applying

  func apply(_ value: FactValue) -> FactValue {
    switch value {
    case .string(let text): return .string(apply(text))
    case .array(let items): return .array(items.map(apply))
    case .object(let pairs): return .object(pairs.map { FactValue.FactPair($0.key, apply($0.value)) })
    default: return value
    }
  }

  func apply(_ text: String) -> String {
    var result = Self.replacing(Self.sidDomain, in: text) { sidDomains[$0] ?? $0 }
    result = Self.replacing(Self.ipv4, in: result) { addresses[$0] ?? $0 }
    result = Self.replacing(Self.ipv6, in: result) { addresses[$0] ?? $0 }
    for replacement in replacements.sorted(by: { $0.original.count > $1.original.count }) {
      result = Self.replace(replacement, in: result)
    }
    return result
  }

  /// Case-insensitive replacement; a hex value written in lower case gets its placeholder in lower case (thumbprints
  /// and GUIDs inside key names are lower case), and names (whole words) skip matches inside a longer word.
  static func replace(_ replacement: Replacement, in text: String) -> String {
    var result = ""
    var rest = text[...]
    while let range = rest.range(of: replacement.original, options: .caseInsensitive) {
      let before = range.lowerBound == rest.startIndex ? result.last : rest[rest.index(before: range.lowerBound)]
      let after = range.upperBound < rest.endIndex ? rest[range.upperBound] : nil
      let isWord = { (character: Character?) in character.map { $0.isLetter || $0.isNumber } ?? false }
      result += rest[..<range.lowerBound]
      if replacement.wholeWord && (isWord(before) || isWord(after)) {
        result += rest[range]
      } else {
        let matched = String(rest[range])
        let lower = !replacement.wholeWord && matched == matched.lowercased() && matched != matched.uppercased()
        result += lower ? replacement.placeholder.lowercased() : replacement.placeholder
      }
      rest = rest[range.upperBound...]
    }
    return result + rest
  }

  // MARK: - Patterns

  /// `S-1-5-21-a-b-c` of an account SID (the RID after it is kept).
  static let sidDomain = try! NSRegularExpression(pattern: #"S-1-5-21-\d+-\d+-\d+(?=-\d)"#)
  static let ipv4 = try! NSRegularExpression(pattern: #"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d])(?!\.\d)"#)
  static let ipv6 = try! NSRegularExpression(
    pattern: #"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:.])"#)

  /// The addresses in `text` worth replacing: valid IPv4 (not loopback) and IPv6 with `::` or at least three colons.
  static func addressMatches(in text: String) -> [String] {
    let v4 = matches(ipv4, in: text).filter { address in
      let octets = address.split(separator: ".").compactMap { Int($0) }
      return octets.count == 4 && octets.allSatisfy { $0 <= 255 } && octets[0] != 127
        && !keptAddresses.contains(address)
    }
    let v6 = matches(ipv6, in: text).filter { address in
      (address.contains("::") || address.filter { $0 == ":" }.count >= 3) && !keptAddresses.contains(address)
        && address.contains(where: \.isHexDigit)
    }
    return v4 + v6
  }

  static func matches(_ pattern: NSRegularExpression, in text: String) -> [String] {
    pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
      Range($0.range, in: text).map { String(text[$0]) }
    }
  }

  static func replacing(_ pattern: NSRegularExpression, in text: String, with map: (String) -> String) -> String {
    var result = ""
    var last = text.startIndex
    for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
      guard let range = Range(match.range, in: text) else { continue }
      result += text[last..<range.lowerBound] + map(String(text[range]))
      last = range.upperBound
    }
    return result + text[last...]
  }
}
