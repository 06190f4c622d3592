import Foundation
import RDPProbe

@testable import WinAudit

/// Facts as the collector prints them for the built-in baseline, for a healthy host and variations of it.
enum Fixtures {
  /// The clock every test evaluates against: 2025-06-01T00:00:00Z.
  static let now = Date(timeIntervalSince1970: 1_748_736_000)

  static let thumbprint = "3F2A9C1B7D5E4F60718293A4B5C6D7E8F9012345"

  static let host = InventoryHost(name: "healthy-2019", address: "127.0.10.1", port: 2222, user: "root", tags: ["lab"])

  static func registry(_ value: FactValue?, policy: FactValue? = nil) -> FactValue {
    let source: String = policy != nil ? "group-policy" : (value != nil ? "local" : "absent")
    return .object([
      .init("path", .string("HKLM:\\...")), .init("name", .string("x")),
      .init("exists", .bool(value != nil)), .init("value", value ?? .null),
      .init(
        "policy",
        .object([
          .init("path", .string("HKLM:\\SOFTWARE\\Policies\\...")), .init("name", .string("x")),
          .init("exists", .bool(policy != nil)), .init("value", policy ?? .null),
        ])),
      .init("effective", policy ?? value ?? .null), .init("source", .string(source)),
    ])
  }

  static func service(_ name: String, status: String = "Running", startType: String = "Automatic") -> FactValue {
    .object([
      .init("name", .string(name)), .init("exists", .bool(true)), .init("status", .string(status)),
      .init("startType", .string(startType)),
    ])
  }

  static func rule(
    _ name: String, enabled: Bool = true, profile: String = "Any", protocol proto: String = "TCP",
    port: String = "3389"
  ) -> FactValue {
    .object([
      .init("name", .string(name)), .init("displayName", .string("Remote Desktop - User Mode (\(proto)-In)")),
      .init("group", .string("@FirewallAPI.dll,-28752")), .init("enabled", .bool(enabled)),
      .init("profile", .string(profile)), .init("direction", .string("Inbound")), .init("action", .string("Allow")),
      .init("protocol", .string(proto)), .init("localPort", .array([.string(port)])),
    ])
  }

  /// The key file ACL Windows gives the self-signed listener certificate's key: SYSTEM and Administrators full,
  /// NETWORK SERVICE read.
  static let readableKeySDDL = "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)"

  /// A certificate record; `keySDDL` nil means the key file could not be found (with `error`).
  /// The wire certificate of the healthy host: the listener certificate of its facts.
  static let wireCertificate = WireCertificate(
    sha1Thumbprint: thumbprint, subject: "CN=HEALTHY-2019", issuer: "CN=HEALTHY-2019",
    notBefore: Date(timeIntervalSince1970: 1_717_056_000), notAfter: Date(timeIntervalSince1970: 1_780_128_000))

  /// A probe of a listener that requires NLA (the healthy answers) or of anything else.
  static func probe(
    standardRDP: NegotiationOutcome = .answered(.failure(code: 5)),
    tls: NegotiationOutcome = .answered(.failure(code: 5)),
    credSSP: NegotiationOutcome = .answered(.selected(protocol: 2, flags: 0)),
    certificate: CertificateOutcome? = .certificate(Fixtures.wireCertificate)
  ) -> ProbeResult {
    ProbeResult(
      target: ProbeTarget(host: host.address, port: 3389), standardRDP: standardRDP, tls: tls, credSSP: credSSP,
      certificate: certificate)
  }

  /// The rdpWire fact of a probe.
  static func wire(_ result: ProbeResult = probe()) -> FactValue {
    RDPWireFact.value(of: result, options: ProbeOptions())
  }

  static func certificate(
    thumbprint: String = Fixtures.thumbprint, notAfter: String = "2026-05-30T10:00:00.0000000+02:00",
    readable: Bool = true, error: String? = nil, keySDDL: String? = Fixtures.readableKeySDDL, storage: String = "CSP"
  ) -> FactValue {
    let folder =
      storage == "CNG"
      ? #"C:\ProgramData\Microsoft\Crypto\Keys\"# : #"C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\"#
    return .object([
      .init("thumbprint", .string(thumbprint)), .init("subject", .string("CN=HEALTHY-2019")),
      .init("issuer", .string("CN=HEALTHY-2019")), .init("notBefore", .string("2024-05-30T10:00:00.0000000+02:00")),
      .init("notAfter", .string(notAfter)), .init("hasPrivateKey", .bool(true)),
      .init("privateKeyReadable", .bool(readable)), .init("privateKeyError", error.map(FactValue.string) ?? .null),
      .init("keyStorage", .string(storage)), .init("keyContainer", .string("f686aace6942fb7f7ceb231212eef4a4_guid")),
      .init("keyFile", .string(folder + "f686aace6942fb7f7ceb231212eef4a4_guid")),
      .init("keyFileSddl", keySDDL.map(FactValue.string) ?? .null),
    ])
  }

  static func certificates(_ items: [FactValue], store: String = "Cert:\\LocalMachine\\Remote Desktop") -> FactValue {
    .object([
      .init("store", .string(store)), .init("exists", .bool(true)),
      .init("certificates", .array(items)),
    ])
  }

  static func listener(port: Int = 3389, services: [String] = ["TermService"]) -> FactValue {
    .object([
      .init("port", .int(Int64(port))),
      .init(
        "listeners",
        .array(
          services.isEmpty
            ? []
            : [
              .object([
                .init("address", .string("0.0.0.0")), .init("port", .int(Int64(port))),
                .init("processId", .int(1044)), .init("services", .array(services.map(FactValue.string))),
              ])
            ])),
    ])
  }

  static func path(_ sddl: String?) -> FactValue {
    .object([
      .init("path", .string("C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys")),
      .init("exists", .bool(sddl != nil)),
      .init("sddl", sddl.map(FactValue.string) ?? .null),
    ])
  }

  static func profiles(_ categories: [String]) -> FactValue {
    .object([
      .init(
        "profiles",
        .array(
          categories.enumerated().map {
            .object([
              .init("interfaceAlias", .string("Ethernet \($0.offset)")), .init("networkCategory", .string($0.element)),
            ])
          }))
    ])
  }

  /// The firewallProfiles fact: Windows' defaults, the profiles of `active` marked active.
  static func firewallProfiles(
    active: [String] = ["Private"], change: (String, inout [String: FactValue]) -> Void = { _, _ in }
  )
    -> FactValue
  {
    .object([
      .init(
        "profiles",
        .array(
          ["Domain", "Private", "Public"].map { name in
            var fields: [String: FactValue] = [
              "enabled": .string("True"), "defaultInboundAction": .string("Block"),
              "allowInboundRules": .string("True"), "allowLocalFirewallRules": .string("True"),
            ]
            change(name, &fields)
            return .object(
              [.init("name", .string(name)), .init("active", .bool(active.contains(name)))]
                + ["enabled", "defaultInboundAction", "allowInboundRules", "allowLocalFirewallRules"].map {
                  .init($0, fields[$0]!)
                })
          }))
    ])
  }

  static let machineKeysSDDL = "O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;;FA;;;SY)"
  static let keyFileSDDL = "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)"

  /// Every fact of the baseline on a healthy Server 2019 host.
  static var healthy: [String: FactValue] {
    [
      "denyConnections": registry(.int(0)),
      "tsEnabled": registry(nil),
      "drainMode": registry(nil),
      "tsUserEnabled": registry(nil),
      "portNumber": registry(.int(3389)),
      "winStationEnabled": registry(.int(1)),
      "logonDisabled": registry(nil),
      "nla": registry(.int(1)),
      "securityLayer": registry(.int(1)),
      "minEncryptionLevel": registry(.int(2)),
      "credsspOracle": registry(nil),
      "tls12Enabled": registry(nil),
      "tls12DisabledByDefault": registry(nil),
      "termService": service("TermService", startType: "Manual"),
      "umRdpService": service("UmRdpService", startType: "Manual"),
      "lanAdapter": registry(nil),
      "listenerCertificateHash": registry(.string(thumbprint)),
      "maxInstanceCount": registry(.int(-1)),
      "winStationsDisabled": registry(.string("0")),
      "setupInProgress": registry(.int(0)),
      "sessionEnv": service("SessionEnv", startType: "Manual"),
      "keyIso": service("KeyIso", startType: "Manual"),
      "cryptSvc": service("CryptSvc"),
      "certPropSvc": service("CertPropSvc", status: "Stopped", startType: "Manual"),
      "rdpListener": listener(),
      "rdpFirewall": .object([
        .init(
          "rules",
          .array([
            rule("RemoteDesktop-UserMode-In-TCP"), rule("RemoteDesktop-UserMode-In-UDP", protocol: "UDP"),
            rule("RemoteDesktop-Shadow-In-TCP", port: "Any"),
          ])), .init("missing", .array([])),
      ]),
      "networkProfiles": profiles(["Private"]),
      "firewallProfiles": firewallProfiles(),
      "inboundBlockRules": .object([.init("rules", .array([])), .init("missing", .array([]))]),
      "firewallService": service("MpsSvc"),
      "rdUsers": .object([
        .init("sid", .string("S-1-5-32-555")), .init("exists", .bool(true)),
        .init(
          "members",
          .array([
            .object([
              .init("sid", .string("S-1-5-21-1-2-3-1105")), .init("name", .string("RDP-Operators")),
              .init("domain", .string("CORP")),
            ])
          ])),
      ]),
      "domainMembership": .object([
        .init("partOfDomain", .bool(true)), .init("domain", .string("corp.example.com")), .init("workgroup", .null),
        .init("secureChannel", .bool(true)),
      ]),
      "userRights": .object([
        .init(
          "rights",
          .object([
            .init("SeRemoteInteractiveLogonRight", .array([.string("S-1-5-32-544"), .string("S-1-5-32-555")])),
            .init("SeNetworkLogonRight", .array([.string("S-1-1-0"), .string("S-1-5-32-544")])),
          ]))
      ]),
      "baseFilteringEngine": service("BFE"),
      "listenerSettings": .object([
        .init("terminalName", .string("RDP-Tcp")), .init("certificateThumbprint", .string(thumbprint)),
        .init("certificateType", .int(1)), .init("userAuthenticationRequired", .int(1)),
        .init("securityLayer", .int(1)), .init("minEncryptionLevel", .int(2)),
        .init("policySourceUserAuthenticationRequired", .int(0)), .init("policySourceSecurityLayer", .int(0)),
        .init("policySourceMinEncryptionLevel", .int(0)),
      ]),
      "rdpCertificates": certificates([certificate()]),
      "rdpWire": wire(),
      "personalCertificates": certificates([], store: "Cert:\\LocalMachine\\My"),
      "machineKeys": path(machineKeysSDDL),
      "rdpKeyFile": path(keyFileSDDL),
    ]
  }

  /// The collector's stdout for these facts, as Windows PowerShell 5.1 would print it (BOM, compact JSON).
  static func stdout(
    _ facts: [String: FactValue], failures: [String: String] = [:], build: Int = 17763, bom: Bool = true,
    elevated: Bool = true
  ) -> String {
    var entries: [FactValue.FactPair] = []
    for key in (Set(facts.keys).union(failures.keys)).sorted() {
      if let message = failures[key] {
        entries.append(
          .init(
            key,
            .object([
              .init("kind", .string("x")), .init("ok", .bool(false)), .init("value", .null),
              .init("error", .string(message)), .init("errorId", .string("CmdletizationQuery_Failed")),
            ])))
      } else {
        entries.append(
          .init(key, .object([.init("kind", .string("x")), .init("ok", .bool(true)), .init("value", facts[key]!)])))
      }
    }
    let document = FactValue.object([
      .init("schema", .int(1)), .init("collector", .string("winaudit")),
      .init(
        "host",
        .object([
          .init("computerName", .string("HEALTHY-2019")), .init("user", .string("HEALTHY-2019\\Administrator")),
          .init("elevated", .bool(elevated)),
          .init(
            "os",
            .object([
              .init("caption", .string("Microsoft Windows Server 2019 Datacenter")),
              .init("version", .string("10.0.17763")),
              .init("build", .int(Int64(build))), .init("powershellVersion", .string("5.1.17763.1")),
            ])), .init("machineGuid", .string("5e7e1f0c-9a3b-4c2d-8e6f-0123456789ab")), .init("errors", .array([])),
        ])),
      .init("facts", .object(entries)),
    ])
    return (bom ? "\u{FEFF}" : "") + json(document) + "\r\n"
  }

  static func json(_ value: FactValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number): return String(number)
    case .string(let text): return JSONNode.quote(text)
    case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
    case .object(let pairs):
      return "{" + pairs.map { JSONNode.quote($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
    }
  }

  static func document(_ facts: [String: FactValue], failures: [String: String] = [:], build: Int = 17763)
    -> FactsDocument
  {
    try! FactsDocument.decode(stdout: stdout(facts, failures: failures, build: build))
  }

  static var baseline: Playbook { try! Playbook.builtIn }
}
