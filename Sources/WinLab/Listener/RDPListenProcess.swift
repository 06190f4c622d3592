import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The lab's RDP listener double as a background process: `winlab up` starts `winlab rdp-listen --dir DIR`, which
/// serves every host of DIR/lab.json until SIGTERM and reports its bindings in DIR/rdp-listen.json.
public enum RDPListenProcess {
  /// What the process reports after every change of its bindings.
  public struct Status: Codable, Sendable, Equatable {
    public var pid: Int32
    public var bindings: [RDPListenerDouble.Binding]
  }

  public static func statusFile(in directory: URL) -> URL { directory.appendingPathComponent("rdp-listen.json") }
  public static func logFile(in directory: URL) -> URL { directory.appendingPathComponent("rdp-listen.log") }

  /// The bindings the running double last reported.
  public static func status(in directory: URL) -> Status? {
    guard let data = try? Data(contentsOf: statusFile(in: directory)) else { return nil }
    return try? JSONDecoder().decode(Status.self, from: data)
  }

  /// Serves the lab in `directory` until the process is terminated (`winlab rdp-listen`).
  public static func serve(labDirectory directory: URL) -> Never {
    let pid = getpid()
    let file = statusFile(in: directory)
    let report: @Sendable ([RDPListenerDouble.Binding]) -> Void = { bindings in
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      if let data = try? encoder.encode(Status(pid: pid, bindings: bindings)) {
        try? AtomicFile.write(data, to: file)
      }
    }
    let double = RDPListenerDouble(labDirectory: directory, onChange: report)
    double.start()
    report(double.bindings)
    while true { sleep(3600) }
  }

  /// Starts `winlab rdp-listen --dir DIRECTORY` in its own session (as sshd daemonizes, so it outlives `winlab up`
  /// and a terminal's signals), with its output in DIR/rdp-listen.log, and waits until it has bound its listeners.
  static func spawn(winlabBinary: URL, labDirectory directory: URL, seconds: Double = 20) throws -> Int32 {
    try? FileManager.default.removeItem(at: statusFile(in: directory))
    let log = logFile(in: directory).path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(0x80))  // POSIX_SPAWN_SETSID
    let arguments = [winlabBinary.path, "rdp-listen", "--dir", directory.path]
    var argv = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, winlabBinary.path, &actions, &attributes, &argv, environ)
    guard result == 0 else {
      throw LabShellError("cannot start \(winlabBinary.path) rdp-listen: \(String(cString: strerror(result)))")
    }
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if status(in: directory)?.pid == pid { return pid }
      var code: Int32 = 0
      if waitpid(pid, &code, WNOHANG) == pid { break }
      usleep(20_000)
    }
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    let lastLines = text.split(separator: "\n").suffix(3).joined(separator: "; ")
    kill(pid, SIGKILL)
    throw LabShellError("the RDP listener double did not start: \(lastLines.isEmpty ? "no status" : lastLines)")
  }
}
