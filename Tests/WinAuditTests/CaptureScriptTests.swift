import Foundation
import Testing

@testable import WinAudit

/// The capture script follows the collector's rules: it parses with tree-sitter-powershell, passes every string
/// argument quoted, reads what the playbook's facts read, and writes nothing but secedit's export, which it removes.
struct CaptureScriptTests {
  @Test func theBaselineCaptureParsesAndQuotesEveryArgument() throws {
    let text = CaptureScript(playbook: try Playbook.builtIn).text
    let barewords = BarewordArguments.find(in: text)
    #expect(barewords.isEmpty, "\(barewords.joined(separator: "\n"))")
    let python = try PSParse.requirePython()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-capture-\(UUID().uuidString).ps1")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try PSParse.run(python: python, files: [url.path])
    #expect(result.status == 0, "tree-sitter-powershell reported errors:\n\(result.output)")
  }

  @Test func theListsComeFromThePlaybooksFacts() throws {
    let script = CaptureScript(playbook: try Playbook.builtIn)
    #expect(script.uncaptured.isEmpty)
    let text = script.text
    #expect(
      text.contains(
        "[ordered]@{ path = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services'; name = 'UserAuthentication' }"
      ))
    #expect(text.contains("[ordered]@{ path = 'HKLM:\\SOFTWARE\\Microsoft\\Cryptography'; name = 'MachineGuid' }"))
    #expect(text.contains("groups = @('@FirewallAPI.dll,-28752'); blocking = $true"))
    #expect(
      text.contains("$WinAuditCaptureStores = @('Cert:\\LocalMachine\\Remote Desktop','Cert:\\LocalMachine\\My')"))
    #expect(text.contains("'TermService'") && text.contains("'MpsSvc'") && text.contains("'CertPropSvc'"))
  }

  @Test func itChangesNothingButItsOwnExportFile() throws {
    let text = CaptureScript(playbook: try Playbook.builtIn).text
    let changing = [
      "Set-Item", "Set-Acl", "Set-Service", "Set-Net", "Set-Content", "New-Item", "Remove-ItemProperty", "Enable-Net",
      "Disable-Net", "Start-Service", "Stop-Service", "Restart-Service", "Rename-Item", "Copy-Item", "Move-Item",
      "Out-File", "Add-Content", "icacls", "reg.exe", "takeown", "certutil",
    ]
    for command in changing {
      let call = text.range(of: "(?<![A-Za-z])" + command, options: [.regularExpression, .caseInsensitive])
      #expect(call == nil, "the capture script calls \(command)")
    }
    #expect(text.components(separatedBy: "Remove-Item").count == 2)  // the collector's common part has none
    #expect(text.contains("if (Test-Path -LiteralPath $file) { Remove-Item -LiteralPath $file -Force }"))
  }
}
