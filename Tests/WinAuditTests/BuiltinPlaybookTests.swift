import Foundation
import Testing

@testable import WinAudit

@Suite("Built-in playbook")
struct BuiltinPlaybookTests {
  /// The embedded baseline and Playbooks/rdp-baseline.yml must be byte-identical. With WINAUDIT_UPDATE_REFERENCES=1
  /// the Swift file is regenerated from the YAML.
  @Test func embeddedTextIsIdenticalToTheYAMLFile() throws {
    let yamlURL = References.packageRoot.appendingPathComponent("Playbooks/rdp-baseline.yml")
    let yaml = try String(contentsOf: yamlURL, encoding: .utf8)
    if References.updating {
      let swift = """
        /// The built-in RDP baseline playbook, used when `--playbook` is not given.
        ///
        /// This text must stay byte-identical to `Playbooks/rdp-baseline.yml` (a test compares them; run the tests with
        /// WINAUDIT_UPDATE_REFERENCES=1 to regenerate this file from the YAML).
        enum BuiltinPlaybook {
          static let fileName = "rdp-baseline.yml"

          static let text = #\"\"\"

        """ + indented(yaml) + "\n    \"\"\"#\n}\n"
      let swiftURL = References.packageRoot.appendingPathComponent("Sources/WinAudit/Playbook/BuiltinPlaybook.swift")
      try swift.write(to: swiftURL, atomically: true, encoding: .utf8)
      return
    }
    #expect(
      Playbook.builtInText == yaml,
      "Sources/WinAudit/Playbook/BuiltinPlaybook.swift is out of date:\n\(References.diff(yaml, Playbook.builtInText))")
  }

  /// The YAML indented by four spaces (blank lines stay empty), as swift-format wants string literal content.
  func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
      .joined(separator: "\n")
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
