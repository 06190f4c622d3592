import Foundation
import Testing
import WinLab

@Suite("lab fleet files and orchestration")
struct LabFleetTests {
  static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Samples/lab")

  private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("winlab-fleet-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func readsTheSampleFleet() throws {
    let fleet = try FleetFile.load(from: Self.samples.appendingPathComponent("fleet.yml"))
    #expect(fleet.port == 2222)
    #expect(fleet.startupMilliseconds == 250)
    #expect(fleet.hosts.first?.name == "healthy-2019")
    #expect(fleet.hosts.first?.state.path == Self.samples.appendingPathComponent("hosts/healthy-2019.json").path)
    #expect(fleet.hosts.first { $0.name == "slow-firewall" }?.slowCmdlets == ["Get-NetFirewallRule": 2000])
    for host in fleet.hosts {
      #expect(FileManager.default.fileExists(atPath: host.state.path), "\(host.name)")
    }
  }

  @Test func rejectsDuplicateHosts() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("fleet.yml")
    try "hosts:\n  - {name: a, state: a.json}\n  - {name: a, state: b.json}\n".write(
      to: file, atomically: true, encoding: .utf8)
    #expect(throws: LabShellError.self) { try FleetFile.load(from: file) }
  }

  @Test func writesABenchmarkFleetOfClones() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("bench.yml")
    try FleetFile.writeClones(
      count: 50, from: Self.samples.appendingPathComponent("hosts/healthy-2019.json"), to: output)
    let fleet = try FleetFile.load(from: output)
    #expect(fleet.hosts.count == 50)
    #expect(fleet.hosts.first?.name == "bench-001")
    #expect(fleet.hosts.last?.name == "bench-050")
    #expect(Set(fleet.hosts.map(\.state)).count == 50)
    let names = try fleet.hosts.map { try HostState.load(from: $0.state).computerName }
    #expect(Set(names).count == 50)
  }

  /// The orchestration without the winlab binary: every session runs /bin/echo instead of the lab shell.
  @Test func upWritesTheLabAndDownStopsIt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let lab = try LabFleet.up(
      fleetFile: Self.samples.appendingPathComponent("fleet.yml"), dir: folder,
      winlabBinary: URL(fileURLWithPath: "/bin/echo"),
      options: LabFleet.Options(
        hosts: ["healthy-2019", "shell-powershell"], addressPrefix: "127.0.25", port: 2325, rdpListener: false))
    defer { _ = try? lab.down() }

    #expect(lab.servers.map(\.address) == ["127.0.25.1", "127.0.25.13"])
    let inventory = try String(contentsOf: lab.inventory, encoding: .utf8)
    #expect(inventory.contains("  user: \(LabFleet.currentUserName())\n"))
    #expect(
      inventory.contains(
        "  - name: shell-powershell\n    address: 127.0.25.13\n    port: 2325\n    tags: [lab]\n"
          + "    shell: powershell\n"))
    let knownHosts = try String(contentsOf: lab.knownHosts, encoding: .utf8)
    #expect(knownHosts.hasPrefix("[127.0.25.1]:2325 ssh-ed25519 AAAA"))
    #expect(FileManager.default.fileExists(atPath: lab.identity.path))
    let state = try HostState.load(from: try #require(lab.server("healthy-2019")).host.stateFile)
    #expect(state.computerName.isEmpty == false)

    let reloaded = try #require(try Lab.load(from: folder))
    #expect(reloaded == lab)
    let stopped = try lab.down()
    #expect(stopped.count == 2)
    for server in lab.servers {
      let cmdline = FileManager.default.contents(atPath: "/proc/\(server.pid)/cmdline") ?? Data()
      #expect(!String(decoding: cmdline, as: UTF8.self).contains(server.config))
    }
  }

  @Test func upAgainReplacesServersWhoseRecordIsGone() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let options = LabFleet.Options(
      hosts: ["healthy-2019"], addressPrefix: "127.0.26", port: 2326, rdpListener: false)
    let fleet = Self.samples.appendingPathComponent("fleet.yml")
    let first = try LabFleet.up(
      fleetFile: fleet, dir: folder, winlabBinary: URL(fileURLWithPath: "/bin/echo"), options: options)
    defer { _ = try? first.down() }
    try FileManager.default.removeItem(at: folder.appendingPathComponent("lab.json"))
    let second = try LabFleet.up(
      fleetFile: fleet, dir: folder, winlabBinary: URL(fileURLWithPath: "/bin/echo"), options: options)
    defer { _ = try? second.down() }
    #expect(second.servers.first?.pid != first.servers.first?.pid)
    let cmdline = FileManager.default.contents(atPath: "/proc/\(first.servers[0].pid)/cmdline") ?? Data()
    #expect(!String(decoding: cmdline, as: UTF8.self).contains(first.servers[0].config))
  }

  /// `up` with the real winlab binary: the RDP listener double runs beside sshd, presents the certificate the state
  /// names (a real one), and `down` stops it; an orphaned double is stopped by the next `up`.
  @Test func upStartsTheRDPListenerDoubleAndDownStopsIt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fleet = Self.samples.appendingPathComponent("fleet.yml")
    let options = LabFleet.Options(hosts: ["nla-off", "rdp-network-blocked"], addressPrefix: "127.0.27", port: 2327)
    let first = try LabFleet.up(
      fleetFile: fleet, dir: folder, winlabBinary: try LabBinaries.winlabPath(), options: options)
    defer { _ = try? first.down() }
    let pid = try #require(first.rdpListenerPid)
    #expect(Lab.isOurRDPListener(pid: pid, directory: first.directory))
    let status = try #require(RDPListenProcess.status(in: folder))
    #expect(status.bindings.map(\.address) == ["127.0.27.4", "127.0.27.40"])
    #expect(status.bindings.map(\.network) == [.open, .drop])

    let nlaOff = try #require(first.server("nla-off"))
    let state = try HostState.load(from: nlaOff.host.stateFile)
    let thumbprint = try #require(state.listenerCertificate?.thumbprint)
    #expect(FileManager.default.fileExists(atPath: nlaOff.host.certificatePEM(thumbprint).path))
    let (answer, der) = try TLSClient.handshake(
      address: nlaOff.address, port: 3389, request: RDPListenerDoubleTests.request(0x1))
    #expect(answer == X224ConnectionPDU.confirm(.selected(1)))
    #expect(CertificateMinter.thumbprint(of: der) == thumbprint)

    // lab.json lost: the next `up` finds the double by its command line and stops it.
    try FileManager.default.removeItem(at: folder.appendingPathComponent("lab.json"))
    let second = try LabFleet.up(
      fleetFile: fleet, dir: folder, winlabBinary: try LabBinaries.winlabPath(), options: options)
    defer { _ = try? second.down() }
    #expect(!Lab.isOurRDPListener(pid: pid, directory: first.directory))
    let secondPid = try #require(second.rdpListenerPid)
    try second.down()
    #expect(!Lab.isOurRDPListener(pid: secondPid, directory: second.directory))
  }

  @Test func missingBinaryIsReported() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(throws: LabShellError.self) {
      try LabFleet.up(
        fleetFile: Self.samples.appendingPathComponent("fleet.yml"), dir: folder,
        winlabBinary: folder.appendingPathComponent("winlab"), options: LabFleet.Options(hosts: ["healthy-2019"]))
    }
  }
}
