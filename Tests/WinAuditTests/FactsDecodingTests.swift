import Foundation
import Testing

@testable import WinAudit

@Suite("Facts JSON decoding")
struct FactsDecodingTests {
  /// A hostile host's numbers are errors or unknowns, never a crash (a trap would take the whole fleet down).
  @Test func hugeNumbersFromAHostDoNotTrap() throws {
    let hostPart = #"{"computerName":"X","os":{"build":1e300},"errors":[]}"#
    let document = try FactsDocument.decode(
      stdout: #"{"schema":1,"collector":"winaudit","host":"# + hostPart + #","facts":{}}"#)
    #expect(document.host.build == nil)
    #expect(throws: FactsDecodingError.self) {
      try FactsDocument.decode(stdout: #"{"schema":1e300,"collector":"winaudit","host":"# + hostPart + #","facts":{}}"#)
    }
    var facts = Fixtures.healthy
    facts["portNumber"] = Fixtures.registry(.double(1e300))
    let finding = DiffEngineTests().findings(facts)["firewall-rdp-allowed"]!
    #expect(finding.status == .error)
    #expect(finding.message?.contains("not a port number") == true)
  }

  @Test func windowsPowerShell51Output() throws {
    // What 5.1 prints: a BOM, CRLF, \u escapes for < > ' &, whole numbers as ints, doubles, nulls, a stray line.
    let stdout =
      "\u{FEFF}WARNING: something unrelated\r\n"
      + #"{"schema":1,"collector":"winaudit","host":{"computerName":"WIN\u0027S","os":{"caption":"Windows Server 2016","#
      + #""version":"10.0.14393","build":14393,"powershellVersion":"5.1.14393.693"},"machineGuid":"abc","errors":[]},"#
      + #""facts":{"port":{"kind":"registry","ok":true,"value":{"path":"HKLM:\\X","name":"PortNumber","exists":true,"#
      + #""value":3389.0,"policy":null,"effective":3389.0,"source":"local"}},"#
      + #""fw":{"kind":"firewallRules","ok":false,"value":null,"error":"Access is denied. \u003cb\u003e","#
      + #""errorId":"Windows System Error 5,Get-NetFirewallRule"},"#
      + #""big":{"kind":"registry","ok":true,"value":{"exists":true,"value":4294967295,"effective":-1,"source":"local"}},"#
      + #""text":{"kind":"machineGuid","ok":true,"value":"line\nbreak \ud83d\ude00 caf\u00e9"}}}"#
      + "\r\n"
    let document = try FactsDocument.decode(stdout: stdout)
    #expect(document.schema == 1)
    #expect(document.host.computerName == "WIN'S")
    #expect(document.host.build == 14393)
    #expect(document.host.powershellVersion == "5.1.14393.693")
    guard case .value(let port)? = document.facts["port"] else {
      Issue.record("port missing")
      return
    }
    #expect(port["effective"] == .double(3389))
    #expect(port["effective"]?.matches(.int(3389)) == true)
    #expect(port["effective"]?.display == "3389")
    #expect(port["policy"] == .null)
    #expect(
      document.facts["fw"]
        == .failed(message: "Access is denied. <b>", errorId: "Windows System Error 5,Get-NetFirewallRule"))
    guard case .value(let big)? = document.facts["big"] else { return }
    #expect(big["value"] == .int(4_294_967_295))
    #expect(big["effective"] == .int(-1))
    #expect(document.facts["text"] == .value(.string("line\nbreak 😀 café")))
  }

  /// The document is the last line starting with `{`; lines end at LF or CR only, so characters JSON allows raw in a
  /// string (U+2028, U+0085) never cut it, and invalid UTF-8 becomes U+FFFD.
  @Test func theDocumentLineIsFoundByBytes() throws {
    let document =
      #"{"schema":1,"host":{"computerName":"A"# + "\u{2028}B\u{85}C"
      + #""},"facts":{"t":{"kind":"machineGuid","ok":true,"value":"x\u000cy \"q\" \\ tab\tend"}}}"#
    let stdout = "{ not this one\r\n  \t\u{FEFF}" + document + "  \r\nstray text after\n\n"
    let decoded = try FactsDocument.decode(stdout: stdout)
    #expect(decoded.host.computerName == "A\u{2028}B\u{85}C")
    #expect(decoded.facts["t"] == .value(.string("x\u{0C}y \"q\" \\ tab\tend")))

    let invalid = Array(#"{"schema":1,"host":{"computerName":"A"#.utf8) + [0xFF] + Array(#"B"},"facts":{}}"#.utf8)
    let bytes = Array("noise\n".utf8) + invalid
    let line = bytes.withUnsafeBufferPointer { FactsDocument.lastDocumentLine(in: $0) }
    #expect(line == invalid)
    #expect(try FactsDocument.decode(FactValue.parseJSON(invalid)).host.computerName == "A\u{FFFD}B")
    #expect(throws: FactsDecodingError.self) { try FactsDocument.decode(stdout: "no document\r\n  [1]\n") }
  }

  @Test func rejectsWhatIsNotAFactsDocument() {
    #expect(throws: FactsDecodingError.self) { try FactsDocument.decode(stdout: "") }
    #expect(throws: FactsDecodingError.self) { try FactsDocument.decode(stdout: "{\"schema\":1,") }
    #expect(throws: FactsDecodingError.self) { try FactsDocument.decode(stdout: "{\"schema\":2,\"facts\":{}}") }
    #expect(throws: FactsDecodingError.self) { try FactsDocument.decode(stdout: "{\"facts\":{}}") }
  }

  @Test func tolerantOfMissingHostParts() throws {
    let document = try FactsDocument.decode(
      stdout:
        #"{"schema":1,"host":{"computerName":"X","os":null,"machineGuid":null,"errors":"os: RPC server unavailable"},"facts":{}}"#
    )
    #expect(document.host.build == nil)
    #expect(document.host.errors == ["os: RPC server unavailable"])
  }

  @Test func isoDatesFromDotNet() {
    #expect(ISODate.parse("2025-06-01T00:00:00.0000000Z") == Fixtures.now)
    #expect(ISODate.parse("2025-06-01T02:00:00.1234567+02:00")!.timeIntervalSince(Fixtures.now) < 0.2)
    #expect(ISODate.parse("2025-05-31T19:00:00-05:00") == Fixtures.now)
    #expect(ISODate.parse("2025-06-01T00:00:00") == Fixtures.now)
    #expect(ISODate.parse("/Date(1748736000000)/") == nil)
  }

  @Test func securityDescriptors() throws {
    let descriptor = try #require(
      SecurityDescriptor(
        sddl: "O:SYG:SYD:PAI(A;OICI;FA;;;BA)(A;;0x1200a9;;;NS)(D;OICIIO;FA;;;SY)(A;;GA;;;S-1-5-21-1-2-3-500)"))
    #expect(descriptor.hasFullControl("S-1-5-32-544"))
    #expect(descriptor.tokenCanRead(WellKnownAccount.token(of: "S-1-5-20")))
    #expect(!descriptor.hasFullControl("S-1-5-20"))
    #expect(
      !descriptor.tokenDenied(WellKnownAccount.token(of: "S-1-5-18")),
      "inherit-only deny entries do not apply to the folder itself")
    #expect(descriptor.hasFullControl("S-1-5-21-1-2-3-500"))
    let everyone = try #require(SecurityDescriptor(sddl: "D:(D;;FA;;;WD)(A;;FA;;;SY)"))
    #expect(everyone.tokenDenied(WellKnownAccount.token(of: "S-1-5-18")))
    // NETWORK SERVICE acts through its groups: a grant to Users lets it read, Everyone's write grant lets it create
    // files, and a deny to Authenticated Users denies it.
    let folder = try #require(SecurityDescriptor(sddl: "D:P(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;;FA;;;SY)"))
    #expect(folder.tokenMay(SecurityDescriptor.addFile, WellKnownAccount.token(of: "S-1-5-20")))
    let readOnly = try #require(SecurityDescriptor(sddl: "D:P(A;;FR;;;WD)(A;;FA;;;BA)"))
    #expect(!readOnly.tokenMay(SecurityDescriptor.addFile, WellKnownAccount.token(of: "S-1-5-20")))
    let viaUsers = try #require(SecurityDescriptor(sddl: "D:P(A;;FR;;;BU)(A;;FA;;;SY)"))
    #expect(viaUsers.tokenCanRead(WellKnownAccount.token(of: "S-1-5-20")))
    let deniedViaAU = try #require(SecurityDescriptor(sddl: "D:P(D;;FR;;;AU)(A;;FR;;;NS)"))
    #expect(!deniedViaAU.tokenCanRead(WellKnownAccount.token(of: "S-1-5-20")))
    #expect(deniedViaAU.tokenDenied(WellKnownAccount.token(of: "S-1-5-20")))
    // Entries decide in order: an explicit allow comes before an inherited deny and wins.
    let inheritedDeny = try #require(SecurityDescriptor(sddl: "D:AI(A;;FR;;;NS)(D;ID;FR;;;AU)"))
    #expect(inheritedDeny.tokenCanRead(WellKnownAccount.token(of: "S-1-5-20")))
    #expect(SecurityDescriptor(sddl: "O:SY") == nil)
    #expect(SecurityDescriptor(sddl: "D:(A;;ZZ;;;SY)") == nil)
  }

  @Test func wellKnownAccounts() {
    #expect(WellKnownAccount.sid(for: "SY") == "S-1-5-18")
    #expect(WellKnownAccount.sid(for: "*S-1-5-20") == "S-1-5-20")
    #expect(WellKnownAccount.sid(for: "NT AUTHORITY\\Network Service") == "S-1-5-20")
    #expect(WellKnownAccount.sid(for: "BUILTIN\\Administrators") == "S-1-5-32-544")
    #expect(WellKnownAccount.sid(for: "Jemand") == nil)
  }
}

/// Text a host controls cannot act on a terminal, forge a report line or break XML.
@Suite struct SafeTextTests {
  @Test func controlCharactersAndSeparatorsAreShownNotActedOn() {
    let hostile = "ok\u{1B}[2J\u{1B}]0;pwned\u{07}\nforged line\u{2028}x\u{202E}cba\u{85}"
    let safe = SafeText.line(hostile)
    #expect(safe == #"ok\u{1B}[2J\u{1B}]0;pwned\u{7}\u{A}forged line\u{2028}x\u{202E}cba\u{85}"#)
    #expect(!safe.unicodeScalars.contains(where: SafeText.isUnsafe))
    #expect(SafeText.line("München café 😀") == "München café 😀")
    #expect(SafeText.lines("a\r\nb\u{1B}") == ["a", #"b\u{1B}"#])
  }

  @Test func aHostsErrorsBecomeAReadableExcerpt() {
    let huge = String(repeating: "x", count: 20_000)
    let excerpt = SafeText.excerpt(["first\n\nsecond", huge, "third", "fourth"], lines: 3)
    #expect(
      excerpt == "first | second | " + String(repeating: "x", count: 500)
        + "... (19500 more characters) | (2 more lines)")
  }

  @Test func theTextReportKeepsEachFindingOnOneLine() {
    var facts = Fixtures.healthy
    facts["nla"] = Fixtures.registry(.string("0\n  [critical] rdp-allowed: forged\u{1B}[31m"))
    let document = Fixtures.document(facts)
    let findings = DiffEngine.findings(
      playbook: Fixtures.baseline, facts: document, host: Fixtures.host, now: Fixtures.now)
    let nla = findings.first { $0.controlID == "nla-required" }!
    let line = TextReport.driftLine(nla)
    #expect(!line.contains("\n") && !line.contains("\u{1B}"), "\(line)")
    #expect(JUnitReport.text("a\u{1}b\u{FFFF}") == #"a\u{1}b\u{FFFF}"#)
  }
}
