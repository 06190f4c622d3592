import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A running lab: one real sshd per host on its own loopback address, and the files a client needs to reach them
/// (inventory, key, known_hosts). Written to DIR/lab.json by `up`, read back by `down`.
public struct Lab: Codable, Sendable, Equatable {
  /// One host's sshd.
  public struct Server: Codable, Sendable, Equatable {
    public var name: String
    public var address: String
    public var port: Int
    /// The sshd listener's process id.
    public var pid: Int32
    /// The sshd_config it was started with (how `down` recognizes it).
    public var config: String
    /// The host's folder (state, settings, process count).
    public var hostDirectory: String
    /// True when the host's OpenSSH DefaultShell is PowerShell.
    public var powershellDefaultShell: Bool

    public var host: HostDirectory { HostDirectory(path: hostDirectory) }
  }

  public var directory: String
  public var user: String
  public var servers: [Server]
  /// The process id of the lab's RDP listener double (`winlab rdp-listen --dir DIR`); nil when `up` skipped it.
  public var rdpListenerPid: Int32?
  /// The lab's jump host (`winlab up --bastion`): a plain sshd that forwards TCP to the lab hosts. Its key is in the
  /// lab's known_hosts; its folder (config, key, log) is DIR/bastion.
  public var bastion: Server?

  public var directoryURL: URL { URL(fileURLWithPath: directory) }
  public var inventory: URL { directoryURL.appendingPathComponent("inventory.yml") }
  public var identity: URL { directoryURL.appendingPathComponent("id_ed25519") }
  public var knownHosts: URL { directoryURL.appendingPathComponent("known_hosts") }
  static func recordFile(in directory: URL) -> URL { directory.appendingPathComponent("lab.json") }

  /// The server of a host by name.
  public func server(_ name: String) -> Server? { servers.first { $0.name == name } }

  /// The lab recorded in `directory` by `up`, or nil when none is.
  public static func load(from directory: URL) throws -> Lab? {
    guard let data = try? Data(contentsOf: recordFile(in: directory)) else { return nil }
    return try JSONDecoder().decode(Lab.self, from: data)
  }

  func save() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try AtomicFile.write(try encoder.encode(self), to: Lab.recordFile(in: directoryURL))
  }

  /// Stops exactly the servers this lab started: each recorded pid is signalled only while it is still an sshd running
  /// our config (or the RDP listener double serving this folder), so a recycled pid is never killed. Returns the names
  /// of the sshd servers stopped.
  @discardableResult
  public func down() throws -> [String] {
    if let pid = rdpListenerPid {
      let directory = self.directory
      Lab.stop(pid: pid) { Lab.isOurRDPListener(pid: $0, directory: directory) }
      if Lab.isOurRDPListener(pid: pid, directory: directory) {
        throw LabShellError("could not stop the RDP listener double (pid \(pid))")
      }
    }
    var stopped: [String] = []
    if let bastion, Lab.isOurSSHD(pid: bastion.pid, config: bastion.config) {
      kill(bastion.pid, SIGTERM)
      if !Lab.waitForExit(pid: bastion.pid, config: bastion.config, seconds: 5) {
        kill(bastion.pid, SIGKILL)
        _ = Lab.waitForExit(pid: bastion.pid, config: bastion.config, seconds: 2)
      }
      stopped.append(bastion.name)
    }
    for server in servers where Lab.isOurSSHD(pid: server.pid, config: server.config) {
      kill(server.pid, SIGTERM)
      if !Lab.waitForExit(pid: server.pid, config: server.config, seconds: 5) {
        kill(server.pid, SIGKILL)
        _ = Lab.waitForExit(pid: server.pid, config: server.config, seconds: 2)
      }
      stopped.append(server.name)
    }
    var remaining = self
    remaining.rdpListenerPid = nil
    remaining.bastion = bastion.flatMap { Lab.isOurSSHD(pid: $0.pid, config: $0.config) ? $0 : nil }
    remaining.servers = servers.filter { Lab.isOurSSHD(pid: $0.pid, config: $0.config) }
    if remaining.servers.isEmpty && remaining.bastion == nil {
      try? FileManager.default.removeItem(at: Lab.recordFile(in: directoryURL))
    } else {
      try remaining.save()
      throw LabShellError("could not stop the sshd of \(remaining.servers.map(\.name).joined(separator: ", "))")
    }
    return stopped
  }

  /// True while `pid` is an sshd whose command line names `config` as a whole word (sshd rewrites its argv into one
  /// process title, `sshd: /usr/sbin/sshd -f CONFIG ... [listener]`, so words are compared, not argv entries).
  static func isOurSSHD(pid: Int32, config: String) -> Bool {
    guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
    let line = " " + data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ") + " "
    return line.contains("sshd") && line.contains(" \(config) ")
  }

  /// True while `pid` runs `winlab rdp-listen --dir DIRECTORY` (argv entries compared exactly).
  public static func isOurRDPListener(pid: Int32, directory: String) -> Bool {
    guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
    let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    guard let index = arguments.firstIndex(of: "rdp-listen") else { return false }
    let rest = Array(arguments[(index + 1)...])
    return zip(rest, rest.dropFirst()).contains { $0 == "--dir" && $1 == directory }
  }

  /// SIGTERM, then SIGKILL when `isOurs` still holds after five seconds.
  static func stop(pid: Int32, isOurs: (Int32) -> Bool) {
    guard isOurs(pid) else { return }
    kill(pid, SIGTERM)
    if !waitForExit(pid: pid, seconds: 5, isOurs: isOurs) {
      kill(pid, SIGKILL)
      _ = waitForExit(pid: pid, seconds: 2, isOurs: isOurs)
    }
  }

  private static func waitForExit(pid: Int32, seconds: Double, isOurs: (Int32) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      var status: Int32 = 0
      _ = waitpid(pid, &status, WNOHANG)
      if !isOurs(pid) { return true }
      usleep(20_000)
    }
    return !isOurs(pid)
  }

  private static func waitForExit(pid: Int32, config: String, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      // Reap it if it is our own child (an in-process `up`); otherwise it is reaped by init.
      var status: Int32 = 0
      _ = waitpid(pid, &status, WNOHANG)
      if !isOurSSHD(pid: pid, config: config) { return true }
      usleep(20_000)
    }
    return !isOurSSHD(pid: pid, config: config)
  }
}
