import Foundation
import Testing
import WinAudit

/// The real binary reaching lab hosts the way administrators do: by an ssh_config alias, and through the lab's jump
/// host (a second, plain sshd) by ProxyJump, by `--jump` and by the inventory's `jump:`. That a connection went through
/// the bastion shows in the bastion's own log: sshd records every `direct-tcpip` channel's target at LogLevel DEBUG1
/// (`server_request_direct_tcpip: originator ..., target ADDRESS port PORT`). Checking the target's peer address would
/// not: on loopback the bastion's forwarded connection and a direct one both come from 127.0.0.1.
@Suite(.serialized)
struct SSHConfigJumpFleetTests {
  static let host = "healthy-2022"

  /// An audit's JSON report: each host's status by name.
  private func statuses(_ out: String) throws -> [String: String] {
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let hosts = try #require(json["hosts"] as? [[String: Any]])
    var result: [String: String] = [:]
    for host in hosts { result[host["name"] as? String ?? "?"] = host["status"] as? String }
    return result
  }

  private func write(_ text: String, _ name: String, in fleet: FleetHarness) throws -> String {
    let url = fleet.folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// The lab's own inventory (relative key and known_hosts paths: write variants into the lab folder).
  private func labInventory(_ fleet: FleetHarness) throws -> String {
    try String(contentsOf: fleet.lab.inventory, encoding: .utf8)
  }

  private let common = ["--no-agent", "--no-history", "--no-probe", "--format", "json", "--connect-timeout", "60"]

  @Test func aHostReachedOnlyByItsSSHConfigAlias() throws {
    let fleet = try FleetHarness(hosts: [Self.host], addressPrefix: "127.0.93", port: 2410)
    defer { fleet.stop() }
    let server = try #require(fleet.lab.server(Self.host))
    let config = """
      Host win-alias
        HostName \(server.address)
        Port \(server.port)
        User \(fleet.lab.user)
        IdentityFile \(fleet.lab.identity.path)
        UserKnownHostsFile \(fleet.lab.knownHosts.path)

      """
    let home = fleet.folder.appendingPathComponent("home")
    try FileManager.default.createDirectory(at: home.appendingPathComponent(".ssh"), withIntermediateDirectories: true)
    let configFile = home.appendingPathComponent(".ssh/config").path
    try Data(config.utf8).write(to: URL(fileURLWithPath: configFile))
    let inventory = try write("win-alias\n", "hosts.txt", in: fleet)

    let run = try FleetHarness.winaudit(["audit", "--inventory", inventory, "--ssh-config", configFile] + common)
    #expect(run.status == 0, "\(run.out)\n\(run.err)")
    #expect(try statuses(run.out) == ["win-alias": "compliant"])

    // --no-ssh-config really reads nothing, not even a ~/.ssh/config (here a HOME of the test's own).
    let ignored = try FleetHarness.winaudit(
      ["audit", "--inventory", inventory, "--no-ssh-config"] + common, environment: ["HOME": home.path])
    #expect(ignored.status == 4, "\(ignored.out)\n\(ignored.err)")
    #expect(try statuses(ignored.out) == ["win-alias": "unreachable"])
  }

  @Test func throughTheLabBastionByProxyJumpByJumpAndByTheInventory() throws {
    let fleet = try FleetHarness(hosts: [Self.host], addressPrefix: "127.0.94", port: 2411, bastionPort: 2412)
    defer { fleet.stop() }
    let server = try #require(fleet.lab.server(Self.host))
    let bastion = try #require(fleet.lab.bastion)
    let bastionLog = bastion.host.sshdLog.path
    func forwards() -> Int {
      let log = (try? String(contentsOfFile: bastionLog, encoding: .utf8)) ?? ""
      return log.components(separatedBy: "target \(server.address) port \(server.port)").count - 1
    }
    #expect(forwards() == 0)

    // ProxyJump in an ssh_config, the bastion itself an alias of the same file.
    let config = try write(
      """
      Host lab-bastion
        HostName \(bastion.address)
        Port \(bastion.port)
      Host win-behind
        HostName \(server.address)
        Port \(server.port)
        ProxyJump lab-bastion
      Host *
        User \(fleet.lab.user)
        IdentityFile \(fleet.lab.identity.path)
        UserKnownHostsFile \(fleet.lab.knownHosts.path)

      """, "ssh_config", in: fleet)
    let list = try write("win-behind\n", "hosts.txt", in: fleet)
    let byConfig = try FleetHarness.winaudit(["audit", "--inventory", list, "--ssh-config", config] + common)
    #expect(byConfig.status == 0, "\(byConfig.out)\n\(byConfig.err)")
    #expect(try statuses(byConfig.out) == ["win-behind": "compliant"])
    #expect(forwards() == 1)

    // --jump, with the lab's own inventory.
    let jump = "\(fleet.lab.user)@\(bastion.address):\(bastion.port)"
    let byFlag = try FleetHarness.winaudit(
      ["audit", "--inventory", fleet.lab.inventory.path, "--no-ssh-config", "--jump", jump] + common)
    #expect(byFlag.status == 0, "\(byFlag.out)\n\(byFlag.err)")
    #expect(forwards() == 2)

    // The inventory's jump: (in defaults, for every host).
    let labInventory = try String(contentsOf: fleet.lab.inventory, encoding: .utf8)
    let withJump = labInventory.replacingOccurrences(of: "defaults:\n", with: "defaults:\n  jump: \(jump)\n")
    #expect(withJump != labInventory)
    let inventory = try write(withJump, "jump-inventory.yml", in: fleet)
    let byInventory = try FleetHarness.winaudit(["audit", "--inventory", inventory, "--no-ssh-config"] + common)
    #expect(byInventory.status == 0, "\(byInventory.out)\n\(byInventory.err)")
    #expect(forwards() == 3)

    // -v says which way it went, on stderr only: the report on stdout is the same document.
    let verbose = try FleetHarness.winaudit(
      ["audit", "--inventory", list, "--ssh-config", config, "-v"] + common)
    #expect(verbose.status == 0, "\(verbose.out)\n\(verbose.err)")
    #expect(verbose.err.contains("[win-behind] going through jump host lab-bastion"), "\(verbose.err)")
    #expect(verbose.err.contains("via jump host lab-bastion] host key"), "\(verbose.err)")
    #expect(try statuses(verbose.out) == ["win-behind": "compliant"])
    #expect(!verbose.out.contains("winaudit: ["))
  }

  @Test func aChangedBastionHostKeyIsRefusedNamingTheBastion() throws {
    let fleet = try FleetHarness(hosts: [Self.host], addressPrefix: "127.0.95", port: 2413, bastionPort: 2414)
    defer { fleet.stop() }
    let server = try #require(fleet.lab.server(Self.host))
    let bastion = try #require(fleet.lab.bastion)
    // The bastion's line now holds the target's key: another key than the one the bastion presents.
    let lines = try String(contentsOf: fleet.lab.knownHosts, encoding: .utf8).split(separator: "\n").map(String.init)
    let bastionName = "[\(bastion.address)]:\(bastion.port)"
    let targetLine = try #require(lines.first { $0.hasPrefix("[\(server.address)]:") })
    let forged =
      lines.filter { !$0.hasPrefix(bastionName) } + [
        bastionName + " " + targetLine.split(separator: " ").dropFirst().joined(separator: " ")
      ]
    _ = try write(forged.joined(separator: "\n") + "\n", "forged_known_hosts", in: fleet)
    let inventory = try write(
      try labInventory(fleet).replacingOccurrences(
        of: "known_hosts: known_hosts", with: "known_hosts: forged_known_hosts"), "forged.yml", in: fleet)
    let run = try FleetHarness.winaudit(
      [
        "audit", "--inventory", inventory, "--no-ssh-config",
        "--jump", "\(fleet.lab.user)@\(bastion.address):\(bastion.port)", "-v",
      ] + common)
    #expect(run.status == 4, "\(run.out)\n\(run.err)")
    let error = run.out + run.err
    #expect(error.contains("HOST KEY CHANGED for \(bastion.address):\(bastion.port)"), "\(error)")
    #expect(error.contains("jump host \(fleet.lab.user)@\(bastion.address):\(bastion.port)"), "\(error)")
    #expect(!error.contains("HOST KEY CHANGED for \(server.address):\(server.port)"))
    #expect(run.err.contains("failed at jump host"), "\(run.err)")
  }

  @Test func verboseNamesTheStepThatFailed() throws {
    let fleet = try FleetHarness(hosts: [Self.host], addressPrefix: "127.0.96", port: 2415)
    defer { fleet.stop() }
    // A key the lab does not accept, and a password in the environment that must never be logged.
    let wrongKey = fleet.folder.appendingPathComponent("hosts/\(Self.host)/ssh_host_ed25519_key").path
    let secret = "s3cret-\(UUID().uuidString)"
    let inventory = try write(
      try labInventory(fleet).replacingOccurrences(of: "identity: id_ed25519", with: "identity: \(wrongKey)"),
      "wrong-key.yml", in: fleet)
    let quiet = try FleetHarness.winaudit(
      ["audit", "--inventory", inventory] + common, environment: ["WINAUDIT_PASSWORD": secret])
    let run = try FleetHarness.winaudit(
      ["audit", "--inventory", inventory, "-vvv"] + common, environment: ["WINAUDIT_PASSWORD": secret])
    #expect(run.status == 4, "\(run.out)\n\(run.err)")
    #expect(run.err.contains("[\(Self.host)] failed at authentication: "), "\(run.err)")
    #expect(run.err.contains("authentication: trying key file \(wrongKey)"), "\(run.err)")
    #expect(run.err.contains("libssh"), "-vvv adds libssh's own log")
    #expect(!run.err.contains(secret) && !run.out.contains(secret))
    #expect(try statuses(run.out) == statuses(quiet.out))
    #expect(!quiet.err.contains("winaudit: ["))
  }
}
