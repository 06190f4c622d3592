import Foundation
import Testing
import WinAudit
import WinLab

/// Whether TermService can use the listener certificate is NETWORK SERVICE's question: a key only the administrator
/// running the audit can read drifts (and gets no pointless TermService restart), a CNG key NETWORK SERVICE can read
/// passes.
@Suite struct CertificateKeyTests {
  @Test func aKeyOnlyTheAdministratorCanReadDriftsAndACNGKeyPasses() async throws {
    let hosts = ["custom-cert-key-admin-only", "custom-cert-cng"]
    let fleet = try FleetHarness(hosts: hosts, addressPrefix: "127.0.51", port: 2242)
    defer { fleet.stop() }
    let report = try await fleet.audit()
    let adminOnly = try #require(report.hosts.first { $0.name == "custom-cert-key-admin-only" })
    let finding = try #require(adminOnly.findings.first { $0.controlID == "listener-certificate-valid" })
    #expect(finding.status == .drift)
    #expect(
      finding.message?.contains(
        #"NETWORK SERVICE (TermService's account) cannot read C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\3e8a"#)
        == true, "\(finding.message ?? "")")
    let cng = try #require(report.hosts.first { $0.name == "custom-cert-cng" })
    #expect(cng.status == .compliant, "\(cng.findings.filter { $0.status != .pass && $0.status != .skipped })")

    // The Remote Desktop store's own certificate is fine: nothing to remove, so no TermService restart is planned.
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let dry = try FleetHarness.winaudit(
      [
        "fix", "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent", "--allow-disruptive",
        "--limit", "custom-cert-key-admin-only",
      ])
    #expect(dry.status == 1, "\(dry.out)\n\(dry.err)")
    #expect(!dry.out.contains("restart service TermService"), "\(dry.out)")
    #expect(dry.out.contains("skipped listener-certificate-valid: no certificate of"), "\(dry.out)")
  }

  /// SSLCertificateSHA1Hash naming a certificate that is gone: its own finding, and a fix that removes the value
  /// (journaled, so rollback puts it back).
  @Test func aDanglingListenerHashIsRemovedAndRollbackRestoresIt() throws {
    let host = "dangling-listener-hash"
    let fleet = try FleetHarness(hosts: [host], addressPrefix: "127.0.52", port: 2243)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let original = try FixHarness.state(fleet, host)
    let base = ["fix", "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent"]
    let apply = try FleetHarness.winaudit(base + ["--apply", "--yes", "--allow-disruptive"])
    #expect(apply.status == 0, "\(apply.out)\n\(apply.err)")
    #expect(apply.out.contains("SSLCertificateSHA1Hash:"), "\(apply.out)")
    #expect(apply.out.contains("verify listener-certificate-hash-valid: no longer applies"), "\(apply.out)")
    let fixed = try FixHarness.state(fleet, host)
    let values =
      (fixed["registry"] as? [String: Any])?[
        #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp"#]
      as? [String: Any]
    #expect(values?["SSLCertificateSHA1Hash"] == nil)

    let run = try FixHarness.runID(apply.out)
    let back = try FixFleetTests.rollback(fleet, journal: journal, run: run)
    #expect(back.status == 0, "\(back.out)\n\(back.err)")
    let restored = try FixHarness.state(fleet, host)
    #expect(
      FixHarness.restored(restored, original: original), "\(FixHarness.differences(original, restored))")
  }
}
