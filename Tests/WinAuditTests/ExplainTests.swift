import Foundation
import RemotePowerShell
import Testing

@testable import WinAudit

@Suite("winaudit explain: codes, table, ranking, playbook explains:, reports")
struct ExplainTests {
  // MARK: Reading codes

  @Test(
    arguments: [
      ("0x904", 0x904), ("0X904", 0x904), ("0xb09", 0xB09), ("904h", 0x904), ("904H", 0x904), ("B09h", 0xB09),
      ("2308", 0x904), ("516", 0x204), ("2825", 0xB09), (" 0x7 ", 7), ("7", 7), ("0", 0), ("0xFFFFFFFF", 0xFFFF_FFFF),
    ] as [(String, UInt32)])
  func codesAreReadAsHexOrDecimal(text: String, value: UInt32) throws {
    #expect(try ErrorCode(parsing: text).value == value)
  }

  @Test(
    arguments: [
      ("", "empty"), ("0x", "not an error code"), ("h", "not an error code"), ("xyz", "not an error code"),
      ("0x90g", "not an error code"), ("-1", "not an error code"), ("B09", "a hex code needs 0x (0xB09)"),
      ("99999999999", "larger than an error code"), ("0x1FFFFFFFF", "larger than an error code"),
      ("2308.0", "not an error code"),
    ])
  func badCodesAreRefusedWithAMessage(text: String, message: String) {
    #expect {
      try ErrorCode(parsing: text)
    } throws: { error in
      (error as? ErrorCodeSyntaxError)?.message.contains(message) == true
    }
  }

  @Test func codesPrintInHexAsMstscAndInDecimal() {
    #expect(ErrorCode(0xB09).description == "0xB09")
    #expect(ErrorCode(0xB09).decimal == "2825")
  }

  @Test func theQueryNeedsACodeAndANamedErrorTakesNoExtendedCode() throws {
    #expect(try ExplainQuery(code: "0x904", extended: "7") == .codes(ErrorCode(0x904), extended: ErrorCode(7)))
    #expect(try ExplainQuery(code: nil, extended: "0x9") == .codes(nil, extended: ErrorCode(9)))
    #expect(try ExplainQuery(code: "CredSSP", extended: nil) == .named(.credssp))
    #expect(throws: ErrorCodeSyntaxError.self) { try ExplainQuery(code: nil, extended: nil) }
    #expect(throws: ErrorCodeSyntaxError.self) { try ExplainQuery(code: "credssp", extended: "0x7") }
    #expect {
      try ExplainQuery(code: "0x904", extended: "seven")
    } throws: { error in
      (error as? ErrorCodeSyntaxError)?.message.hasPrefix("--extended: 'seven' is not an error code") == true
    }
  }

  @Test func aDecimalThatLooksLikeADocumentedHexCodeGetsANote() {
    let notes = ExplainQuery.readingNotes(code: "904", extended: "7")
    #expect(notes == ["CODE 904 was read as decimal (0x388); if the client showed 0x904, write 0x904"])
    #expect(ExplainQuery.readingNotes(code: "2308", extended: "7").isEmpty)
    #expect(ExplainQuery.readingNotes(code: "0x904", extended: nil).isEmpty)
  }

  // MARK: The table

  /// Every code of the reference's "Client error codes" section, with a word its meaning must contain.
  @Test(
    arguments: [
      (0x204, "socket"), (0x904, "closed"), (0xB09, "Network Level Authentication"), (0x807, "logon failure"),
      (0xB07, "disabled"), (0xD07, "locked out"), (0xE07, "expired"), (0xF07, "password has expired"),
      (0x1207, "must be changed"), (0x1807, "authenticating authority"), (0x2107, "fresh credentials"),
    ] as [(UInt32, String)])
  func everyDocumentedErrorCodeHasItsMeaning(code: UInt32, word: String) throws {
    let meaning = ClientErrorCodes.disconnectReason(ErrorCode(code))
    #expect(meaning.role == .disconnectReason)
    #expect(try #require(meaning.meaning).contains(word))
    #expect(meaning.source.contains("IMsTscAxEvents::OnDisconnected"))
  }

  @Test(
    arguments: [
      (0x0, "no reason"), (0x3, "idle"), (0x4, "logon timeout"), (0x6, "out of memory"), (0x7, "denied"),
      (0x9, "insufficient privileges"),
    ] as [(UInt32, String)])
  func everyDocumentedExtendedCodeHasItsMeaning(code: UInt32, word: String) throws {
    let meaning = ClientErrorCodes.extended(ErrorCode(code))
    #expect(meaning.role == .extended)
    #expect(try #require(meaning.meaning).contains(word))
    #expect(meaning.source.contains("MS-RDPBCGR 2.2.5.1.1"))
  }

  @Test func extendedSevenNamesNoSingleCause() {
    #expect(ClientErrorCodes.extended(ErrorCode(7)).worthChecking?.contains("no single documented cause") == true)
  }

  @Test(arguments: [0x507, 0x516, 0x2407] as [UInt32])
  func undocumentedCodesHaveNoMeaning(code: UInt32) {
    let meaning = ClientErrorCodes.disconnectReason(ErrorCode(code))
    #expect(meaning.meaning == nil)
    #expect(meaning.listedUndocumented)
    #expect(ExplainReport.headline(meaning).contains("no documented meaning"))
  }

  @Test func unknownNumbersHaveNoMeaningEither() {
    let code = ClientErrorCodes.disconnectReason(ErrorCode(0x1234))
    #expect(code.meaning == nil && !code.listedUndocumented)
    #expect(
      ExplainReport.headline(code)
        == "Error code 0x1234 (4660): no documented meaning known to winaudit (not in its table of documented codes).")
    #expect(ClientErrorCodes.extended(ErrorCode(0x4242)).meaning == nil)
  }

  @Test func theCredSSPOracleIsANamedError() throws {
    let meaning = ClientErrorCodes.named(.credssp)
    #expect(try #require(meaning.meaning).contains("CVE-2018-0886"))
    #expect(meaning.worthChecking?.contains("patch the server") == true)
    #expect(NamedErrorCode(spelling: "CredSSP encryption oracle remediation") == .credssp)
  }

  // MARK: explains: entries and matching

  @Test(
    arguments: [
      ("0x904", ErrorCodePattern.code(ErrorCode(0x904))),
      ("0xb09", .code(ErrorCode(0xB09))),
      ("0x904/0x7", .codeWithExtended(ErrorCode(0x904), extended: ErrorCode(7))),
      ("ext 0x7", .extended(ErrorCode(7))),
      ("EXT 0X9", .extended(ErrorCode(9))),
      ("credssp", .named(.credssp)),
      ("CredSSP encryption oracle remediation", .named(.credssp)),
    ])
  func playbookEntriesAreRead(text: String, pattern: ErrorCodePattern) throws {
    #expect(try ErrorCodePattern(parsing: text) == pattern)
  }

  @Test(arguments: ["904", "ext 7", "0x904/7", "0x904/0x7/0x1", "ext", "oops", "0x904/"])
  func badPlaybookEntriesAreRefused(text: String) {
    #expect(throws: ErrorCodeSyntaxError.self) { try ErrorCodePattern(parsing: text) }
  }

  @Test func matchSpecificity() {
    let pair = ErrorCodePattern.codeWithExtended(ErrorCode(0x904), extended: ErrorCode(7))
    let both = ExplainQuery.codes(ErrorCode(0x904), extended: ErrorCode(7))
    let codeOnly = ExplainQuery.codes(ErrorCode(0x904), extended: nil)
    let extendedOnly = ExplainQuery.codes(nil, extended: ErrorCode(7))
    #expect(pair.match(both) == .codeAndExtended)
    #expect(pair.match(codeOnly) == .code)
    #expect(pair.match(extendedOnly) == .extended)
    #expect(pair.match(.codes(ErrorCode(0x904), extended: ErrorCode(9))) == nil)
    #expect(pair.match(.codes(ErrorCode(0x204), extended: ErrorCode(7))) == nil)
    #expect(ErrorCodePattern.extended(ErrorCode(7)).match(both) == .extended)
    #expect(ErrorCodePattern.extended(ErrorCode(7)).match(codeOnly) == nil)
    #expect(ErrorCodePattern.code(ErrorCode(0x904)).match(both) == .code)
    #expect(ErrorCodePattern.code(ErrorCode(0x904)).match(extendedOnly) == nil)
    #expect(ErrorCodePattern.named(.credssp).match(.named(.credssp)) == .named)
    #expect(ErrorCodePattern.named(.credssp).match(both) == nil)
    #expect(ErrorCodePattern.code(ErrorCode(0x904)).match(.named(.credssp)) == nil)
  }

  // MARK: Ranking

  static func candidate(_ id: String, _ severity: Severity, _ specificity: MatchSpecificity, _ index: Int)
    -> ExplainCandidate
  {
    ExplainCandidate(
      rank: 0, controlID: id, title: id, severity: severity, specificity: specificity, matched: "", rationale: nil,
      fixes: [], playbookIndex: index)
  }

  @Test func rankingIsSpecificityThenSeverityThenPlaybookOrder() {
    let ranked = ExplainCandidate.ranked([
      Self.candidate("code-critical", .critical, .code, 0),
      Self.candidate("ext-low", .low, .extended, 1),
      Self.candidate("ext-high-late", .high, .extended, 5),
      Self.candidate("pair-medium", .medium, .codeAndExtended, 6),
      Self.candidate("ext-high-early", .high, .extended, 2),
      Self.candidate("ext-critical", .critical, .extended, 7),
    ])
    #expect(
      ranked.map(\.controlID) == [
        "pair-medium", "ext-critical", "ext-high-early", "ext-high-late", "ext-low", "code-critical",
      ])
    #expect(ranked.map(\.rank) == Array(1...6))
  }

  static func explainer() throws -> Explainer {
    let playbook = try Playbook.builtIn
    return Explainer(playbook: playbook, catalogue: try RemediationCatalogue.builtIn(for: playbook))
  }

  @Test func theBaselineRanksTheCertificatePathFirstFor0x904Extended7() throws {
    let explanation = try Self.explainer().explain(.codes(ErrorCode(0x904), extended: ErrorCode(7)))
    let ids = explanation.candidates.map(\.controlID)
    #expect(
      Array(ids.prefix(5)) == [
        "listener-certificate-valid", "listener-certificate-hash-valid", "rdp-wire-tls-available", "machinekeys-acl",
        "rdp-key-file-acl",
      ])
    #expect(explanation.candidates.prefix(5).allSatisfy { $0.specificity == .codeAndExtended })
    #expect(ids.contains("nla-required"))
    #expect(!ids.contains("rdp-allowed"))
    // Within one specificity, severity never goes up.
    for (a, b) in zip(explanation.candidates, explanation.candidates.dropFirst()) where a.specificity == b.specificity {
      #expect(a.severity >= b.severity, "\(a.controlID) before \(b.controlID)")
    }
  }

  @Test(
    arguments: [
      (
        "0x204",
        [
          "rdp-allowed", "termservice-running", "listener-on-port", "firewall-inbound-rules-honoured",
          "firewall-no-block-rule", "firewall-port-matches", "firewall-rdp-allowed", "rdp-services-enabled",
          "rdp-winstation-enabled", "firewall-service-running", "bfe-running", "rdp-answers-from-here",
          "rdp-not-blocked-between", "listener-on-all-adapters",
        ]
      ),
      ("0x1807", ["secure-channel-healthy"]),
      ("0xB09", []),
      ("0x507", []),
    ])
  func theBaselineCandidatesForACode(code: String, expected: [String]) throws {
    let explanation = try Self.explainer().explain(try ExplainQuery(code: code, extended: nil))
    #expect(explanation.candidates.map(\.controlID) == expected)
  }

  @Test func extendedNineIsTheLogonRights() throws {
    let explanation = try Self.explainer().explain(.codes(ErrorCode(0x904), extended: ErrorCode(9)))
    #expect(
      explanation.candidates.prefix(3).map(\.controlID) == [
        "remote-logon-right-administrators", "remote-logon-not-denied", "remote-logon-local-accounts-allowed",
      ])
    #expect(explanation.candidates.prefix(3).allSatisfy { $0.specificity == .extended })
  }

  @Test func candidatesCarryTheirFixesOptInOnesMarked() throws {
    let explainer = try Self.explainer()
    let keys = try #require(
      explainer.explain(.codes(ErrorCode(0x904), extended: ErrorCode(7))).candidates.first {
        $0.controlID == "machinekeys-acl"
      })
    #expect(keys.fixes.map(\.id) == ["machinekeys-acl", "machinekeys-folder-rename"])
    #expect(keys.fixes.map(\.optIn) == [false, true])
    #expect(keys.fixes[0].disruptive != nil)
    let channel = try #require(explainer.explain(.codes(ErrorCode(0x1807), extended: nil)).candidates.first)
    #expect(channel.controlID == "secure-channel-healthy" && channel.fixes.isEmpty)
  }

  // MARK: The playbook's explains:

  static let header = """
    playbook: 1
    name: test
    facts:
      svc: {service: TermService}
    controls:

    """

  func playbook(_ controls: String) throws(DiagnosticsError) -> Playbook {
    try PlaybookLoader.parse(Self.header + controls, file: "p.yml")
  }

  @Test func explainsAndItsOldNameErrorCodesMeanTheSame() throws {
    let new = try playbook(
      """
      - id: a
        title: A
        severity: low
        explains: ['0x904/0x7', 'ext 0x7', credssp]
        check: {fact: svc, equals: Running}
      """)
    let old = try playbook(
      """
      - id: a
        title: A
        severity: low
        errorCodes: ['0x904/0x7', 'ext 0x7', 'CredSSP encryption oracle remediation']
        check: {fact: svc, equals: Running}
      """)
    #expect(new.controls[0].explains == old.controls[0].explains)
    #expect(
      new.controls[0].explains == [
        .codeWithExtended(ErrorCode(0x904), extended: ErrorCode(7)), .extended(ErrorCode(7)), .named(.credssp),
      ])
  }

  @Test func aBadCodeIsAPlaybookErrorAtItsLine() {
    #expect {
      try playbook(
        """
        - id: a
          title: A
          severity: low
          explains:
          - '0x904'
          - '904'
          - 'ext seven'
          check: {fact: svc, equals: Running}
        - id: b
          title: B
          severity: low
          explains: '0x204'
          errorCodes: ['0x204']
          check: {fact: svc, equals: Running}
        """)
    } throws: { error in
      let messages = (error as? DiagnosticsError)?.diagnostics.map(\.description) ?? []
      return messages == [
        "p.yml:11:5: error: control 'a' explains: '904' must be hex as the client shows it (0x904): a bare "
          + "number would be read as decimal",
        "p.yml:12:5: error: control 'a' explains: 'seven' in 'ext seven' must be hex as the client shows it (0x904): "
          + "a bare number would be read as decimal",
        "p.yml:18:3: error: control 'b' has both explains and errorCodes (its old name): keep explains",
      ]
    }
  }

  @Test func theBuiltInPlaybooksUseExplainsNotTheOldName() throws {
    for file in ["rdp-baseline.yml", "rdp-remediation.yml", "listener-certificate.yml"] {
      let text = try String(
        contentsOf: References.packageRoot.appendingPathComponent("Playbooks/\(file)"), encoding: .utf8)
      #expect(!text.contains("errorCodes:"), "\(file) still uses errorCodes:")
    }
    #expect(try Playbook.builtIn.controls.contains { !$0.explains.isEmpty })
  }

  // MARK: Checking hosts

  @Test func keepingControlsAddsWhatTheyRequireAndCollectsOnlyTheirFacts() throws {
    let baseline = try Playbook.builtIn
    let kept = baseline.keeping(controls: ["listener-on-port", "firewall-rdp-allowed"])
    #expect(
      kept.controls.map(\.id) == [
        "termservice-running", "listener-on-port", "firewall-service-running", "bfe-running", "firewall-rdp-allowed",
      ])
    let facts = Set(kept.requiredFacts.map(\.id))
    #expect(facts.contains("rdpListener") && facts.contains("portNumber") && facts.contains("rdpFirewall"))
    #expect(!facts.contains("userRights") && !facts.contains("rdpCertificates"))
  }

  static let hosts = [
    InventoryHost(name: "healthy-2019", address: "127.0.10.1", port: 2222, user: "root"),
    InventoryHost(name: "keys-broken", address: "127.0.10.2", port: 2222, user: "root"),
    InventoryHost(name: "nla-off", address: "127.0.10.3", port: 2222, user: "root"),
    InventoryHost(name: "hostile", address: "127.0.10.4", port: 2222, user: "root"),
    InventoryHost(name: "offline", address: "192.0.2.1", port: 22, user: "root"),
  ]

  static var connector: ScriptedHostConnector {
    var broken = Fixtures.healthy
    broken["machineKeys"] = Fixtures.path("O:SYG:SYD:PAI(D;;FA;;;NS)(A;;FA;;;BA)(A;;FA;;;SY)")
    broken["rdpCertificates"] = Fixtures.certificates([
      Fixtures.certificate(keySDDL: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)")
    ])
    broken["listenerCertificateHash"] = Fixtures.registry(nil)  // not applicable: unknown, with the reason
    var nla = Fixtures.healthy
    nla["nla"] = Fixtures.registry(.int(0))
    var hostile = Fixtures.healthy
    hostile["maxInstanceCount"] = Fixtures.registry(.int(0))
    hostile["securityLayer"] = Fixtures.registry(.string("0\u{1B}[2J\nconfirmed  forged-line"))
    return ScriptedHostConnector([
      "healthy-2019": .respond(ScriptResult(stdout: Fixtures.stdout(Fixtures.healthy))),
      "keys-broken": .respond(ScriptResult(stdout: Fixtures.stdout(broken))),
      "nla-off": .respond(ScriptResult(stdout: Fixtures.stdout(nla))),
      "hostile": .respond(ScriptResult(stdout: Fixtures.stdout(hostile))),
      "offline": .refuse("root@192.0.2.1:22: connection timed out after 10 s"),
    ])
  }

  static func checked() async throws -> (Explanation, ScriptedHostConnector) {
    let explainer = try explainer()
    let connector = connector
    let offline = explainer.explain(.codes(ErrorCode(0x904), extended: ErrorCode(7)))
    let explanation = await explainer.check(
      offline, hosts: hosts, connector: connector, concurrency: 2,
      fixCommand: FixCommandLine(inventory: "inventory dir/hosts.yml"), now: { Fixtures.now })
    return (explanation, connector)
  }

  @Test func eachHostGetsAVerdictPerCandidate() async throws {
    let (explanation, connector) = try await Self.checked()
    let hosts = try #require(explanation.hosts)
    #expect(hosts.map(\.name) == Self.hosts.map(\.name))
    func confirmed(_ name: String) -> [String] {
      hosts.first { $0.name == name }?.confirmed.map(\.controlID) ?? ["missing"]
    }
    #expect(confirmed("healthy-2019") == [])
    #expect(confirmed("keys-broken") == ["listener-certificate-valid", "machinekeys-acl"])
    #expect(confirmed("nla-off") == ["nla-required"])
    let offline = try #require(hosts.last)
    #expect(offline.error?.contains("connection timed out") == true)
    #expect(offline.verdicts.allSatisfy { $0.verdict == .unknown })
    #expect(offline.verdicts.count == explanation.candidates.count)
    // One connection and one script per host; the script is the cut-down playbook's collector.
    #expect(connector.scripts.count == 4)
    let expected = try Self.explainer().playbook.keeping(controls: Set(explanation.candidates.map(\.controlID)))
      .collectorScript.text
    #expect(connector.scripts.allSatisfy { $0.script == expected })
    #expect(try expected != Playbook.builtIn.collectorScript.text)
    // The fix command for a confirmed cause names the host and control and is shell-safe.
    let certificate = try #require(hosts[1].verdicts.first { $0.controlID == "listener-certificate-valid" })
    #expect(
      certificate.fixCommand?.hasPrefix("winaudit fix --inventory 'inventory dir/hosts.yml' --limit keys-broken")
        == true)
    #expect(ExitStatus.of(explanation) == 4)
  }

  @Test func exitCodes() {
    let query = ExplainQuery.codes(ErrorCode(0x904), extended: nil)
    func host(_ verdict: CandidateVerdict.Verdict, incomplete: Bool = false) -> HostExplanation {
      HostExplanation(
        name: "h", address: "a", error: nil, incomplete: incomplete,
        verdicts: [CandidateVerdict(controlID: "c", verdict: verdict, status: nil)])
    }
    func status(_ hosts: [HostExplanation]?) -> Int32 {
      ExitStatus.of(Explanation(query: query, meanings: [], playbook: "p", candidates: [], hosts: hosts))
    }
    #expect(status(nil) == 0)
    #expect(status([host(.ruledOut), host(.unknown)]) == 0)
    #expect(status([host(.ruledOut), host(.confirmed)]) == 1)
    #expect(status([host(.confirmed), host(.unknown, incomplete: true)]) == 4)
  }

  @Test func shellQuotingOfTheFixCommand() {
    #expect(FixCommandLine.quote("hosts.yml") == "hosts.yml")
    #expect(FixCommandLine.quote("my hosts.yml") == "'my hosts.yml'")
    #expect(FixCommandLine.quote("it's") == #"'it'\''s'"#)
    #expect(FixCommandLine.quote("") == "''")
  }

  // MARK: Reports

  @Test func offlineTextMatchesTheReference() throws {
    let explanation = try Self.explainer().explain(.codes(ErrorCode(0x904), extended: ErrorCode(7)))
    References.check(ExplainFormat.text.render(explanation), against: "explain-0x904-ext-0x7.txt")
  }

  @Test func undocumentedAndNamedTextMatchTheReference() throws {
    let explainer = try Self.explainer()
    let text =
      ExplainFormat.text.render(
        explainer.explain(
          try ExplainQuery(code: "507h", extended: "0x4242"),
          notes: ExplainQuery.readingNotes(code: "507h", extended: "0x4242")))
      + "----\n" + ExplainFormat.text.render(explainer.explain(.named(.credssp)))
      + "----\n"
      + ExplainFormat.text.render(
        explainer.explain(
          try ExplainQuery(code: "904", extended: nil), notes: ExplainQuery.readingNotes(code: "904", extended: nil)))
    References.check(text, against: "explain-undocumented.txt")
  }

  @Test func checkedTextMatchesTheReference() async throws {
    let (explanation, _) = try await Self.checked()
    let text = ExplainFormat.text.render(explanation)
    References.check(text, against: "explain-checked.txt")
    #expect(!text.contains("\u{1B}"))
    #expect(!text.contains("\nconfirmed  forged-line"))
  }

  @Test func checkedJSONMatchesTheReference() async throws {
    let (explanation, _) = try await Self.checked()
    let json = ExplainFormat.json.render(explanation)
    References.check(json, against: "explain-checked.json")
    let parsed = try FactValue.parseJSON(json)
    guard case .object(let pairs) = parsed else { throw FactsDecodingError("not an object") }
    #expect(
      pairs.map(\.key) == [
        "schema", "query", "meanings", "notes", "playbook", "candidates", "hosts", "summary",
      ])
    #expect(parsed["summary"]?["confirmed"] == .int(3))
  }

  @Test func offlineJSONHasNoHosts() throws {
    let explanation = try Self.explainer().explain(.codes(ErrorCode(0x204), extended: nil))
    let parsed = try FactValue.parseJSON(ExplainFormat.json.render(explanation))
    #expect(parsed["hosts"] == .null)
    #expect(parsed["candidates"]?.list.first?["control"] == .string("rdp-allowed"))
  }
}
