import Foundation
import Testing

@testable import WinAudit

/// The capture's anonymisation: nothing identifying is left anywhere, and every original becomes the same placeholder
/// wherever it appears, so the capture still describes one coherent host.
struct CaptureAnonymiserTests {
  static let thumbprint = "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
  static let selfSigned = "FEDCBA9876543210FEDCBA9876543210FEDCBA98"
  static let guid = "1fda4e67-5fa8-35fa-63fb-5974149ac2ba"

  /// A raw capture as the script prints it, with the names and addresses of a real-looking host in every place they
  /// turn up.
  static let raw = """
    {"capture":1,"collector":"winaudit","capturedAt":"2026-12-01T04:01:48.1234567Z",
     "host":{"computerName":"WEB-PROD-07","user":"CONTOSO\\\\jdoe-admin","userSid":"S-1-5-21-1004336348-1177238915-682003330-1105",
             "elevated":true,"powershellVersion":"5.1.17763.6414","programData":"C:\\\\ProgramData"},
     "registry":[
       {"path":"HKLM:\\\\SOFTWARE\\\\Microsoft\\\\Cryptography","name":"MachineGuid","exists":true,"type":"String","value":"\(guid)"},
       {"path":"HKLM:\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Terminal Server\\\\WinStations\\\\RDP-Tcp","name":"SSLCertificateSHA1Hash","exists":true,"type":"Binary","value":"\(thumbprint)"}],
     "firewallRules":{"rules":[{"Name":"Block-Admin","DisplayName":"Block WEB-PROD-07 from 10.20.30.40","RemoteAddress":["10.20.30.0/24","10.20.30.40-10.20.30.50","fe80::1c2d:3e4f:5a6b:7c8d%12","LocalSubnet"]}]},
     "connectionProfiles":[{"Name":"contoso.local","InterfaceAlias":"Ethernet","InterfaceIndex":6,"NetworkCategory":"DomainAuthenticated"}],
     "tcpListeners":[{"LocalAddress":"10.20.30.40","LocalPort":3389,"OwningProcess":1052},{"LocalAddress":"0.0.0.0","LocalPort":22,"OwningProcess":4},{"LocalAddress":"::","LocalPort":22,"OwningProcess":4},{"LocalAddress":"2001:db8:aaaa::17","LocalPort":3389,"OwningProcess":1052}],
     "terminalSettings":[{"TerminalName":"RDP-Tcp","SSLCertificateSHA1Hash":"\(thumbprint)","SSLCertificateSHA1HashType":3}],
     "certificateStores":[
       {"store":"Cert:\\\\LocalMachine\\\\My","exists":true,"certificates":[{"Thumbprint":"\(thumbprint)","Subject":"CN=web-prod-07.contoso.local","Issuer":"CN=Contoso Issuing CA","keyContainer":"te-RDP-\(thumbprint.lowercased())","keyFile":"C:\\\\ProgramData\\\\Microsoft\\\\Crypto\\\\Keys\\\\te-RDP-\(thumbprint.lowercased())","keyFileSddl":"O:S-1-5-21-1004336348-1177238915-682003330-500G:SYD:P(A;;FA;;;SY)"}]},
       {"store":"Cert:\\\\LocalMachine\\\\Remote Desktop","exists":true,"certificates":[{"Thumbprint":"\(selfSigned)","Subject":"CN=WEB-PROD-07","Issuer":"CN=WEB-PROD-07","keyContainer":"f686aace6942fb7f7ceb231212eef4a4_\(guid)"}]}],
     "userRights":{"folder":"C:\\\\Windows\\\\Temp","lines":["[Unicode]","Unicode=yes","[Privilege Rights]","SeDenyRemoteInteractiveLogonRight = *S-1-5-113,CONTOSO\\\\svc-backup,*S-1-5-21-1004336348-1177238915-682003330-1107","[Version]","Revision=1"]},
     "errors":[{"query":"Get-NetConnectionProfile","message":"cannot reach WEB-PROD-07 at 10.20.30.40"}]}
    """

  static func anonymised() throws -> (value: FactValue, text: String) {
    let value = CaptureAnonymiser.anonymise(try FactValue.parseJSON(raw))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (value, String(decoding: try encoder.encode(value), as: UTF8.self))
  }

  @Test func nothingIdentifyingIsLeft() throws {
    let text = try Self.anonymised().text.lowercased()
    let originals = [
      "WEB-PROD-07", "CONTOSO", "jdoe-admin", "svc-backup", "contoso.local", "1004336348", "1177238915", "682003330",
      Self.thumbprint, Self.selfSigned, Self.guid, "10.20.30", "fe80::1c2d", "2001:db8:aaaa", "1c2d:3e4f",
    ]
    for original in originals {
      #expect(!text.contains(original.lowercased()), "\(original) is still in the capture")
    }
    // What identifies nothing stays, so the capture still means the same.
    for kept in ["0.0.0.0", "\"::\"", "s-1-5-113", "localsubnet", "rdp-tcp", "/24", "%12", "5.1.17763.6414"] {
      #expect(text.contains(kept), "\(kept) was replaced")
    }
  }

  @Test func replacementsAreConsistent() throws {
    let (value, text) = try Self.anonymised()
    let fake = try #require(value["terminalSettings"]?.list.first?["SSLCertificateSHA1Hash"]?.string)
    #expect(fake.count == 40 && fake.allSatisfy(\.isHexDigit) && fake != Self.thumbprint)
    let registry = (value["registry"] ?? .null).list
    #expect(registry.first { $0["name"]?.string == "SSLCertificateSHA1Hash" }?["value"]?.string == fake)
    let my = try #require(value["certificateStores"]?.list.first?["certificates"]?.list.first)
    #expect(my["Thumbprint"]?.string == fake)
    #expect(my["keyContainer"]?.string == "te-RDP-" + fake.lowercased())
    #expect(my["keyFile"]?.string?.hasSuffix("te-RDP-" + fake.lowercased()) == true)

    let guid = try #require(registry.first { $0["name"]?.string == "MachineGuid" }?["value"]?.string)
    let rdp = try #require(value["certificateStores"]?.list.last?["certificates"]?.list.first)
    #expect(rdp["keyContainer"]?.string == "f686aace6942fb7f7ceb231212eef4a4_" + guid)
    #expect(rdp["Subject"]?.string == "CN=HOST-1" && rdp["Issuer"]?.string == "CN=HOST-1")
    #expect(rdp["Thumbprint"]?.string != fake)
    #expect(my["Subject"]?.string == "CN=HOST-1.NETWORK-1")

    #expect(value["host"]?["user"]?.string == "DOMAIN-1\\USER-1")
    // One SID domain, one placeholder; the RIDs stay.
    #expect(value["host"]?["userSid"]?.string == "S-1-5-21-1000000001-2000000002-3000000001-1105")
    #expect(text.contains("O:S-1-5-21-1000000001-2000000002-3000000001-500G:SY"))
    #expect(text.contains("*S-1-5-21-1000000001-2000000002-3000000001-1107"))
    #expect(text.contains("DOMAIN-1\\\\USER-2"))

    // The same address is the same placeholder in the listener, the rule and the error message.
    let listener = try #require(value["tcpListeners"]?.list.first?["LocalAddress"]?.string)
    #expect(listener.hasPrefix("192.0.2."))
    let remote = (value["firewallRules"]?["rules"]?.list.first?["RemoteAddress"] ?? .null).list.compactMap(\.string)
    #expect(remote[1].hasPrefix(listener + "-192.0.2."))
    #expect(remote[2].hasPrefix("2001:db8::") && remote[2].hasSuffix("%12"))
    #expect(value["errors"]?.list.first?["message"]?.string == "cannot reach HOST-1 at \(listener)")
    #expect(value["firewallRules"]?["rules"]?.list.first?["DisplayName"]?.string == "Block HOST-1 from \(listener)")
  }

  @Test func theSameCaptureGivesTheSamePlaceholders() throws {
    #expect(try Self.anonymised().text == Self.anonymised().text)
  }

  @Test func namesAreReplacedAsWholeWordsOnly() {
    let replacement = CaptureAnonymiser.Replacement(original: "WEB", placeholder: "HOST-1", wholeWord: true)
    #expect(CaptureAnonymiser.replace(replacement, in: "CN=web, WEBSERVER, web-2") == "CN=HOST-1, WEBSERVER, HOST-1-2")
  }
}
