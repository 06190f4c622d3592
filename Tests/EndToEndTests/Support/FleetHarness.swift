import Foundation
import Testing
import WinAudit
import WinLab

/// A WinLab fleet started for one test on its own loopback addresses, with helpers to audit it through the real
/// libssh transport and to run the real `winaudit` binary against it.
struct FleetHarness {
  let lab: Lab
  let folder: URL

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let sampleFleet = packageRoot.appendingPathComponent("Samples/lab/fleet.yml")

  /// The hosts of Samples/lab/fleet.yml that have no fault.
  static let healthyHosts = ["healthy-2019", "healthy-2022", "shell-powershell", "locale-de", "slow-firewall"]

  /// The second octet of every lab address this test process uses: derived from the process id, so two test runs on
  /// one machine (a developer's and CI's) do not fight over the same loopback addresses.
  static let runOctet = 100 + Int(getpid()) % 150

  /// Starts `hosts` (all when nil) of the sample fleet on `addressPrefix`.1, .2, ... with a short start-up time.
  /// Every lab needs a prefix of its own, not only a port: its RDP listener doubles bind port 3389 (or the host's
  /// PortNumber) on each address.
  /// A prefix `127.0.N` is moved to `127.<runOctet>.N`.
  /// `fleetFile` replaces the sample fleet (and its captures).
  /// `bastionPort` also starts the lab's jump host on `addressPrefix`.250 (`winlab up --bastion`).
  init(
    hosts: [String]? = nil, addressPrefix: String, port: Int = 2222, startupMilliseconds: Int = 20,
    fleetFile: URL? = nil, bastionPort: Int? = nil
  ) throws {
    let addressPrefix =
      addressPrefix.hasPrefix("127.0.") ? "127.\(Self.runOctet)." + addressPrefix.dropFirst(6) : addressPrefix
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-e2e-\(UUID().uuidString)")
    lab = try LabFleet.up(
      fleetFile: try fleetFile ?? Self.sampleFleetWithCaptures(in: folder), dir: folder,
      winlabBinary: try LabBinaries.winlabPath(),
      options: LabFleet.Options(
        hosts: hosts, addressPrefix: addressPrefix, port: port, startupMilliseconds: startupMilliseconds,
        bastion: bastionPort.map { (addressPrefix + ".250", $0) }))
  }

  static let capturesFolder = packageRoot.appendingPathComponent("Samples/captures")

  /// The capture folders under Samples/captures (each holds a capture.json from `winaudit capture`), by name.
  static func captureFolders() throws -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: capturesFolder.path)) ?? []
    return names.sorted().map { capturesFolder.appendingPathComponent($0) }.filter {
      FileManager.default.fileExists(atPath: $0.appendingPathComponent("capture.json").path)
    }
  }

  /// The sample fleet plus one host per capture folder, imported now (`winlab import`'s logic), named after its folder:
  /// a capture someone sent becomes a fleet member like a hand-written sample.
  static func sampleFleetWithCaptures(in folder: URL) throws -> URL {
    var fleet = try FleetFile.load(from: sampleFleet)
    let states = folder.appendingPathComponent("captures")
    try FileManager.default.createDirectory(at: states, withIntermediateDirectories: true)
    for capture in try captureFolders() {
      let name = capture.lastPathComponent
      let file = states.appendingPathComponent("\(name).json")
      try CaptureImport.importFolder(capture).state.save(to: file)
      fleet.hosts.append(FleetFile.Host(name: name, state: file))
    }
    let url = folder.appendingPathComponent("fleet.yml")
    try Data(fleet.yaml(relativeTo: folder).utf8).write(to: url)
    return url
  }

  func stop() {
    _ = try? lab.down()
    try? FileManager.default.removeItem(at: folder)
  }

  /// The hosts of the lab's generated inventory, as winaudit reads them.
  func inventoryHosts() throws -> [InventoryHost] {
    try InventoryLoader.load(path: lab.inventory.path).hosts
  }

  /// Audits the lab with the built-in baseline over real SSH connections, and its RDP listener doubles through the
  /// real probe (`probe: false` skips it).
  func audit(playbook: Playbook? = nil, probe: Bool = true) async throws -> AuditReport {
    let playbook = try playbook ?? Playbook.builtIn
    let connector = SSHHostConnector(
      settings: ConnectionSettings(useAgent: false, knownHosts: lab.knownHosts.path, connectTimeout: .seconds(60)))
    // Generous: the suites run in parallel on a loaded machine; only the lab's dropped port waits this long.
    let prober: (any WireProber)? = probe ? RDPWireProber(timeout: 10) : nil
    return await Auditor(connector: connector, playbook: playbook, prober: prober).audit(hosts: try inventoryHosts())
  }

  /// How many powershell.exe processes the lab host has started so far.
  func processStarts(_ host: String) throws -> Int {
    try #require(lab.server(host)).host.processStarts()
  }

  /// Runs `command` on `host` with the plain OpenSSH client.
  func ssh(_ host: String, _ command: String, stdin: Data = Data()) throws -> (out: String, err: String, status: Int32)
  {
    let server = try #require(lab.server(host))
    let run = try Self.run(
      URL(fileURLWithPath: "/usr/bin/ssh"),
      [
        "-i", lab.identity.path, "-o", "UserKnownHostsFile=\(lab.knownHosts.path)", "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", "-p", String(server.port), "\(lab.user)@\(server.address)",
        command,
      ], stdin: stdin)
    return (run.out, run.err, run.status)
  }

  /// Runs the built `winaudit` executable with `arguments`; returns its exit status and outputs.
  static func winaudit(_ arguments: [String], stdin: Data = Data(), environment extra: [String: String] = [:]) throws
    -> (status: Int32, out: String, err: String)
  {
    try run(try winauditPath(), arguments, stdin: stdin, environment: environment.merging(extra) { _, new in new })
  }

  /// The built `winaudit` executable, next to `winlab`.
  static func winauditPath() throws -> URL {
    try LabBinaries.winlabPath().deletingLastPathComponent().appendingPathComponent("winaudit")
  }

  /// The environment every winaudit the tests start runs with: the user's, with `XDG_STATE_HOME` in a folder of this
  /// test process, so audits record their history (and fixes their default journal) there, never in the user's own.
  static let environment: [String: String] = {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-e2e-state-\(getpid())")
    try? FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
    var environment = ProcessInfo.processInfo.environment
    environment["XDG_STATE_HOME"] = state.path
    // Never the user's ~/.ssh/config or /etc/ssh/ssh_config: a test that wants one passes --ssh-config.
    environment["WINAUDIT_SSH_CONFIG"] = "none"
    return environment
  }()

  /// Runs a program to completion, reading stdout and stderr together so neither pipe fills up.
  static func run(
    _ binary: URL, _ arguments: [String], stdin: Data, environment: [String: String] = FleetHarness.environment
  )
    throws -> (status: Int32, out: String, err: String)
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    input.fileHandleForWriting.write(stdin)
    try input.fileHandleForWriting.close()
    let errorBox = DataBox()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errorBox.set(error.fileHandleForReading.readDataToEndOfFile()) }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: errorBox.get(), as: UTF8.self)
    )
  }
}

/// Collects a pipe's bytes from another thread.
final class DataBox: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  func set(_ value: Data) { lock.withLock { data = value } }
  func get() -> Data { lock.withLock { data } }
}
