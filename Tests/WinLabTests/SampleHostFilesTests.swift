import Foundation
import Testing

@testable import WinLab

/// The sample hosts in Samples/lab/hosts: each decodes, is in canonical form, and shows the fault it is named after.
@Suite struct SampleHostFilesTests {
  static let samplesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples/lab/hosts")

  static let names = [
    "healthy-2019", "healthy-2022", "rdp-disabled", "nla-off", "nla-gpo-off", "firewall-public-off", "port-mismatch",
    "termservice-stopped", "cert-expired", "machinekeys-acl-broken", "tls12-disabled", "credssp-vulnerable",
    "shell-powershell", "locale-de", "slow-firewall", "not-elevated", "filters-out-of-order", "custom-cert-cng",
    "winstations-disabled", "lan-adapter-bound", "max-instances-zero", "keyiso-disabled", "setup-in-progress",
    "dangling-listener-hash", "custom-cert-key-admin-only", "hostile-values", "custom-cert-key-ns-read",
    "firewall-block-rule",
    "firewall-blocks-all-inbound",
    "firewall-off", "firewall-local-rules-ignored", "firewall-scoped", "remote-logon-admins-removed",
    "remote-logon-denied", "rdu-domain-users", "secure-channel-broken", "workgroup-local-accounts-denied",
    "firewall-service-stopped", "rdp-network-blocked", "nla-off-on-wire-securitylayer-rdp",
    "rdp-wire-certificate-differs",
  ]

  static func load(_ name: String) throws -> HostState {
    try HostState.load(from: samplesDirectory.appendingPathComponent(name + ".json"))
  }

  @Test func regenerateWhenAsked() throws {
    guard ProcessInfo.processInfo.environment["WINLAB_WRITE_SAMPLES"] == "1" else { return }
    try FileManager.default.createDirectory(at: Self.samplesDirectory, withIntermediateDirectories: true)
    for (name, state) in SampleHostBuilder.all {
      try state.save(to: Self.samplesDirectory.appendingPathComponent(name + ".json"))
    }
  }

  @Test func builderCoversEverySample() {
    #expect(SampleHostBuilder.all.map(\.name) == Self.names)
  }

  @Test(arguments: names) func roundTripIsByteForByte(name: String) throws {
    let data = try Data(contentsOf: Self.samplesDirectory.appendingPathComponent(name + ".json"))
    let state = try HostState(json: data)
    #expect(state.jsonData() == data)
    #expect(try HostState(json: state.jsonData()) == state)
  }

  static let healthyLike = [
    "healthy-2019", "healthy-2022", "tls12-disabled", "credssp-vulnerable", "shell-powershell", "locale-de",
    "slow-firewall", "not-elevated", "filters-out-of-order",
  ]

  @Test(arguments: healthyLike) func healthyHostsAcceptRemoteDesktop(name: String) throws {
    let state = try Self.load(name)
    let listener = try #require(state.rdpListener)
    #expect(listener.port == 3389)
    #expect(listener.certificate?.isValid(at: state.now) == true)
    #expect(state.acceptsRemoteDesktop)
    let settings = state.effectiveRDPSettings
    #expect(settings.userAuthentication == EffectiveSetting(value: 1, source: .server))
    #expect(settings.securityLayer.value == 2)
    #expect(settings.minEncryptionLevel.value == 3)
    #expect(state.tsGeneralSetting.sslCertificateSHA1HashType == 1)
    #expect(state.service("UmRdpService")?.isRunning == true)
  }

  @Test func faultsAreThere() throws {
    #expect(try Self.load("rdp-disabled").rdpListener == nil)
    #expect(
      try Self.load("nla-off").effectiveRDPSettings.userAuthentication == EffectiveSetting(value: 0, source: .server))
    let gpo = try Self.load("nla-gpo-off")
    #expect(gpo.effectiveRDPSettings.userAuthentication == EffectiveSetting(value: 0, source: .groupPolicy))
    #expect(gpo.registry.integer(RegistryKeys.rdpTcp, "UserAuthentication") == 1)
    #expect(gpo.tsGeneralSetting.policySourceUserAuthenticationRequired == 1)

    let publicOff = try Self.load("firewall-public-off")
    #expect(publicOff.rdpListener?.port == 3389)
    #expect(publicOff.activeFirewallProfiles == .public)
    #expect(!publicOff.firewallAllowsInbound(port: 3389))

    let mismatch = try Self.load("port-mismatch")
    #expect(mismatch.rdpListener?.port == 3390)
    #expect(!mismatch.acceptsRemoteDesktop)
    #expect(mismatch.firewallAllowsInbound(port: 3389))

    let stopped = try Self.load("termservice-stopped")
    #expect(stopped.rdpListener == nil)
    #expect(stopped.service("UmRdpService")?.isRunning == false)

    let expired = try Self.load("cert-expired")
    let certificate = try #require(expired.rdpListener?.certificate)
    #expect(!certificate.isValid(at: expired.now))

    let broken = try Self.load("machinekeys-acl-broken")
    #expect(broken.rdpListener != nil)
    #expect(broken.rdpListener?.certificate == nil)
    #expect(!broken.canCreateMachineKey)
    #expect(broken.tsGeneralSetting.sslCertificateSHA1HashType == 0)

    #expect(try Self.load("tls12-disabled").registry.integer(RegistryKeys.tls12Server, "Enabled") == 0)
    #expect(try Self.load("credssp-vulnerable").registry.integer(RegistryKeys.credSSP, "AllowEncryptionOracle") == 2)
    #expect(try Self.load("shell-powershell").defaultShellIsPowerShell)
    #expect(try !Self.load("healthy-2019").defaultShellIsPowerShell)

    let german = try Self.load("locale-de")
    #expect(german.computerName == "SRV-MÜNCHEN")
    #expect(german.oemCodePage == 850)
    #expect(german.firewallRules.first?.displayName == "Remotedesktop - Benutzermodus (TCP eingehend)")
    #expect(german.firewallRules.first?.displayGroup == "Remotedesktop")
  }

  @Test func everySampleHasItsOwnIdentity() throws {
    let states = try Self.names.map(Self.load)
    #expect(Set(states.map(\.computerName)).count == states.count)
    #expect(Set(states.compactMap(\.machineGuid)).count == states.count)
  }
}
