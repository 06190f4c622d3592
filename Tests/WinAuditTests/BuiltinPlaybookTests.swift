import Foundation
import Testing

@testable import WinAudit

@Suite("Built-in playbook")
struct BuiltinPlaybookTests {
  /// The built-in baseline is Playbooks/rdp-baseline.yml, byte for byte: it is compiled in from there.
  @Test func embeddedTextIsIdenticalToTheYAMLFile() throws {
    let yamlURL = References.packageRoot.appendingPathComponent("Playbooks/rdp-baseline.yml")
    let yaml = try String(contentsOf: yamlURL, encoding: .utf8)
    #expect(Playbook.builtInText == yaml, "\(References.diff(yaml, Playbook.builtInText))")
  }

  @Test func theYAMLFileLoadsLikeTheBuiltIn() throws {
    let path = References.packageRoot.appendingPathComponent("Playbooks/rdp-baseline.yml").path
    let fromFile = try PlaybookLoader.load(path: path)
    let builtIn = try Playbook.builtIn
    #expect(fromFile.controls == builtIn.controls)
    #expect(fromFile.facts == builtIn.facts)
  }

  @Test func coversEveryCause() throws {
    let ids = Set(try Playbook.builtIn.controls.map(\.id))
    for id in [
      "rdp-allowed", "termservice-running", "umrdpservice-running", "listener-on-port", "firewall-port-matches",
      "firewall-rdp-allowed", "nla-required", "nla-policy-agrees", "security-layer", "credssp-not-vulnerable",
      "tls12-server-enabled", "listener-certificate-valid", "machinekeys-acl",
    ] {
      #expect(ids.contains(id), "missing control \(id)")
    }
  }
}
