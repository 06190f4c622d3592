import Foundation
import Testing
import WinAudit
import WinLab

/// Real hosts teach the lab: `winaudit capture` on lab hosts through real sshd and libssh, `winlab import` of each
/// capture, then a lab of the imported hosts audited again. An imported host must be judged exactly like its original,
/// which shows the capture holds everything the audit reads and the import rebuilds it without inventing anything.
@Suite(.serialized) struct CaptureTests {
  static let hosts = [
    "healthy-2019", "nla-gpo-off", "firewall-block-rule", "custom-cert-cng", "machinekeys-acl-broken",
    "remote-logon-denied", "firewall-scoped", "termservice-stopped",
  ]

  @Test func importedCapturesAuditExactlyLikeTheirOriginals() async throws {
    let fleet = try FleetHarness(hosts: Self.hosts, addressPrefix: "127.0.40")
    defer { fleet.stop() }
    let original = try await fleet.audit()
    let work = fleet.folder.appendingPathComponent("captures-made")
    let winlab = try LabBinaries.winlabPath()

    var imported: [FleetFile.Host] = []
    for host in Self.hosts {
      let stateFile = HostDirectory(fleet.folder.appendingPathComponent("hosts").appendingPathComponent(host))
        .stateFile
      let before = try HostState.load(from: stateFile)
      let folder = work.appendingPathComponent(host)
      let capture = try FleetHarness.winaudit([
        "capture", "--inventory", fleet.lab.inventory.path, "--limit", host, "--output", folder.path,
      ])
      #expect(capture.status == 0, "\(host): \(capture.err)")
      #expect(!capture.err.contains("warning"), "\(host): \(capture.err)")
      // Read-only: the host is as it was, and the capture took one powershell.exe (the audit took the other).
      #expect(try HostState.load(from: stateFile) == before, "\(host) was changed by the capture")
      #expect(try fleet.processStarts(host) == 2, "\(host): the capture did not run in one powershell.exe")
      let readme = try String(contentsOf: folder.appendingPathComponent("README.txt"), encoding: .utf8)
      #expect(readme.contains("read-only"))

      let output = work.appendingPathComponent("\(host).json")
      let run = try FleetHarness.run(winlab, ["import", folder.path, "--output", output.path], stdin: Data())
      #expect(run.status == 0, "\(host): \(run.err)")
      #expect(!run.err.contains("warning"), "\(host): the lab disagrees with the captured host: \(run.err)")
      imported.append(FleetFile.Host(name: "imported-" + host, state: output))
    }

    let fleetFile = work.appendingPathComponent("fleet.yml")
    try Data(FleetFile(hosts: imported).yaml(relativeTo: work).utf8).write(to: fleetFile)
    let replay = try FleetHarness(addressPrefix: "127.0.41", fleetFile: fleetFile)
    defer { replay.stop() }
    let replayed = try await replay.audit()

    for host in Self.hosts {
      let expected = try #require(original.hosts.first { $0.name == host })
      let actual = try #require(replayed.hosts.first { $0.name == "imported-" + host })
      #expect(expected.error == nil && actual.error == nil, "\(host): \(expected.error ?? "") \(actual.error ?? "")")
      let want = expected.findings.map { "\($0.controlID)=\($0.status)" }.sorted()
      let got = actual.findings.map { "\($0.controlID)=\($0.status)" }.sorted()
      #expect(
        got == want,
        "\(host): imported \(got.filter { !want.contains($0) }), original \(want.filter { !got.contains($0) })")
      #expect(actual.status == expected.status)
      // The imported host knows only placeholders.
      #expect(actual.hostFacts?.computerName == "HOST-1")
    }
  }

  /// The example captures under Samples/captures import without the lab disagreeing with them.
  @Test func exampleCapturesImportCleanly() throws {
    let folders = try FleetHarness.captureFolders()
    #expect(!folders.isEmpty)
    for folder in folders {
      let result = try CaptureImport.importFolder(folder)
      #expect(result.warnings.isEmpty, "\(folder.lastPathComponent): \(result.warnings)")
    }
  }

  @Test func aCaptureOfSeveralHostsIsRefusedBeforeAnyIsContacted() throws {
    let fleet = try FleetHarness(hosts: ["healthy-2019", "nla-off"], addressPrefix: "127.0.42")
    defer { fleet.stop() }
    let out = fleet.folder.appendingPathComponent("never")
    let run = try FleetHarness.winaudit([
      "capture", "--inventory", fleet.lab.inventory.path, "--limit", "*", "--output", out.path,
    ])
    #expect(run.status == 2, "\(run.err)")
    #expect(run.err.contains("a capture is of one host"))
    #expect(try fleet.processStarts("healthy-2019") == 0)
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func aLoginThatIsNotElevatedCapturesNothing() throws {
    let fleet = try FleetHarness(hosts: ["not-elevated"], addressPrefix: "127.0.43")
    defer { fleet.stop() }
    let out = fleet.folder.appendingPathComponent("never")
    let run = try FleetHarness.winaudit([
      "capture", "--inventory", fleet.lab.inventory.path, "--limit", "not-elevated", "--output", out.path,
    ])
    #expect(run.status == 4, "\(run.err)")
    #expect(run.err.contains("whose token is not elevated") && run.err.contains("nothing was captured"), "\(run.err)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }
}
