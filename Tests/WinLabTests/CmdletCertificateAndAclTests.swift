import Foundation
import PowerShellInterpreter
import Testing

@testable import WinLab

/// Certificates (export, remove, import), Get-Acl/Set-Acl and icacls, and the MachineKeys repair they make possible.
@Suite struct CmdletCertificateAndAclTests {
  let machineKeys = #"'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys'"#

  @Test func certificatePropertiesAndKeyContainer() throws {
    let state = CmdletHarness.healthy()
    let certificate = try #require(state.selfSignedListenerCertificate)
    let outcome = CmdletHarness.run(
      """
      $c = Get-ChildItem -Path 'Cert:\\LocalMachine\\Remote Desktop' | Select-Object -First 1
      $c.Thumbprint
      $c.Subject
      $c.HasPrivateKey
      $c.PrivateKey.CspKeyContainerInfo.UniqueKeyContainerName
      $c.NotAfter -gt (Get-Date)
      """, on: state)
    #expect(
      CmdletHarness.lines(outcome) == [
        certificate.thumbprint, "CN=TEST-HOST", "True", certificate.privateKeyContainer ?? "", "True",
      ])
  }

  /// A .cer holds no private key link: imported again, the certificate has no key (HasPrivateKey False).
  @Test func exportRemoveImportLosesThePrivateKeyLink() throws {
    let state = CmdletHarness.healthy()
    let outcome = CmdletHarness.run(
      """
      $ErrorActionPreference = 'Stop'
      $c = Get-ChildItem -Path 'Cert:\\LocalMachine\\Remote Desktop' | Select-Object -First 1
      Export-Certificate -Cert $c -FilePath 'C:\\Windows\\Temp\\rdp.cer' -Type CERT | Out-Null
      Remove-Item -Path "Cert:\\LocalMachine\\Remote Desktop\\$($c.Thumbprint)"
      @(Get-ChildItem -Path 'Cert:\\LocalMachine\\Remote Desktop').Count
      Import-Certificate -FilePath 'C:\\Windows\\Temp\\rdp.cer' -CertStoreLocation 'Cert:\\LocalMachine\\Remote Desktop' | Out-Null
      @(Get-ChildItem -Path 'Cert:\\LocalMachine\\Remote Desktop').Count
      """, on: state)
    #expect(outcome.exitCode == 0)
    #expect(CmdletHarness.lines(outcome) == ["0", "1"])
    let restored = try #require(outcome.state.certificates(in: "Remote Desktop").first)
    #expect(restored.thumbprint == state.certificates(in: "Remote Desktop").first?.thumbprint)
    #expect(!restored.hasPrivateKey)
  }

  /// `reg export` of the store's key keeps the certificate with its properties; `reg import` (which reports success on
  /// stderr) brings back exactly what was removed, key link included.
  @Test func regExportRemoveRegImportRestoresTheCertificateWithItsKey() throws {
    let state = CmdletHarness.healthy()
    let thumbprint = try #require(state.certificates(in: "Remote Desktop").first?.thumbprint)
    let key = #"HKLM\SOFTWARE\Microsoft\SystemCertificates\Remote Desktop\Certificates\"# + thumbprint
    let outcome = CmdletHarness.run(
      """
      $ErrorActionPreference = 'Stop'
      $null = & reg.exe 'export' '\(key)' 'C:\\Windows\\Temp\\rdp.reg' '/y'
      $LASTEXITCODE
      Remove-Item -Path 'Cert:\\LocalMachine\\Remote Desktop\\\(thumbprint)'
      @(Get-ChildItem -Path 'Cert:\\LocalMachine\\Remote Desktop').Count
      & { $ErrorActionPreference = 'Continue'; $null = & reg.exe 'import' 'C:\\Windows\\Temp\\rdp.reg' 2>&1 }
      $LASTEXITCODE
      (Get-ChildItem -Path 'Cert:\\LocalMachine\\Remote Desktop').HasPrivateKey
      & { $ErrorActionPreference = 'Continue'; $null = & reg.exe 'export' 'HKLM\\SOFTWARE\\Microsoft\\Cryptography' 'C:\\Windows\\Temp\\x.reg' '/y' 2>&1 }
      $LASTEXITCODE
      """, on: state)
    #expect(outcome.exitCode == 0, "\(outcome.result.errors.map(\.message))")
    #expect(CmdletHarness.lines(outcome) == ["0", "0", "0", "True", "1"])
    #expect(outcome.state.certificates == state.certificates)
  }

  @Test func icaclsSaveAndRestoreRoundTrip() throws {
    let broken = SampleHostBuilder.machineKeysBroken()
    let outcome = CmdletHarness.run(
      """
      icacls.exe \(machineKeys) /save 'C:\\Windows\\Temp\\mk.acl' /t /c
      icacls.exe \(machineKeys) /reset
      icacls.exe 'C:\\ProgramData\\Microsoft\\Crypto\\RSA' /restore 'C:\\Windows\\Temp\\mk.acl' /c
      $LASTEXITCODE
      """, on: broken)
    let lines = CmdletHarness.lines(outcome)
    #expect(lines.first == "processed file: C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys")
    #expect(lines.contains("Successfully processed 2 files; Failed processing 0 files"))
    #expect(lines.last == "0")
    let before = broken.files.securityDescriptor(of: MachineKeys.directory)
    let after = outcome.state.files.securityDescriptor(of: MachineKeys.directory)
    #expect(after == before)
    #expect(!outcome.state.canCreateMachineKey)
  }

  @Test func resettingTheAclAndRestartingRegeneratesTheCertificate() {
    let outcome = CmdletHarness.run(
      """
      $ErrorActionPreference = 'Stop'
      icacls.exe \(machineKeys) /reset /q | Out-Null
      Restart-Service -Name TermService -Force
      (Get-ChildItem -Path 'Cert:\\LocalMachine\\Remote Desktop').Subject
      (Get-CimInstance -Namespace 'root\\cimv2\\TerminalServices' -ClassName Win32_TSGeneralSetting).SSLCertificateSHA1HashType
      """, on: SampleHostBuilder.machineKeysBroken())
    #expect(CmdletHarness.lines(outcome) == ["CN=MACHINEKEYS-ACL", "1"])
    #expect(outcome.state.acceptsRemoteDesktop)
  }

  @Test func icaclsGrantAndDisplay() {
    let outcome = CmdletHarness.run(
      """
      icacls.exe \(machineKeys) /grant '*S-1-5-20:(R)'
      icacls.exe \(machineKeys)
      """)
    let lines = CmdletHarness.lines(outcome)
    #expect(lines.first == "processed file: C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys")
    #expect(lines.contains { $0.hasSuffix("NT AUTHORITY\\NETWORK SERVICE:(R)") })
    #expect(lines.contains("C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys Everyone:(R,W)"))
  }

  @Test func getAclAndSetAclWithSddl() throws {
    let outcome = CmdletHarness.run(
      """
      $acl = Get-Acl -Path \(machineKeys)
      $acl.Sddl
      ($acl.Access | Where-Object { $_.IdentityReference.Value -eq 'NT AUTHORITY\\SYSTEM' }).FileSystemRights
      $acl.SetSecurityDescriptorSddlForm('O:SYG:SYD:P(D;;FA;;;NS)(A;;FA;;;SY)(A;;FA;;;BA)')
      Set-Acl -Path \(machineKeys) -AclObject $acl
      """)
    #expect(
      CmdletHarness.lines(outcome) == [
        "O:SYG:SYD:P(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;;FA;;;SY)", "FullControl",
      ])
    #expect(!outcome.state.canCreateMachineKey)
  }

  @Test func fileItemsAndRename() {
    let outcome = CmdletHarness.run(
      """
      @(Get-ChildItem -Path \(machineKeys)).Count
      Rename-Item -Path \(machineKeys) -NewName 'MachineKeys_Old'
      Test-Path \(machineKeys)
      Set-Content -Path 'C:\\Windows\\Temp\\note.txt' -Value 'a','b'
      Get-Content -Path 'C:\\Windows\\Temp\\note.txt'
      """)
    #expect(CmdletHarness.lines(outcome) == ["2", "False", "a", "b"])
    #expect(outcome.state.files.exists(MachineKeys.directory + "_Old"))
  }
}
