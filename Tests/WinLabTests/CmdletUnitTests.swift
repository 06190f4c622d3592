import Foundation
import PowerShellInterpreter
import Testing

@testable import WinLab

/// Pieces of the cmdlet layer that need no interpreter: icacls, WQL filters, wildcards, provider paths.
@Suite struct CmdletUnitTests {
  func icacls(_ arguments: [String], _ box: HostStateBox) -> (code: Int32, out: [String], err: [String]) {
    var out: [String] = []
    var err: [String] = []
    let code = Icacls.run(
      arguments: arguments, lab: LabContext(box: box, options: WinLabOptions()), output: { out.append($0) },
      error: { err.append($0) })
    return (code, out, err)
  }

  @Test func icaclsSaveResetRestore() throws {
    let box = HostStateBox(SampleHostBuilder.machineKeysBroken())
    let original = box.state.files.securityDescriptor(of: MachineKeys.directory)
    let save = icacls([MachineKeys.directory, "/save", "C:\\Windows\\Temp\\mk.acl", "/t", "/c"], box)
    // The service key that denies Administrators cannot be saved: /c goes on, the exit code says it.
    #expect(save.code == 5)
    #expect(save.out.last == "Successfully processed 2 files; Failed processing 1 files")
    #expect(save.err.count == 1 && save.err[0].hasSuffix(": Access is denied."))
    let saved = try #require(box.state.files.node(at: "C:\\Windows\\Temp\\mk.acl")?.content)
    #expect(
      saved.hasPrefix("MachineKeys\r\nD:P(D;;FA;;;NS)(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;;FA;;;SY)\r\nMachineKeys\\"))

    #expect(icacls([MachineKeys.directory, "/reset"], box).code == 0)
    #expect(box.state.canCreateMachineKey)

    let restore = icacls(
      ["C:\\ProgramData\\Microsoft\\Crypto\\RSA", "/restore", "C:\\Windows\\Temp\\mk.acl", "/c"], box)
    #expect(restore.code == 0)
    #expect(restore.out.first == "processed file: C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys")
    #expect(box.state.files.securityDescriptor(of: MachineKeys.directory) == original)
  }

  /// Only the owner gets READ_CONTROL and WRITE_DAC whatever the DACL says: takeown gives them to Administrators,
  /// and icacls /setowner (with the restore privilege an elevated administrator holds) gives the owner back.
  @Test func takeownAndSetownerAgainstAKeyThatDeniesAdministrators() {
    let box = HostStateBox(SampleHostBuilder.machineKeysBroken())
    let key = box.state.files.children(of: MachineKeys.directory).first { $0.lowercased().contains("d6d986f0") }!
    #expect(!box.state.loginMay(HostState.readControl, on: key))
    #expect(icacls([key, "/grant", "*S-1-5-20:R"], box).code == 5)
    var out: [String] = []
    let code = Takeown.run(
      arguments: ["/f", key, "/a"], lab: LabContext(box: box, options: WinLabOptions()), output: { out.append($0) },
      error: { _ in })
    #expect(code == 0)
    #expect(out.first?.hasSuffix("now owned by the administrators group.") == true)
    #expect(box.state.loginMay(HostState.readControl | HostState.writeDAC, on: key))
    #expect(icacls([key, "/setowner", "*S-1-5-18"], box).code == 0)
    #expect(box.state.files.node(at: key)?.sddl == "O:SYG:SYD:P(D;;FA;;;BA)(A;;FA;;;SY)")
    #expect(!box.state.loginMay(HostState.readControl, on: key))
  }

  @Test func icaclsRemoveDenyAndGrant() {
    let box = HostStateBox(SampleHostBuilder.machineKeysBroken())
    let result = icacls([MachineKeys.directory, "/remove:d", "*S-1-5-20", "/grant", "*S-1-5-20:(OI)(CI)(R)"], box)
    #expect(result.code == 0)
    #expect(
      box.state.files.node(at: MachineKeys.directory)?.sddl
        == "O:SYG:SYD:P(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;;FA;;;SY)(A;OICI;FR;;;NS)")
    #expect(box.state.canCreateMachineKey)
  }

  @Test func icaclsErrors() {
    let box = HostStateBox(SampleHostBuilder.healthy(computerName: "T", windows: .server2019))
    let missing = icacls(["C:\\Nope", "/reset"], box)
    #expect(missing.code == 2)
    #expect(missing.err == ["C:\\Nope: The system cannot find the file specified."])
    #expect(icacls([MachineKeys.directory, "/bogus"], box).code == 87)
    #expect(icacls([MachineKeys.directory, "/grant", "NoSuchUser:(R)"], box).code == 87)
  }

  @Test func wqlFilters() {
    let instance: CimCmdlets.Instance = [("TerminalName", .string("RDP-Tcp")), ("ProcessId", .long(1036))]
    #expect(CimCmdlets.matches("TerminalName='RDP-Tcp'", instance))
    #expect(CimCmdlets.matches("terminalname = \"rdp-tcp\" AND ProcessId = 1036", instance))
    #expect(!CimCmdlets.matches("ProcessId <> 1036", instance))
    #expect(CimCmdlets.matches("TerminalName LIKE 'RDP%'", instance))
  }

  @Test func wildcards() {
    #expect(PSWildcard.matches("RemoteDesktop-UserMode-In-TCP", pattern: "RemoteDesktop-*"))
    #expect(PSWildcard.matches("TermService", pattern: "term?ervice"))
    #expect(PSWildcard.matches("sshd", pattern: "[st]shd"))
    #expect(!PSWildcard.matches("RemoteDesktop-UserMode-In-TCP", pattern: "Remote*UDP"))
  }

  @Test func providerPaths() {
    #expect(LabPath.parse("HKLM:\\SOFTWARE") == .registry("HKLM:\\SOFTWARE"))
    #expect(LabPath.parse("c:/windows/temp/") == .file("C:\\windows\\temp"))
    #expect(
      LabPath.parse("Cert:\\LocalMachine\\Remote Desktop")
        == .certificate(CertificatePath(components: ["LocalMachine", "Remote Desktop"])))
    #expect(LabPath.parse("Microsoft.PowerShell.Core\\FileSystem::C:\\x") == .file("C:\\x"))
    #expect(LabPath.parse("notes.txt") == .file("C:\\Users\\Administrator\\notes.txt"))
    #expect(LabPath.parse("Env:\\PATH") == nil)
  }
}

extension CmdletUnitTests {
  @Test(arguments: [
    ("*S-1-5-18:(OI)(CI)F", "A;OICI;FA;;;SY"), ("*S-1-5-20:(R)", "A;;FR;;;NS"), ("Administrators:F", "A;;FA;;;BA"),
    ("*S-1-5-32-544:(OI)(CI)(RX)", "A;OICI;0x1200a9;;;BA"), ("Everyone:(R,W)", "A;;0x12019f;;;WD"),
  ])
  func icaclsGrantSpecs(spec: String, ace: String) {
    #expect(Icacls.ace(spec, deny: false, locale: "en-US")?.sddl == ace)
  }

  /// The repair winaudit applies: save, reset, then exactly the documented grants.
  @Test func icaclsInheritanceRemovalWithGrants() {
    let box = HostStateBox(SampleHostBuilder.machineKeysBroken())
    #expect(icacls([MachineKeys.directory, "/reset"], box).code == 0)
    let result = icacls(
      [
        MachineKeys.directory, "/inheritance:r", "/grant", "*S-1-5-18:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F",
        "*S-1-5-20:(OI)(CI)R",
      ], box)
    #expect(result.code == 0)
    #expect(
      box.state.files.securityDescriptor(of: MachineKeys.directory)?.sddl()
        == "O:SYG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FR;;;NS)")
    #expect(box.state.canCreateMachineKey)
  }
}
