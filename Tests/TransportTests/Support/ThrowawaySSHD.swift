import Foundation
import SSHClient

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// True when OpenSSH's server is installed, so tests that need a real sshd can run.
let sshdAvailable = FileManager.default.isExecutableFile(atPath: ThrowawaySSHD.sshdPath)

/// A private OpenSSH server on 127.0.0.1 for one test: its own host key, user key, authorized_keys and config in a
/// temporary folder, running in the foreground (`-D`) as our child, started with posix_spawn. Works as root (logs in as
/// root with a key) and as an ordinary user (logs in as that user). Call `stop()` when done; it also removes the
/// folder.
final class ThrowawaySSHD: @unchecked Sendable {
  static let sshdPath = "/usr/sbin/sshd"

  let directory: URL
  let port: Int
  let user: String
  private let pid: pid_t
  private let lock = NSLock()
  private var stopped = false

  var hostKeyPath: String { directory.appendingPathComponent("ssh_host_ed25519_key").path }
  var userKeyPath: String { directory.appendingPathComponent("id_ed25519").path }
  var logPath: String { directory.appendingPathComponent("sshd.log").path }

  /// Starts sshd; `forceCommand` makes every session run that command instead of the requested one.
  /// `extraConfig` lines go first, so they win over the defaults below (sshd keeps the first value it reads).
  static func start(forceCommand: String? = nil, extraConfig: [String] = []) async throws -> ThrowawaySSHD {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("winaudit-sshd-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let hostKey = directory.appendingPathComponent("ssh_host_ed25519_key").path
    let userKey = directory.appendingPathComponent("id_ed25519").path
    try Tool.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test-host", "-f", hostKey])
    try Tool.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test-user", "-f", userKey])
    try FileManager.default.copyItem(
      atPath: userKey + ".pub", toPath: directory.appendingPathComponent("authorized_keys").path)
    if getuid() == 0 && !FileManager.default.fileExists(atPath: "/run/sshd") {
      // sshd running as root insists on its privilege separation directory, which a container may not have yet.
      try FileManager.default.createDirectory(
        atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }
    let user = currentUserName()
    let log = directory.appendingPathComponent("sshd.log").path
    for _ in 0..<5 {
      let port = try freeLoopbackPort()
      let config = directory.appendingPathComponent("sshd_config")
      var lines = [
        "ListenAddress 127.0.0.1",
        "Port \(port)",
        "HostKey \(hostKey)",
        "AuthorizedKeysFile \(directory.path)/authorized_keys",
        "StrictModes no",
        "UsePAM no",
        "PidFile \(directory.path)/sshd.pid",
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "MaxStartups 200",
        "MaxSessions 100",
        "LogLevel ERROR",
        // bash started by sshd sources ~/.bashrc unless it is nested: an inherited SHLVL of 1 makes it level 2, so the
        // account's start-up files (pyenv init, which races other shells and prints to stderr) stay out of commands.
        "SetEnv SHLVL=1",
      ]
      lines.insert(contentsOf: extraConfig, at: 0)
      if let forceCommand { lines.append("ForceCommand \(forceCommand)") }
      try (lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
      let pid = try Tool.spawn(sshdPath, ["-D", "-e", "-f", config.path], stdout: "/dev/null", stderr: log)
      if await waitUntilListening(port: port, pid: pid) {
        return ThrowawaySSHD(directory: directory, port: port, user: user, pid: pid)
      }
      Tool.terminate(pid)
    }
    let why = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: directory)
    throw ToolFailure(message: "sshd did not start: \(why)")
  }

  private init(directory: URL, port: Int, user: String, pid: pid_t) {
    self.directory = directory
    self.port = port
    self.user = user
    self.pid = pid
  }

  deinit {
    stop()
  }

  /// Stops sshd and removes its folder. Safe to call more than once.
  func stop() {
    lock.lock()
    let alreadyStopped = stopped
    stopped = true
    lock.unlock()
    if alreadyStopped { return }
    Tool.terminate(pid)
    try? FileManager.default.removeItem(at: directory)
  }

  /// Sends `signal` to every process serving a connection (the listener's descendants), never to the listener: SIGSTOP
  /// makes a connected server stop answering, as an overloaded host does; SIGCONT lets it go on.
  func signalSessions(_ signal: Int32) {
    var pending = [pid]
    var sessions: [pid_t] = []
    while let parent = pending.popLast() {
      let list = (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)) ?? ""
      let children = list.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
      sessions += children
      pending += children
    }
    for session in sessions { kill(session, signal) }
  }

  /// The host key as `ssh-keygen -lf` reports it, in SSHConnection's form: `ssh-ed25519 SHA256:...`.
  func hostKeyFingerprint() throws -> String {
    try Self.fingerprint(ofPublicKey: hostKeyPath + ".pub")
  }

  /// A known_hosts line for this server (`[127.0.0.1]:port ssh-ed25519 AAAA...`).
  func knownHostsLine() throws -> String {
    let publicKey = try String(contentsOfFile: hostKeyPath + ".pub", encoding: .utf8)
    let fields = publicKey.split(separator: " ")
    return "[127.0.0.1]:\(port) \(fields[0]) \(fields[1])"
  }

  /// Writes a known_hosts file in the server's folder holding `lines`, and returns its path.
  func writeKnownHosts(_ lines: [String], name: String = "known_hosts") throws -> String {
    let path = directory.appendingPathComponent(name).path
    try (lines.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Connection options for this server, logging in with the generated user key.
  func options(
    knownHostsFile: String, policy: SSHHostKeyPolicy = .strict, authentication: [SSHAuthenticationMethod]? = nil
  ) -> SSHConnectionOptions {
    SSHConnectionOptions(
      host: "127.0.0.1", port: port, user: user, connectTimeout: .seconds(60),
      authentication: authentication ?? [.publicKeyFile(path: userKeyPath)],
      knownHostsFile: knownHostsFile, hostKeyPolicy: policy)
  }

  /// Options with a known_hosts file that already trusts this server.
  func trustedOptions() throws -> SSHConnectionOptions {
    options(knownHostsFile: try writeKnownHosts([knownHostsLine()], name: "trusted_known_hosts"))
  }

  static func fingerprint(ofPublicKey path: String) throws -> String {
    // "256 SHA256:abc comment (ED25519)"
    let output = try Tool.run("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", path])
    let fields = output.split(separator: " ")
    let type = try String(contentsOfFile: path, encoding: .utf8).split(separator: " ")[0]
    return "\(type) \(fields[1])"
  }

  private static func currentUserName() -> String {
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return ProcessInfo.processInfo.environment["USER"] ?? "root"
  }

  private static func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ToolFailure(message: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
      }
    }
    guard bound else { throw ToolFailure(message: "could not find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  private static func waitUntilListening(port: Int, pid: pid_t) async -> Bool {
    for _ in 0..<500 {
      if Tool.hasExited(pid) { return false }
      if canConnect(port: port) { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return false
  }

  static func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}

struct ToolFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

/// Starts and waits for child processes with posix_spawn and waitpid (Foundation's Process can hang in waitUntilExit
/// when many tests use it at once).
enum Tool {
  /// Runs a tool to completion and returns its stdout; throws with its stderr when it fails.
  @discardableResult
  static func run(_ path: String, _ arguments: [String]) throws -> String {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)").path
    defer {
      unlink(base + ".out")
      unlink(base + ".err")
    }
    let pid = try spawn(path, arguments, stdout: base + ".out", stderr: base + ".err")
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let output = FileManager.default.contents(atPath: base + ".out") ?? Data()
    let errors = FileManager.default.contents(atPath: base + ".err") ?? Data()
    guard status == 0 else {
      throw ToolFailure(
        message: "\(path) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Starts `path` with stdin from /dev/null and stdout and stderr into the given files.
  static func spawn(_ path: String, _ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
    #if canImport(Glibc)
      var actions = posix_spawn_file_actions_t()
    #else
      var actions: posix_spawn_file_actions_t?
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard rc == 0 else { throw ToolFailure(message: "could not start \(path): error \(rc)") }
    return pid
  }

  static func hasExited(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) == pid
  }

  /// Sends SIGTERM and reaps the process.
  static func terminate(_ pid: pid_t) {
    kill(pid, SIGTERM)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
  }
}
