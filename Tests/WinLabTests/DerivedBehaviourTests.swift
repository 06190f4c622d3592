import Foundation
import Testing

@testable import WinLab

/// Behaviour the lab computes from the host state: listener, port after restart, certificate renewal, policy.
@Suite struct DerivedBehaviourTests {
  /// A healthy host on a fixed clock, so renewed certificates get predictable dates.
  func healthy() -> HostState {
    var state = SampleHostBuilder.healthy(computerName: "TEST-HOST", windows: .server2019)
    state.clock = SampleHostBuilder.date("2025-06-01T12:00:00Z")
    return state
  }

  @Test func listenerFollowsTermServiceAndDenyFlag() throws {
    var state = healthy()
    #expect(state.rdpListener?.port == 3389)
    #expect(state.rdpListener?.processId == state.processId(of: "TermService"))
    state.registry.setValue(RegistryKeys.terminalServer, "fDenyTSConnections", .dword(1))
    #expect(state.rdpListener == nil)
    state.registry.setValue(RegistryKeys.terminalServer, "fDenyTSConnections", .dword(0))
    try state.stopService("TermService", force: true)
    #expect(state.rdpListener == nil)
    #expect(state.tcpListeners.allSatisfy { $0.localPort != 3389 })
  }

  @Test func policyDenyWinsOverLocalAllow() {
    var state = healthy()
    state.registry.setValue(RegistryKeys.terminalServicesPolicy, "fDenyTSConnections", .dword(1))
    #expect(state.effectiveRDPSettings.denyConnections == EffectiveSetting(value: 1, source: .groupPolicy))
    #expect(state.rdpListener == nil)
  }

  @Test func portChangeTakesEffectOnlyAfterRestart() throws {
    var state = healthy()
    state.registry.setValue(RegistryKeys.rdpTcp, "PortNumber", .dword(3390))
    #expect(state.rdpListener?.port == 3389)
    try state.restartService("TermService", force: true)
    #expect(state.rdpListener?.port == 3390)
    #expect(state.tcpListeners.filter { $0.localPort == 3390 }.map(\.localAddress) == ["0.0.0.0", "::"])
    #expect(!state.acceptsRemoteDesktop)
    state.firewallRules[0].localPort = "3390"
    #expect(state.acceptsRemoteDesktop)
  }

  @Test func stopWithoutForceFailsOnDependents() throws {
    var state = healthy()
    #expect(throws: ServiceControlError.hasDependents(service: "TermService", displayName: "Remote Desktop Services")) {
      try state.stopService("TermService", force: false)
    }
    try state.stopService("TermService", force: true)
    #expect(state.service("UmRdpService")?.isRunning == false)
    try state.startService("TermService")
    #expect(state.service("UmRdpService")?.isRunning == true)
    #expect(state.service("TermService")?.listenerPort == 3389)
  }

  @Test func disabledServiceCannotStart() throws {
    var state = healthy()
    try state.stopService("TermService", force: true)
    state.updateService("TermService") { $0.startType = .disabled }
    #expect(throws: ServiceControlError.self) { try state.startService("TermService") }
    #expect(throws: ServiceControlError.notFound("NoSuch")) { try state.startService("NoSuch") }
  }

  @Test func startRenewsAMissingSelfSignedCertificate() throws {
    var state = healthy()
    let guid = try #require(state.machineGuid)
    let keyFile = MachineKeys.path(of: MachineKeys.remoteDesktopKeyFile(machineGuid: guid))
    state.certificates[CertificateStoreName.remoteDesktop] = nil
    state.files.remove(keyFile)
    #expect(state.rdpListener?.certificate == nil)
    #expect(state.tsGeneralSetting.sslCertificateSHA1HashType == 0)
    try state.restartService("TermService", force: true)
    let certificate = try #require(state.rdpListener?.certificate)
    #expect(certificate.subject == "CN=TEST-HOST")
    #expect(certificate.notBefore == state.now)
    #expect(certificate.notAfter == SampleHostBuilder.date("2025-12-01T12:00:00Z"))
    #expect(certificate.privateKeyContainer == MachineKeys.remoteDesktopKeyFile(machineGuid: guid))
    #expect(state.files.exists(keyFile))
    #expect(state.tsGeneralSetting.sslCertificateSHA1Hash == certificate.thumbprint)
    #expect(state.tsGeneralSetting.sslCertificateSHA1HashType == 1)
  }

  @Test func startRenewsAnExpiredCertificate() throws {
    var state = SampleHostBuilder.certificateExpired()
    let old = try #require(state.selfSignedListenerCertificate)
    try state.restartService("TermService", force: true)
    let renewed = try #require(state.rdpListener?.certificate)
    #expect(renewed.thumbprint != old.thumbprint)
    #expect(renewed.isValid(at: state.now))
    #expect(state.certificates(in: CertificateStoreName.remoteDesktop).count == 1)
  }

  @Test func brokenMachineKeysAclPreventsRenewal() throws {
    var state = SampleHostBuilder.machineKeysBroken()
    try state.restartService("TermService", force: true)
    #expect(state.rdpListener != nil)
    #expect(state.rdpListener?.certificate == nil)
    #expect(state.certificates(in: CertificateStoreName.remoteDesktop).isEmpty)
    // A SYSTEM deny breaks it too; resetting the ACL to the default lets the next start create the certificate.
    state.files.update(MachineKeys.directory) { $0.sddl = "O:SYG:SYD:P(D;;FA;;;SY)(A;;FA;;;BA)" }
    #expect(!state.canCreateMachineKey)
    state.files.update(MachineKeys.directory) { $0.sddl = MachineKeys.defaultDirectorySDDL }
    try state.restartService("TermService", force: true)
    #expect(state.rdpListener?.certificate != nil)
  }

  @Test func keyFileMissingOrUnreadableMeansNoUsableKey() throws {
    var state = healthy()
    let certificate = try #require(state.selfSignedListenerCertificate)
    #expect(state.hasUsablePrivateKey(certificate))
    let path = MachineKeys.path(of: try #require(certificate.privateKeyContainer))
    state.files.update(path) { $0.sddl = "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)" }
    #expect(!state.hasUsablePrivateKey(certificate))
    #expect(certificate.hasPrivateKey)
    state.files.remove(path)
    #expect(!state.hasUsablePrivateKey(certificate))
    #expect(state.rdpListener?.certificate == nil)
  }

  @Test func customCertificateFromMyWinsWhenItsKeyIsUsable() throws {
    var state = SampleHostBuilder.healthy2022()
    let custom = try #require(state.certificates(in: CertificateStoreName.personal).first)
    state.registry.setValue(
      RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash", .binary(try #require(Hex.bytes(custom.thumbprint))))
    // Its key grants SYSTEM and Administrators only: NETWORK SERVICE cannot read it, and Windows does not fall back
    // to the self-signed certificate while SSLCertificateSHA1Hash names it: the listener has none.
    #expect(state.rdpListener != nil)
    #expect(state.rdpListener?.certificate == nil)
    #expect(state.tsGeneralSetting.sslCertificateSHA1HashType == 0)
    let keyPath = MachineKeys.path(of: try #require(custom.privateKeyContainer))
    state.files.update(keyPath) { $0.sddl = MachineKeys.keyFileSDDL }
    #expect(state.rdpListener?.certificate == custom)
    #expect(state.tsGeneralSetting.sslCertificateSHA1HashType == 3)
    #expect(state.tsGeneralSetting.sslCertificateSHA1Hash == custom.thumbprint)
    // Removing the value makes TermService use the self-signed certificate again.
    state.registry.removeValue(RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash")
    #expect(state.rdpListener?.certificate?.isSelfSigned == true)
  }

  @Test func policySourcesFollowWhereTheValueComesFrom() {
    var state = healthy()
    state.registry.removeValue(RegistryKeys.rdpTcp, "MinEncryptionLevel")
    state.registry.setValue(RegistryKeys.terminalServicesPolicy, "SecurityLayer", .dword(1))
    let setting = state.tsGeneralSetting
    #expect(setting.policySourceUserAuthenticationRequired == 0)
    #expect(setting.policySourceSecurityLayer == 1)
    #expect(setting.securityLayer == 1)
    #expect(setting.policySourceMinEncryptionLevel == 2)
    #expect(setting.minEncryptionLevel == EffectiveRDPSettings.Defaults.minEncryptionLevel)
  }

  @Test func firewallNeedsEveryActiveProfile() {
    var state = healthy()
    state.firewallRules[0].profile = [.domain, .private]
    #expect(state.firewallAllowsInbound(port: 3389))
    state.networkProfiles.append(
      NetworkConnectionProfile(interfaceAlias: "Wi-Fi", interfaceIndex: 9, name: "Cafe", networkCategory: .public))
    #expect(!state.firewallAllowsInbound(port: 3389))
    state.firewallRules[0].profile = .any
    #expect(state.firewallAllowsInbound(port: 3389))
    state.firewallRules[0].enabled = false
    #expect(!state.firewallAllowsInbound(port: 3389))
  }

  @Test func healthyClonesHaveTheirOwnIdentity() throws {
    let clones = Fleet.healthyClones(count: 3, from: healthy())
    #expect(clones.map(\.name) == ["bench-001", "bench-002", "bench-003"])
    #expect(Set(clones.compactMap(\.state.machineGuid)).count == 3)
    for (name, state) in clones {
      #expect(state.computerName == name.uppercased())
      #expect(state.acceptsRemoteDesktop)
      #expect(state.rdpListener?.certificate?.subject == "CN=" + name.uppercased())
    }
  }
}

extension DerivedBehaviourTests {
  @Test func renamedMachineKeysFolderIsCreatedAgainOnStart() throws {
    var state = SampleHostBuilder.machineKeysBroken()
    state.files.move(MachineKeys.directory, to: MachineKeys.directory + "_Old")
    try state.restartService("TermService", force: true)
    #expect(state.rdpListener?.certificate != nil)
    #expect(state.files.node(at: MachineKeys.directory)?.sddl == MachineKeys.defaultDirectorySDDL)
    #expect(state.files.children(of: MachineKeys.directory + "_Old").count == 2)
  }
}
