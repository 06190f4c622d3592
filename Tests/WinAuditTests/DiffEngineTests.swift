import Foundation
import Testing

@testable import WinAudit

@Suite("Diff engine")
struct DiffEngineTests {
  func findings(_ facts: [String: FactValue], failures: [String: String] = [:], build: Int = 17763) -> [String: Finding]
  {
    let document = Fixtures.document(facts, failures: failures, build: build)
    let list = DiffEngine.findings(playbook: Fixtures.baseline, facts: document, host: Fixtures.host, now: Fixtures.now)
    return Dictionary(uniqueKeysWithValues: list.map { ($0.controlID, $0) })
  }

  @Test func healthyHostPassesEveryControl() {
    let results = findings(Fixtures.healthy)
    #expect(results.count == Fixtures.baseline.controls.count)
    // A domain member: the workgroup-only control does not apply; SecurityLayer 1: the SecurityLayer 2 wire check
    // does not either.
    let notApplicable: Set = ["remote-logon-local-accounts-allowed", "standard-rdp-refused-on-wire"]
    for finding in results.values {
      let wanted: FindingStatus = notApplicable.contains(finding.controlID) ? .skipped : .pass
      #expect(finding.status == wanted, "\(finding.controlID): \(finding.message ?? "")")
    }
  }

  /// Outside a domain the secure channel control does not apply, and denying Local account locks everyone out.
  @Test func workgroupHostsAndTheDomainSecureChannel() {
    var facts = Fixtures.healthy
    facts["domainMembership"] = .object([
      .init("partOfDomain", .bool(false)), .init("domain", .null), .init("workgroup", .string("WORKGROUP")),
      .init("secureChannel", .null),
    ])
    facts["userRights"] = FirewallVerdictTests.rights([
      ("SeRemoteInteractiveLogonRight", ["S-1-5-32-544"]), ("SeDenyRemoteInteractiveLogonRight", ["S-1-5-113"]),
    ])
    var results = findings(facts)
    #expect(results["secure-channel-healthy"]?.status == .skipped)
    #expect(results["remote-logon-local-accounts-allowed"]?.status == .drift)
    #expect(results["remote-logon-not-denied"]?.status == .pass)

    facts = Fixtures.healthy
    facts["domainMembership"] = .object([
      .init("partOfDomain", .bool(true)), .init("domain", .string("corp.example.com")), .init("workgroup", .null),
      .init("secureChannel", .bool(false)),
    ])
    results = findings(facts)
    #expect(results["secure-channel-healthy"]?.status == .drift)
    #expect(results["remote-logon-local-accounts-allowed"]?.status == .skipped)
  }

  @Test func localDriftNamesTheLocalSource() {
    var facts = Fixtures.healthy
    facts["denyConnections"] = Fixtures.registry(.int(1))
    let finding = findings(facts)["rdp-allowed"]!
    #expect(finding.status == .drift)
    #expect(finding.expected == "0")
    #expect(finding.actual == "1")
    #expect(finding.source == .local)
  }

  @Test func groupPolicyWinsOverTheLocalValue() {
    var facts = Fixtures.healthy
    facts["nla"] = Fixtures.registry(.int(1), policy: .int(0))
    let results = findings(facts)
    let nla = results["nla-required"]!
    #expect(nla.status == .drift)
    #expect(nla.actual == "0")
    #expect(nla.source == .groupPolicy)
    #expect(nla.message?.contains("Group Policy") == true)
    #expect(results["nla-policy-agrees"]?.status == .drift)
  }

  @Test func policyThatAgreesIsNotDrift() {
    var facts = Fixtures.healthy
    facts["nla"] = Fixtures.registry(.int(0), policy: .int(1))
    let results = findings(facts)
    #expect(results["nla-required"]?.status == .pass)
    #expect(results["nla-required"]?.source == .groupPolicy)
    #expect(results["nla-policy-agrees"]?.status == .pass)
  }

  @Test func absentValueUsesThePlaybookDefault() {
    var facts = Fixtures.healthy
    facts["tls12Enabled"] = Fixtures.registry(nil)
    let finding = findings(facts)["tls12-server-enabled"]!
    #expect(finding.status == .pass)
    #expect(finding.source == .default)
    #expect(finding.actual == "1")
  }

  @Test func disabledTLSIsDrift() {
    var facts = Fixtures.healthy
    facts["tls12Enabled"] = Fixtures.registry(.int(0))
    #expect(findings(facts)["tls12-server-enabled"]?.status == .drift)
  }

  @Test func vulnerableCredSSPIsDriftAndAbsentPasses() {
    var facts = Fixtures.healthy
    facts["credsspOracle"] = Fixtures.registry(.int(2))
    #expect(findings(facts)["credssp-not-vulnerable"]?.status == .drift)
    facts["credsspOracle"] = Fixtures.registry(.int(1))
    #expect(findings(facts)["credssp-not-vulnerable"]?.status == .pass)
    facts["credsspOracle"] = Fixtures.registry(nil)
    #expect(findings(facts)["credssp-not-vulnerable"]?.status == .pass)
  }

  @Test func securityLayerMembership() {
    var facts = Fixtures.healthy
    facts["securityLayer"] = Fixtures.registry(.int(0))
    let finding = findings(facts)["security-layer"]!
    #expect(finding.status == .drift)
    #expect(finding.expected == "one of [1, 2]")
    facts["securityLayer"] = Fixtures.registry(.double(2))
    #expect(findings(facts)["security-layer"]?.status == .pass)
  }

  @Test func numericComparison() {
    var facts = Fixtures.healthy
    facts["minEncryptionLevel"] = Fixtures.registry(.int(1))
    let finding = findings(facts)["min-encryption-level"]!
    #expect(finding.status == .drift)
    #expect(finding.expected == ">= 2")
    facts["minEncryptionLevel"] = Fixtures.registry(.string("4"))
    #expect(findings(facts)["min-encryption-level"]?.status == .pass)
  }

  @Test func stoppedTermServiceSkipsTheListenerCheck() {
    var facts = Fixtures.healthy
    facts["termService"] = Fixtures.service("TermService", status: "Stopped")
    facts["rdpListener"] = Fixtures.listener(services: [])
    let results = findings(facts)
    #expect(results["termservice-running"]?.status == .drift)
    #expect(results["termservice-running"]?.actual == "Stopped")
    #expect(results["listener-on-port"]?.status == .skipped)
    #expect(results["listener-on-port"]?.message?.contains("termservice-running") == true)
  }

  @Test func anotherProcessOnThePortIsDrift() {
    var facts = Fixtures.healthy
    facts["rdpListener"] = Fixtures.listener(services: ["Apache2.4"])
    let finding = findings(facts)["listener-on-port"]!
    #expect(finding.status == .drift)
    #expect(
      finding.actual == "[{address: 0.0.0.0, port: 3389, processId: 1044, services: [Apache2.4]}]"
        || finding.actual != nil)
  }

  @Test func firewallPortMustFollowPortNumber() {
    var facts = Fixtures.healthy
    facts["portNumber"] = Fixtures.registry(.int(3390))
    let results = findings(facts)
    let finding = results["firewall-port-matches"]!
    #expect(finding.status == .drift)
    #expect(finding.expected?.contains("3390") == true)
    #expect(finding.message?.contains("TCP 3390") == true)
  }

  @Test func firewallRuleDisabledForTheActiveProfile() {
    var facts = Fixtures.healthy
    facts["networkProfiles"] = Fixtures.profiles(["Public", "DomainAuthenticated"])
    facts["rdpFirewall"] = .object([
      .init("rules", .array([Fixtures.rule("RemoteDesktop-UserMode-In-TCP", profile: "Domain, Private")])),
      .init("missing", .array([])),
    ])
    let results = findings(facts)
    #expect(results["firewall-port-matches"]?.status == .pass)
    let finding = results["firewall-rdp-allowed"]!
    #expect(finding.status == .drift)
    #expect(finding.message?.contains("Public") == true)
    #expect(finding.message?.contains("Domain") == false)
  }

  @Test func disabledFirewallRuleIsDrift() {
    var facts = Fixtures.healthy
    facts["rdpFirewall"] = .object([
      .init("rules", .array([Fixtures.rule("RemoteDesktop-UserMode-In-TCP", enabled: false)])),
      .init("missing", .array([])),
    ])
    let finding = findings(facts)["firewall-port-matches"]!
    #expect(finding.status == .drift)
    #expect(finding.actual?.contains("disabled") == true)
  }

  /// NLA needs the TLS security layer: UserAuthentication 1 over SecurityLayer 0 is drift on nla-required.
  @Test func nlaRequiredDriftsWhenTheSecurityLayerCannotCarryIt() {
    var facts = Fixtures.healthy
    facts["securityLayer"] = Fixtures.registry(.int(0))
    let finding = findings(facts)["nla-required"]!
    #expect(finding.status == .drift)
    #expect(finding.expected == "1, and securityLayer not 0")
    #expect(finding.message?.hasPrefix("securityLayer is 0") == true, "\(finding.message ?? "")")
    #expect(findings(Fixtures.healthy)["nla-required"]?.status == .pass)
  }

  @Test func unreadablePrivateKeyIsDrift() {
    var facts = Fixtures.healthy
    facts["rdpCertificates"] = Fixtures.certificates([
      Fixtures.certificate(readable: false, error: "Keyset does not exist", keySDDL: nil)
    ])
    let results = findings(facts)
    let finding = results["listener-certificate-valid"]!
    #expect(finding.status == .drift)
    #expect(finding.message?.contains("Keyset does not exist") == true)
    #expect(results["listener-certificate-validity"]?.status == .skipped)
  }

  /// What TermService can read decides, not what the administrator running the audit can open.
  @Test func aKeyOnlyTheAdministratorCanReadIsDriftAndNetworkServiceAccessByAGroupPasses() {
    var facts = Fixtures.healthy
    facts["rdpCertificates"] = Fixtures.certificates([])
    facts["personalCertificates"] = Fixtures.certificates(
      [Fixtures.certificate(readable: true, keySDDL: "O:BAG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)")],
      store: "Cert:\\LocalMachine\\My")
    let adminOnly = findings(facts)["listener-certificate-valid"]!
    #expect(adminOnly.status == .drift)
    #expect(adminOnly.message?.contains("NETWORK SERVICE (TermService's account) cannot read") == true)
    // A grant to Users reaches NETWORK SERVICE through its token; a CNG key is as good as a CSP one.
    facts["personalCertificates"] = Fixtures.certificates(
      [Fixtures.certificate(keySDDL: "O:BAG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;BU)", storage: "CNG")],
      store: "Cert:\\LocalMachine\\My")
    #expect(findings(facts)["listener-certificate-valid"]?.status == .pass)
    // A deny to SERVICE wins over the grant to NETWORK SERVICE.
    facts["personalCertificates"] = Fixtures.certificates(
      [Fixtures.certificate(keySDDL: "O:BAG:SYD:P(D;;FR;;;SU)(A;;FA;;;SY)(A;;FR;;;NS)")],
      store: "Cert:\\LocalMachine\\My")
    #expect(findings(facts)["listener-certificate-valid"]?.status == .drift)
  }

  @Test func listenerCertificateMissingFromTheStore() {
    var facts = Fixtures.healthy
    facts["rdpCertificates"] = Fixtures.certificates([Fixtures.certificate(thumbprint: "AAAA")])
    let finding = findings(facts)["listener-certificate-valid"]!
    #expect(finding.status == .drift)
    #expect(finding.message?.contains("not in rdpCertificates or personalCertificates") == true)
  }

  @Test func customListenerCertificateInMyPasses() {
    var facts = Fixtures.healthy
    // SSLCertificateSHA1Hash names a CA-issued certificate in LocalMachine\My; the Remote Desktop store is empty.
    facts["rdpCertificates"] = Fixtures.certificates([])
    facts["personalCertificates"] = Fixtures.certificates(
      [Fixtures.certificate()], store: "Cert:\\LocalMachine\\My")
    let results = findings(facts)
    #expect(results["listener-certificate-valid"]?.status == .pass)
    #expect(results["listener-certificate-validity"]?.status == .pass)
  }

  @Test func certificateValidity() {
    var facts = Fixtures.healthy
    facts["rdpCertificates"] = Fixtures.certificates([Fixtures.certificate(notAfter: "2025-06-10T00:00:00.0000000Z")])
    let finding = findings(facts)["listener-certificate-validity"]!
    #expect(finding.status == .drift)
    #expect(finding.message == "expires in 9 days")
    facts["rdpCertificates"] = Fixtures.certificates([Fixtures.certificate(notAfter: "2025-05-01T00:00:00.0000000Z")])
    #expect(findings(facts)["listener-certificate-validity"]?.message == "expired 31 days ago")
  }

  @Test func machineKeysACL() {
    var facts = Fixtures.healthy
    facts["machineKeys"] = Fixtures.path("O:SYG:SYD:PAI(D;;FA;;;NS)(A;;FR;;;BA)(A;;FA;;;SY)")
    let finding = findings(facts)["machinekeys-acl"]!
    #expect(finding.status == .drift)
    #expect(finding.message?.contains("Administrators (S-1-5-32-544) lacks full control") == true)
    #expect(finding.message?.contains("NETWORK SERVICE (S-1-5-20) is denied") == true)
  }

  @Test func missingKeyFileSkipsItsACLCheck() {
    var facts = Fixtures.healthy
    facts["rdpKeyFile"] = Fixtures.path(nil)
    #expect(findings(facts)["rdp-key-file-acl"]?.status == .skipped)
  }

  @Test func failedFactIsAnErrorQuotingPowerShell() {
    var facts = Fixtures.healthy
    facts["rdpFirewall"] = nil
    let results = findings(facts, failures: ["rdpFirewall": "Get-NetFirewallRule : Access is denied."])
    let finding = results["firewall-port-matches"]!
    #expect(finding.status == .error)
    #expect(finding.message?.contains("Access is denied.") == true)
    #expect(results["rdp-allowed"]?.status == .pass)
  }

  @Test func missingFactIsAnError() {
    var facts = Fixtures.healthy
    facts["termService"] = nil
    #expect(findings(facts)["termservice-running"]?.message == "the collector did not report fact 'termService'")
  }

  @Test func hostStatus() {
    let host = Fixtures.host
    let pass = Finding(controlID: "a", title: "A", severity: .low, status: .pass)
    let drift = Finding(controlID: "b", title: "B", severity: .low, status: .drift)
    let error = Finding(controlID: "c", title: "C", severity: .low, status: .error)
    #expect(HostAudit(host: host, findings: [pass], hostFacts: nil).status == .compliant)
    #expect(HostAudit(host: host, findings: [pass, drift], hostFacts: nil).status == .drift)
    #expect(HostAudit(host: host, findings: [drift, error], hostFacts: nil).status == .error)
  }
}

/// The firewall verdict per active profile: off, "block all", local rules ignored, Block rules, remote scopes.
@Suite struct FirewallVerdictTests {
  func findings(_ facts: [String: FactValue]) -> [String: Finding] {
    DiffEngineTests().findings(facts)
  }

  static func blockRule(
    _ name: String, port: String = "3389", profile: String = "Any", remote: [String] = ["Any"],
    program: String = "Any", service: String = "Any", source: String = "Local"
  ) -> FactValue {
    .object([
      .init("name", .string(name)), .init("displayName", .string("Block \(name)")), .init("enabled", .bool(true)),
      .init("profile", .string(profile)), .init("direction", .string("Inbound")), .init("action", .string("Block")),
      .init("source", .string(source)), .init("protocol", .string("TCP")), .init("localPort", .array([.string(port)])),
      .init("remoteAddress", .array(remote.map(FactValue.string))), .init("program", .string(program)),
      .init("service", .string(service)),
    ])
  }

  static func blocks(_ rules: [FactValue]) -> FactValue {
    .object([.init("rules", .array(rules)), .init("missing", .array([]))])
  }

  @Test func anEnabledBlockRuleOnTheActiveProfileWinsOverTheAllowRules() {
    var facts = Fixtures.healthy
    facts["inboundBlockRules"] = Self.blocks([Self.blockRule("Block-RDP")])
    let results = findings(facts)
    let finding = results["firewall-no-block-rule"]!
    #expect(finding.status == .drift)
    #expect(finding.message?.contains("Block-RDP (Block Block-RDP) on Private") == true)
    #expect(results["firewall-rdp-allowed"]?.status == .pass)
  }

  @Test func blockRulesThatDoNotReachTheListenerPass() {
    var facts = Fixtures.healthy
    facts["inboundBlockRules"] = Self.blocks([
      Self.blockRule("other-port", port: "445"),
      Self.blockRule("range-elsewhere", port: "5000-6000"),
      Self.blockRule("public-only", profile: "Public"),
      Self.blockRule("another-program", program: "C:\\Tools\\app.exe"),
      Self.blockRule("another-service", service: "WinRM"),
    ])
    let finding = findings(facts)["firewall-no-block-rule"]!
    #expect(finding.status == .pass, "\(finding.message ?? "")")
    #expect(finding.actual == "none")
  }

  @Test func blockRulesThatDoReachTheListenerFail() {
    for rule in [
      Self.blockRule("any-port", port: "Any"), Self.blockRule("range", port: "3000-4000"),
      Self.blockRule("svchost", program: "C:\\Windows\\System32\\svchost.exe"),
      Self.blockRule("termservice", service: "TermService"),
    ] {
      var facts = Fixtures.healthy
      facts["inboundBlockRules"] = Self.blocks([rule])
      #expect(findings(facts)["firewall-no-block-rule"]?.status == .drift, "\(rule)")
    }
  }

  @Test func aBlockRuleForSomeAddressesIsReportedNotFailed() {
    var facts = Fixtures.healthy
    facts["inboundBlockRules"] = Self.blocks([Self.blockRule("guests", remote: ["203.0.113.0/24"])])
    let finding = findings(facts)["firewall-no-block-rule"]!
    #expect(finding.status == .pass)
    #expect(finding.actual == "only from some addresses: guests (Block guests) blocks 203.0.113.0/24 on Private")
  }

  @Test func aProfileWhoseFirewallIsOffIsOpenWhateverTheRules() {
    var facts = Fixtures.healthy
    facts["firewallProfiles"] = Fixtures.firewallProfiles { name, fields in
      if name == "Private" { fields["enabled"] = .string("False") }
    }
    facts["rdpFirewall"] = .object([
      .init("rules", .array([Fixtures.rule("RemoteDesktop-UserMode-In-TCP", profile: "Domain")])),
      .init("missing", .array([])),
    ])
    facts["inboundBlockRules"] = Self.blocks([Self.blockRule("Block-RDP")])
    let results = findings(facts)
    #expect(results["firewall-rdp-allowed"]?.status == .pass)
    #expect(results["firewall-rdp-allowed"]?.actual?.contains("open without a rule on Private (firewall off)") == true)
    #expect(results["firewall-no-block-rule"]?.status == .pass)
    #expect(results["firewall-enabled"]?.status == .drift)
    #expect(results["firewall-enabled"]?.actual == "[Private]")
  }

  @Test func blockAllIncomingConnectionsIsItsOwnFinding() {
    var facts = Fixtures.healthy
    facts["firewallProfiles"] = Fixtures.firewallProfiles { name, fields in
      if name == "Private" { fields["allowInboundRules"] = .string("False") }
      if name == "Public" { fields["allowInboundRules"] = .string("False") }  // not active: no matter
    }
    let results = findings(facts)
    #expect(results["firewall-inbound-rules-honoured"]?.status == .drift)
    #expect(results["firewall-inbound-rules-honoured"]?.actual == "[Private]")
    #expect(results["firewall-rdp-allowed"]?.status == .pass)
  }

  @Test func aProfileThatIgnoresLocalRulesCountsOnlyGroupPolicyRules() {
    var facts = Fixtures.healthy
    facts["firewallProfiles"] = Fixtures.firewallProfiles { name, fields in
      if name == "Private" { fields["allowLocalFirewallRules"] = .string("False") }
    }
    facts["inboundBlockRules"] = Self.blocks([Self.blockRule("local-block")])
    var results = findings(facts)
    #expect(results["firewall-rdp-allowed"]?.status == .drift)
    #expect(results["firewall-rdp-allowed"]?.message?.contains("ignore local rules") == true)
    #expect(results["firewall-no-block-rule"]?.status == .pass)

    var gpoRule = Fixtures.rule("RemoteDesktop-UserMode-In-TCP")
    if case .object(var pairs) = gpoRule {
      pairs.append(.init("source", .string("GroupPolicy")))
      gpoRule = .object(pairs)
    }
    facts["rdpFirewall"] = .object([.init("rules", .array([gpoRule])), .init("missing", .array([]))])
    facts["inboundBlockRules"] = Self.blocks([Self.blockRule("gpo-block", source: "GroupPolicy")])
    results = findings(facts)
    #expect(results["firewall-rdp-allowed"]?.status == .pass)
    #expect(results["firewall-no-block-rule"]?.status == .drift)
  }

  @Test func defaultInboundAllowNeedsNoRule() {
    var facts = Fixtures.healthy
    facts["firewallProfiles"] = Fixtures.firewallProfiles { name, fields in
      if name == "Private" { fields["defaultInboundAction"] = .string("Allow") }
    }
    facts["rdpFirewall"] = .object([.init("rules", .array([])), .init("missing", .array([]))])
    let finding = findings(facts)["firewall-rdp-allowed"]!
    #expect(finding.status == .pass)
    #expect(finding.actual == "no rules (open without a rule on Private (inbound allowed by default))")
  }

  @Test func aStoppedFirewallServiceSkipsTheFirewallControls() {
    var facts = Fixtures.healthy
    facts["firewallService"] = Fixtures.service("MpsSvc", status: "Stopped", startType: "Disabled")
    let results = findings(facts)
    #expect(results["firewall-service-running"]?.status == .drift)
    for id in [
      "firewall-enabled", "firewall-inbound-rules-honoured", "firewall-no-block-rule", "firewall-port-matches",
      "firewall-rdp-allowed",
    ] {
      #expect(results[id]?.status == .skipped, "\(id)")
    }
  }
}

extension FirewallVerdictTests {
  /// AllowEncryptionOracle lives in a Group Policy key: the finding never calls it a plain local setting.
  @Test func aValueInAPolicyKeyIsNotCalledLocal() {
    var facts = Fixtures.healthy
    facts["credsspOracle"] = Fixtures.registry(.int(2))
    let finding = findings(facts)["credssp-not-vulnerable"]!
    #expect(finding.status == .drift)
    #expect(finding.message?.contains("set in a Group Policy key") == true)
    #expect(finding.message?.contains("if a GPO configures it, change the GPO") == true)
  }
}

extension FirewallVerdictTests {
  static func rights(_ pairs: [(String, [String])]) -> FactValue {
    .object([.init("rights", .object(pairs.map { .init($0.0, .array($0.1.map(FactValue.string))) }))])
  }

  /// The logon rights by SID: Administrators must hold the allow right; the deny right may name Local account but not
  /// Administrators, Remote Desktop Users or everyone; a right nobody holds is absent from secedit's export.
  @Test func remoteDesktopLogonRights() {
    var facts = Fixtures.healthy
    facts["userRights"] = Self.rights([("SeRemoteInteractiveLogonRight", ["S-1-5-32-555"])])
    var results = findings(facts)
    #expect(results["remote-logon-right-administrators"]?.status == .drift)
    #expect(results["remote-logon-not-denied"]?.status == .pass)

    facts["userRights"] = Self.rights([])
    results = findings(facts)
    #expect(results["remote-logon-right-administrators"]?.status == .drift)

    facts["userRights"] = Self.rights([
      ("SeRemoteInteractiveLogonRight", ["S-1-5-32-544"]),
      ("SeDenyRemoteInteractiveLogonRight", ["S-1-5-113", "Guest"]),
    ])
    results = findings(facts)
    #expect(results["remote-logon-right-administrators"]?.status == .pass)
    #expect(results["remote-logon-not-denied"]?.status == .pass)

    facts["userRights"] = Self.rights([
      ("SeRemoteInteractiveLogonRight", ["S-1-5-32-544"]),
      ("SeDenyRemoteInteractiveLogonRight", ["S-1-5-113", "S-1-5-32-555"]),
    ])
    let denied = findings(facts)["remote-logon-not-denied"]!
    #expect(denied.status == .drift)
    #expect(denied.message?.contains("holds [S-1-5-32-555]") == true, "\(denied.message ?? "")")
  }
}

extension FirewallVerdictTests {
  /// Broad groups in Remote Desktop Users are named with their SID; a named domain group is fine.
  @Test func remoteDesktopUsersWithBroadGroups() {
    var facts = Fixtures.healthy
    facts["rdUsers"] = .object([
      .init("sid", .string("S-1-5-32-555")), .init("exists", .bool(true)),
      .init(
        "members",
        .array(
          [("S-1-5-21-1-2-3-1105", "RDP-Operators"), ("S-1-5-21-1-2-3-513", "Domain Users"), ("S-1-1-0", "Everyone")]
            .map {
              .object([.init("sid", .string($0.0)), .init("name", .string($0.1)), .init("domain", .string("CORP"))])
            }
        )),
    ])
    let finding = findings(facts)["remote-desktop-users-not-everyone"]!
    #expect(finding.status == .drift)
    #expect(finding.actual == #"[CORP\Domain Users (S-1-5-21-1-2-3-513), CORP\Everyone (S-1-1-0)]"#)
  }
}
