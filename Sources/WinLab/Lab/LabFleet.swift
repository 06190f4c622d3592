import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Starts and stops lab fleets: `winlab up` / `winlab down`, and the same in-process for end-to-end tests.
///
/// Each host gets a real OpenSSH server (Debian's /usr/sbin/sshd) on its own loopback address whose ForceCommand is
/// `winlab shell --host-dir DIR/hosts/NAME`, so a client talks plain SSH to something that behaves like a Windows host.
public enum LabFleet {
  /// Options that let tests run labs side by side.
  public struct Options: Sendable {
    /// Only these hosts of the fleet (all when nil).
    public var hosts: [String]?
    /// Replaces the first three octets of every default address (`127.0.20` gives 127.0.20.1, 127.0.20.2, ...).
    public var addressPrefix: String?
    /// Replaces every host's port.
    public var port: Int?
    /// Replaces the fleet's powershell.exe start-up time.
    public var startupMilliseconds: Int?
    /// Starts the RDP listener double (`winlab rdp-listen`) beside the sshd servers.
    public var rdpListener: Bool

    public init(
      hosts: [String]? = nil, addressPrefix: String? = nil, port: Int? = nil, startupMilliseconds: Int? = nil,
      rdpListener: Bool = true
    ) {
      self.hosts = hosts
      self.addressPrefix = addressPrefix
      self.port = port
      self.startupMilliseconds = startupMilliseconds
      self.rdpListener = rdpListener
    }
  }

  /// The message when Debian's OpenSSH server is not installed.
  public static let sshdMissing = "sshd not found: install it with `apt-get install openssh-server`"

  /// Starts one sshd per host of `fleetFile`, writing the lab into `dir`; `winlabBinary` is the login shell's binary.
  /// A lab already running in `dir` is stopped first.
  public static func up(fleetFile: URL, dir: URL, winlabBinary: URL, options: Options = Options()) throws -> Lab {
    let fleet = try FleetFile.load(from: fleetFile)
    guard let sshd = Subprocess.find("sshd", candidates: ["/usr/sbin/sshd", "/usr/local/sbin/sshd"]) else {
      throw LabShellError(sshdMissing)
    }
    guard let keygen = Subprocess.find("ssh-keygen", candidates: ["/usr/bin/ssh-keygen"]) else {
      throw LabShellError("ssh-keygen not found: install it with `apt-get install openssh-client`")
    }
    guard FileManager.default.isExecutableFile(atPath: winlabBinary.path) else {
      throw LabShellError("the winlab binary \(winlabBinary.path) does not exist: run `swift build` first")
    }
    var selected = fleet.hosts.enumerated().map { ($0.offset, $0.element) }
    if let names = options.hosts {
      for name in names where !fleet.hosts.contains(where: { $0.name == name }) {
        throw LabShellError("\(fleetFile.path) has no host \(name)")
      }
      selected = selected.filter { names.contains($0.1.name) }
    }

    let directory = dir.standardizedFileURL
    let fileManager = FileManager.default
    try fileManager.createDirectory(at: directory.appendingPathComponent("hosts"), withIntermediateDirectories: true)
    if let previous = try Lab.load(from: directory) { try previous.down() }
    try stopOrphans(in: directory, hosts: selected.map(\.1.name))
    if geteuid() == 0 {
      // sshd's privilege separation directory; Debian creates it only when the service starts.
      try fileManager.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
      chmod("/run/sshd", 0o755)
    }

    try checkAddressPrefix(options.addressPrefix, hostCount: (selected.map(\.0).max() ?? 0) + 1)
    let identity = directory.appendingPathComponent("id_ed25519")
    if !fileManager.fileExists(atPath: identity.path) {
      try generateKey(keygen, at: identity, comment: "winlab")
    }
    let publicKey = try String(contentsOf: identity.appendingPathExtension("pub"), encoding: .utf8)
    let authorizedKeys = directory.appendingPathComponent("authorized_keys")
    try AtomicFile.write(Data(publicKey.utf8), to: authorizedKeys)
    chmod(identity.path, 0o600)

    let states = try realisedStates(selected.map(\.1), in: directory)
    let user = currentUserName()
    var servers: [Lab.Server] = []
    var knownHosts: [String] = []
    var lab = Lab(directory: directory.path, user: user, servers: [])
    do {
      for (index, host) in selected {
        let address = hostAddress(host.address, index: index, prefix: options.addressPrefix)
        let port = options.port ?? host.port ?? fleet.port
        let hostDirectory = folder(of: host, in: directory)
        guard let state = states[host.name] else { continue }
        try AtomicFile.write(state.jsonData(), to: hostDirectory.stateFile)
        try? fileManager.removeItem(at: hostDirectory.processCount)
        try HostSettings(
          name: host.name, startupMilliseconds: options.startupMilliseconds ?? fleet.startupMilliseconds,
          slowCmdlets: host.slowCmdlets, truncateStdinAfter: host.truncateStdinAfter, rdpNetwork: host.rdpNetwork
        ).save(to: hostDirectory)
        if !fileManager.fileExists(atPath: hostDirectory.hostKey.path) {
          try generateKey(keygen, at: hostDirectory.hostKey, comment: host.name)
        }
        let config = SSHDConfig(
          address: address, port: port, host: hostDirectory, authorizedKeys: authorizedKeys, user: user,
          winlabBinary: winlabBinary)
        try AtomicFile.write(Data(config.text.utf8), to: hostDirectory.sshdConfig)
        try? fileManager.removeItem(at: hostDirectory.sshdPidFile)

        let pid = try startSSHD(sshd, host: hostDirectory, name: host.name)
        let server = Lab.Server(
          name: host.name, address: address, port: port, pid: pid, config: hostDirectory.sshdConfig.path,
          hostDirectory: hostDirectory.url.path, powershellDefaultShell: state.defaultShellIsPowerShell)
        servers.append(server)
        lab.servers = servers
        try lab.save()

        let hostKey = try String(contentsOf: hostDirectory.hostKey.appendingPathExtension("pub"), encoding: .utf8)
        let keyFields = hostKey.split(separator: " ").prefix(2).joined(separator: " ")
        knownHosts.append((port == 22 ? address : "[\(address)]:\(port)") + " " + keyFields)
      }
      for server in servers {
        try waitUntilAccepting(address: server.address, port: server.port, name: server.name, seconds: 15)
      }
      if options.rdpListener {
        lab.rdpListenerPid = try RDPListenProcess.spawn(winlabBinary: winlabBinary, labDirectory: directory)
        try lab.save()
      }
    } catch {
      _ = try? lab.down()
      throw error
    }
    try AtomicFile.write(Data((knownHosts.joined(separator: "\n") + "\n").utf8), to: lab.knownHosts)
    try AtomicFile.write(Data(inventoryYAML(lab, defaultPort: options.port ?? fleet.port).utf8), to: lab.inventory)
    return lab
  }

  static func folder(of host: FleetFile.Host, in directory: URL) -> HostDirectory {
    HostDirectory(directory.appendingPathComponent("hosts").appendingPathComponent(host.name))
  }

  /// Every host's state with its certificates made real (`HostState.realiseCertificates`), their PEMs written to the
  /// host's tls folder (emptied first), and a middlebox certificate for `rdpNetwork: proxy` hosts. Key generation is
  /// the slow part, so hosts are done in parallel.
  static func realisedStates(_ hosts: [FleetFile.Host], in directory: URL) throws -> [String: HostState] {
    let results = ResultSlots<HostState>(count: hosts.count)
    DispatchQueue.concurrentPerform(iterations: hosts.count) { index in
      let host = hosts[index]
      results.set(index) {
        let hostDirectory = folder(of: host, in: directory)
        try FileManager.default.createDirectory(at: hostDirectory.url, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: hostDirectory.tlsDirectory)
        var state: HostState
        do throws(HostStateError) {
          state = try HostState.load(from: host.state)
        } catch {
          throw LabShellError(error.message)
        }
        try hostDirectory.realiseCertificates(of: &state)
        if host.rdpNetwork == .proxy {
          let now = state.now
          let proxy = try CertificateMinter.mint(
            subject: RDPNetwork.proxySubject, issuer: RDPNetwork.proxySubject,
            notBefore: now.addingTimeInterval(-86_400),
            notAfter: now.addingTimeInterval(365 * 86_400), key: CertificateMinter.labKey)
          try hostDirectory.writePrivate(Data(proxy.pem.utf8), to: hostDirectory.proxyCertificatePEM)
        }
        return state
      }
    }
    var states: [String: HostState] = [:]
    for (index, host) in hosts.enumerated() { states[host.name] = try results.get(index) }
    return states
  }

  /// Stops sshd servers still running on this folder's configs whose record is gone (a lab folder deleted or rewritten
  /// while its servers ran): they hold the addresses the new servers need. Matched by config path, so only servers
  /// started for this very folder are touched.
  private static func stopOrphans(in directory: URL, hosts: [String]) throws {
    let configs = hosts.map {
      HostDirectory(directory.appendingPathComponent("hosts").appendingPathComponent($0)).sshdConfig.path
    }
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
    var orphans: [Lab.Server] = []
    for pid in pids {
      for (name, config) in zip(hosts, configs) where Lab.isOurSSHD(pid: pid, config: config) {
        orphans.append(
          Lab.Server(
            name: name, address: "", port: 0, pid: pid, config: config, hostDirectory: "",
            powershellDefaultShell: false))
      }
    }
    if !orphans.isEmpty {
      try Lab(directory: directory.path, user: currentUserName(), servers: orphans).down()
    }
    for pid in pids where Lab.isOurRDPListener(pid: pid, directory: directory.path) {
      Lab.stop(pid: pid) { Lab.isOurRDPListener(pid: $0, directory: directory.path) }
    }
  }

  /// The lab's inventory, in winaudit's YAML inventory form.
  static func inventoryYAML(_ lab: Lab, defaultPort: Int) -> String {
    var lines = [
      "# Written by `winlab up`: the lab's hosts, reachable with the lab key.",
      "defaults:",
      "  user: \(lab.user)",
      "  port: \(defaultPort)",
      "  identity: id_ed25519",
      "  known_hosts: known_hosts",
      "  shell: cmd",
      "hosts:",
    ]
    for server in lab.servers {
      lines.append("  - name: \(server.name)")
      lines.append("    address: \(server.address)")
      lines.append("    port: \(server.port)")
      lines.append("    tags: [lab]")
      if server.powershellDefaultShell { lines.append("    shell: powershell") }
    }
    lines.append("groups:")
    lines.append("  lab: [\(lab.servers.map(\.name).joined(separator: ", "))]")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The address of the `index`-th host (0-based): `<prefix>.1` to `<prefix>.254`, then on into the next prefixes
  /// (`127.0.40` with 600 hosts: 127.0.40.1-254, 127.0.41.1-254, 127.0.42.1-92), since one /24 holds 254 host
  /// addresses. Without a prefix, the fleet file's address or the same numbering from 127.0.10.
  static func hostAddress(_ configured: String?, index: Int, prefix: String?) -> String {
    if prefix == nil, let configured { return configured }
    let base = prefix ?? "127.0.10"
    let octets = base.split(separator: ".", omittingEmptySubsequences: false)
    guard octets.count == 3, let third = Int(octets[2]) else { return "\(base).\(index + 1)" }
    return "\(octets[0]).\(octets[1]).\(third + index / 254).\(index % 254 + 1)"
  }

  /// Refuses a prefix that is not three octets, or a fleet too large to number from it (past x.y.255.254).
  static func checkAddressPrefix(_ prefix: String?, hostCount: Int) throws {
    guard let prefix else { return }
    let octets = prefix.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
    guard octets.count == 3, octets.allSatisfy({ $0.map { (0...255).contains($0) } ?? false }) else {
      throw LabShellError("--address-prefix \(prefix): give three octets, such as 127.0.40")
    }
    let last = (octets[2] ?? 0) + max(0, hostCount - 1) / 254
    guard last <= 255 else {
      throw LabShellError(
        "--address-prefix \(prefix): \(hostCount) hosts need 254 addresses per prefix, up to \(octets[0] ?? 0)."
          + "\(octets[1] ?? 0).\(last).x, past 255: start from a lower prefix")
    }
  }

  private static func generateKey(_ keygen: String, at url: URL, comment: String) throws {
    try? FileManager.default.removeItem(at: url)
    try? FileManager.default.removeItem(at: url.appendingPathExtension("pub"))
    let result = try Subprocess.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", url.path])
    guard result.status == 0 else {
      throw LabShellError("ssh-keygen failed for \(url.path): \(result.error)")
    }
  }

  /// Starts sshd (it daemonizes once its listener is bound) and returns the daemon's pid from its PidFile.
  private static func startSSHD(_ sshd: String, host: HostDirectory, name: String) throws -> Int32 {
    let result = try Subprocess.run(sshd, ["-f", host.sshdConfig.path, "-E", host.sshdLog.path])
    guard result.status == 0 else {
      let log = (try? String(contentsOf: host.sshdLog, encoding: .utf8)) ?? ""
      let lastLines = log.split(separator: "\n").suffix(5).joined(separator: "\n")
      throw LabShellError("sshd for \(name) did not start (exit \(result.status)): \(result.error)\(lastLines)")
    }
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      if let text = try? String(contentsOf: host.sshdPidFile, encoding: .utf8),
        let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        return pid
      }
      usleep(10_000)
    }
    // sshd reports a failed bind (an address still held by a server from an earlier lab) only in its log.
    let log = (try? String(contentsOf: host.sshdLog, encoding: .utf8)) ?? ""
    let lastLines = log.split(separator: "\n").suffix(3).joined(separator: "; ")
    throw LabShellError("sshd for \(name) did not start: \(lastLines.isEmpty ? "no pid file" : lastLines)")
  }

  private static func waitUntilAccepting(address: String, port: Int, name: String, seconds: Double) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if canConnect(address: address, port: port) { return }
      usleep(20_000)
    }
    throw LabShellError("sshd for \(name) does not accept connections on \(address):\(port)")
  }

  static func canConnect(address: String, port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var socketAddress = sockaddr_in()
    socketAddress.sin_family = sa_family_t(AF_INET)
    socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else { return false }
    let result = withUnsafePointer(to: &socketAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    return result == 0
  }

  /// The name of the user running the lab (root in CI): the only user the lab's sshd lets in.
  public static func currentUserName() -> String {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return ProcessInfo.processInfo.environment["USER"] ?? "root"
  }
}

/// Results of parallel work by index, each set once from any thread.
private final class ResultSlots<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<Value, Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ work: () throws -> Value) {
    let result = Result { try work() }
    lock.withLock { slots[index] = result }
  }

  func get(_ index: Int) throws -> Value {
    guard let result = lock.withLock({ slots[index] }) else { throw LabShellError("no result for host \(index)") }
    return try result.get()
  }
}
