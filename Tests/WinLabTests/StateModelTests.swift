import Foundation
import Testing

@testable import WinLab

/// The host state's building blocks: registry paths, the flat trees, SDDL, profiles, JSON forms.
@Suite struct StateModelTests {
  @Test(arguments: [
    ("HKLM:\\SOFTWARE\\OpenSSH", "HKLM:\\SOFTWARE\\OpenSSH"),
    ("hklm:/software/openssh/", "HKLM:\\software\\openssh"),
    ("Registry::HKEY_LOCAL_MACHINE\\SOFTWARE", "HKLM:\\SOFTWARE"),
    ("Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE", "HKLM:\\SOFTWARE"),
    ("HKLM:SOFTWARE", "HKLM:\\SOFTWARE"),
    ("HKLM:\\", "HKLM:"),
  ])
  func registryPaths(input: String, canonical: String) {
    #expect(RegistryPath.canonical(input) == canonical)
  }

  @Test func registryIsCaseInsensitiveAndImpliesParents() {
    var registry = Registry()
    registry.setValue("HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server", "fDenyTSConnections", .dword(0))
    #expect(
      registry.value("hklm:\\system\\currentcontrolset\\control\\terminal server", "FDENYTSCONNECTIONS") == .dword(0))
    #expect(registry.exists("HKLM:\\SYSTEM\\CurrentControlSet"))
    #expect(registry.children(of: "HKLM:\\system") == ["HKLM:\\SYSTEM\\CurrentControlSet"])
    #expect(registry.displayPath("HKLM:\\system\\currentcontrolset") == "HKLM:\\SYSTEM\\CurrentControlSet")
    registry.remove("HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server")
    #expect(registry.exists("HKLM:\\SYSTEM\\CurrentControlSet\\Control"))
    #expect(!registry.exists("HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"))
  }

  @Test func registryValuesEncodeReadably() throws {
    var registry = Registry()
    registry.setValue("HKLM:\\A", "D", .dword(3389))
    registry.setValue("HKLM:\\A", "B", .binary([0xAB, 0x01]))
    registry.setValue("HKLM:\\A", "M", .multiString(["x", "y"]))
    let encoder = HostState.encoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let text = String(decoding: try encoder.encode(registry), as: UTF8.self)
    #expect(
      text
        == #"{"HKLM:\\A":{"B":{"type":"BINARY","value":"AB01"},"D":{"type":"DWORD","value":3389},"M":{"type":"MULTI_SZ","value":["x","y"]}}}"#
    )
    #expect(try HostState.decoder().decode(Registry.self, from: Data(text.utf8)) == registry)
  }

  @Test func duplicateKeysDifferingInCaseAreRejected() {
    let text = #"{"HKLM:\\A": {}, "hklm:\\a": {}}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Registry.self, from: Data(text.utf8)) }
  }

  @Test func sddlRoundTripsAndChecksAccess() throws {
    let text = "O:SYG:SYD:P(D;;FA;;;NS)(A;;0x12019f;;;WD)(A;OICI;FA;;;BA)(A;;FA;;;SY)"
    let descriptor = try #require(SecurityDescriptor(sddl: text))
    #expect(descriptor.owner == SecurityIdentifier.system)
    #expect(descriptor.isProtected)
    #expect(descriptor.aces.count == 4)
    #expect(descriptor.sddl() == text)
    #expect(descriptor.sddl(includeOwner: false) == "D:P(D;;FA;;;NS)(A;;0x12019f;;;WD)(A;OICI;FA;;;BA)(A;;FA;;;SY)")
    #expect(
      !descriptor.grants(AccessMask.readData, to: SecurityIdentifier.principals(of: SecurityIdentifier.networkService)))
    #expect(descriptor.grants(AccessMask.fullControl, to: SecurityIdentifier.principals(of: SecurityIdentifier.system)))
    #expect(descriptor.inheritable(toDirectory: false).map(\.sddl) == ["A;ID;FA;;;BA"])
    // ACEs decide in order: an explicit allow before an inherited deny wins, a deny before the allow wins.
    let ns = SecurityIdentifier.principals(of: SecurityIdentifier.networkService)
    let explicitFirst = try #require(SecurityDescriptor(sddl: "D:AI(A;;FR;;;NS)(D;ID;FR;;;AU)"))
    #expect(explicitFirst.grants(AccessMask.readData, to: ns))
    let denyFirst = try #require(SecurityDescriptor(sddl: "D:(D;;FR;;;AU)(A;;FR;;;NS)"))
    #expect(!denyFirst.grants(AccessMask.readData, to: ns))
    #expect(SecurityDescriptor(sddl: "D:(A;;FA;;S-1-5-20)") == nil)
  }

  @Test func filesInheritFromTheirFolder() {
    var files = FileSystem()
    files.set("C:\\Data", FileNode(type: .directory, sddl: "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FR;;;NS)"))
    files.set("C:\\Data\\a.txt", FileNode(type: .file))
    #expect(files.allows(SecurityIdentifier.networkService, AccessMask.readData, on: "C:\\Data\\a.txt"))
    #expect(!files.allows(SecurityIdentifier.networkService, AccessMask.addFile, on: "C:\\Data\\a.txt"))
    #expect(files.securityDescriptor(of: "C:\\Data\\a.txt")?.sddl() == "O:BAG:SYD:AI(A;ID;FA;;;SY)(A;ID;FR;;;NS)")
    #expect(!files.allows(SecurityIdentifier.users, AccessMask.readData, on: "C:\\Other"))
    #expect(files.allows(SecurityIdentifier.users, AccessMask.readData, on: "C:"))
  }

  @Test(arguments: [("Any", 0), ("Domain", 1), ("Domain, Private", 3), ("Domain,Private,Public", 7), ("4", 4)])
  func firewallProfiles(text: String, raw: Int) throws {
    let profiles = try #require(FirewallProfiles(name: text))
    #expect(profiles.rawValue == raw)
    #expect(FirewallProfiles(name: profiles.name) == profiles)
  }

  @Test func saveIsAtomicAndLoadsBack() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("state.json")
    let state = SampleHostBuilder.healthy(computerName: "SRV-MÜNCHEN", windows: .server2019, german: true)
    try state.save(to: url)
    #expect(try HostState.load(from: url) == state)
    #expect(throws: HostStateError.self) { try HostState.load(from: directory.appendingPathComponent("none.json")) }
  }
}
