import CLibSSH
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How one authentication attempt ended.
enum AuthOutcome: Sendable {
  case success
  /// Accepted, but the server wants another method as well.
  case partial
  case denied(String)
}

/// How loading a private key file ended.
enum KeyLoadOutcome: Sendable {
  case loaded
  /// The file exists but could not be parsed without a passphrase: it is probably encrypted.
  case needsPassphrase
  case unusable(String)
}

/// The libssh session of one connection and every libssh call made on it.
///
/// Not thread-safe by design: only the connection's `SSHWorkerThread` calls into it, one job at a time, which is what
/// libssh requires of a session. That is the invariant behind `@unchecked Sendable`.
final class LibSSHSession: @unchecked Sendable {
  /// The caller's options until `prepare()`, then what ssh_config made of them (host, port, user, known_hosts).
  var options: SSHConnectionOptions
  /// The libssh session; nil before `connect` and after `disconnect`. Read by `LibSSHChannel` on the same thread.
  var session: ssh_session?
  private var privateKey: ssh_key?
  /// Where libssh's own log goes (`-vvv`); kept alive as long as the session, whose thread's callback points at it.
  var libsshLog: LibSSHLogSink?

  init(options: SSHConnectionOptions) {
    self.options = options
  }

  deinit {
    disconnect()
  }

  private var endpoint: String { options.endpoint }

  func error(_ kind: SSHError.Kind, _ message: String, advice: String? = nil) -> SSHError {
    SSHError(kind, endpoint: endpoint, message: message, advice: advice)
  }

  var lastError: String {
    guard let session, let text = ssh_get_error(UnsafeMutableRawPointer(session)) else { return "unknown error" }
    let message = String(cString: text)
    return message.isEmpty ? "unknown error" : message
  }

  // MARK: Connecting

  /// Opens the TCP connection (or uses `socket`, a tunnel through a jump host), runs the handshake and verifies the
  /// host key. Returns the presented key's description. `prepare()` must have run.
  func connect(socket: Int32? = nil) throws(SSHError) -> String {
    guard let session else { throw error(.connectFailed, "the session was not prepared") }
    if var socket {
      guard ssh_options_set(session, SSH_OPTIONS_FD, &socket) == SSH_OK else {
        throw error(.connectFailed, "libssh refused the tunnel's socket: \(lastError)")
      }
    }
    if ssh_connect(session) != SSH_OK {
      let reason = lastError
      // Out of descriptors, the socket cannot even be made: say so, not "host down".
      if reason.localizedCaseInsensitiveContains("too many open files") {
        throw error(
          .connectFailed, "could not connect: this process has no file descriptor left (\(reason))",
          advice: "Lower --concurrency, or raise the open-file limit (`ulimit -n`).")
      }
      // libssh's words for a peer whose greeting is not an SSH banner: say what that means.
      if reason.contains("banner") || reason.contains("Protocol mismatch") {
        throw error(
          .connectFailed, "could not connect: \(reason): the server on port \(options.port) does not speak SSH",
          advice: "Check the port: another service (web, RDP, TLS) listens there, not sshd.")
      }
      throw error(
        .connectFailed, "could not connect: \(reason)",
        advice: "Check that the host is up, that sshd listens on port \(options.port) and that no firewall blocks it.")
    }
    // What was negotiated from `keyExchanges` (libssh 0.10.6 has no post-quantum exchange: curve25519-sha256).
    if let kex = ssh_get_kex_algo(session) {
      options.logger.info("key exchange \(String(cString: kex)) with \(options.hostAndPort)")
    }
    return try verifyHostKey(session)
  }

  /// Sets the limit libssh applies to each blocking step from now on.
  func setTimeout(_ duration: Duration) {
    guard let session else { return }
    let (seconds, attoseconds) = duration.components
    var wholeSeconds = CLong(max(0, seconds))
    var microseconds = CLong(max(0, attoseconds / 1_000_000_000_000))
    if wholeSeconds == 0 && microseconds == 0 { microseconds = 1000 }
    _ = ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &wholeSeconds)
    _ = ssh_options_set(session, SSH_OPTIONS_TIMEOUT_USEC, &microseconds)
  }

  private func verifyHostKey(_ session: ssh_session) throws(SSHError) -> String {
    var serverKey: ssh_key?
    guard ssh_get_server_publickey(session, &serverKey) == SSH_OK, let serverKey else {
      throw error(.connectFailed, "the server did not present a host key: \(lastError)")
    }
    defer { ssh_key_free(serverKey) }
    let presented = HostKeyDescription(serverKey)
    var file = options.knownHostsFile
    let state = ssh_session_is_known_server(session)
    switch state {
    case SSH_KNOWN_HOSTS_OK:
      options.logger.info("host key \(presented.text) of \(options.hostAndPort) is known (\(knownHostsFiles))")
      return presented.text
    case SSH_KNOWN_HOSTS_CHANGED, SSH_KNOWN_HOSTS_OTHER:
      // Name the file that holds the other key: the user's known_hosts, or the global one.
      var expected = KnownHostsFile(path: file).keys(for: knownHostsName)
      if expected.isEmpty, let global = options.globalKnownHostsFile {
        let globalKeys = KnownHostsFile(path: global).keys(for: knownHostsName)
        if !globalKeys.isEmpty {
          expected = globalKeys
          file = global
        }
      }
      let expectedText = expected.isEmpty ? "a different key" : expected.joined(separator: "; ")
      throw error(
        .hostKeyChanged(expected: expected, presented: presented.text),
        "HOST KEY CHANGED for \(options.hostAndPort): \(file) expects \(expectedText), "
          + "but the server presented \(presented.text). Connection refused.",
        advice: "This can be a man-in-the-middle attack, or the host was reinstalled. Confirm the new fingerprint "
          + "with the host's administrator; if the change is expected, remove the old entry with "
          + "`ssh-keygen -R '\(knownHostsName)' -f \(file)` and connect again.")
    case SSH_KNOWN_HOSTS_UNKNOWN, SSH_KNOWN_HOSTS_NOT_FOUND:
      if options.hostKeyPolicy == .acceptNew {
        guard ssh_session_update_known_hosts(session) == SSH_OK else {
          throw error(
            .knownHostsFailed, "could not record the host key in \(file): \(lastError)",
            advice: "Check that the known_hosts file's folder exists and is writable.")
        }
        return presented.text
      }
      let why =
        FileManager.default.fileExists(atPath: file)
        ? "is not in the known_hosts file \(file)"
        : "cannot be checked: the known_hosts file \(file) does not exist"
      throw error(
        .hostKeyUnknown(presented: presented.text),
        "the host key of \(options.hostAndPort) \(why); the server presented \(presented.text). Connection refused.",
        advice: "Confirm this fingerprint with the host's administrator (on Windows: "
          + "`ssh-keygen -lf C:\\ProgramData\\ssh\\ssh_host_ed25519_key.pub`), then add it with "
          + "`ssh-keyscan -p \(options.port) \(options.host) >> \(file)`, "
          + "or connect once with the accept-new host key policy.")
    default:
      throw error(
        .knownHostsFailed, "could not check the host key against \(file): \(lastError)",
        advice: "Check that the known_hosts file is readable and well formed.")
    }
  }

  /// The known_hosts files checked, for the log.
  private var knownHostsFiles: String {
    [options.knownHostsFile, options.globalKnownHostsFile].compactMap { $0 }.joined(separator: ", ")
  }

  /// The name this host has in known_hosts: `host` on port 22, `[host]:port` otherwise.
  private var knownHostsName: String {
    let host = options.host.lowercased()
    return options.port == 22 ? host : "[\(host)]:\(options.port)"
  }

  // MARK: Authentication

  /// Tries the "none" method, which some servers accept and which makes the server list its methods.
  func authenticateNone() -> AuthOutcome {
    guard let session else { return .denied("not connected") }
    return outcome(ssh_userauth_none(session, nil), method: "none")
  }

  /// The methods the server said it accepts, in SSH's names (publickey, password, keyboard-interactive, ...), after a
  /// refused attempt (the "none" one first); empty when it said nothing.
  func offeredMethods() -> [String] {
    guard let session else { return [] }
    let offered = UInt32(bitPattern: ssh_userauth_list(session, nil))
    let names: [(UInt32, String)] = [
      (UInt32(SSH_AUTH_METHOD_PUBLICKEY), "publickey"), (UInt32(SSH_AUTH_METHOD_PASSWORD), "password"),
      (UInt32(SSH_AUTH_METHOD_INTERACTIVE), "keyboard-interactive"),
      (UInt32(SSH_AUTH_METHOD_HOSTBASED), "hostbased"), (UInt32(SSH_AUTH_METHOD_GSSAPI_MIC), "gssapi-with-mic"),
    ]
    return names.filter { offered & $0.0 != 0 }.map(\.1)
  }

  func authenticateAgent() -> AuthOutcome {
    guard let session else { return .denied("not connected") }
    guard let socket = ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"], !socket.isEmpty else {
      return .denied("ssh-agent: SSH_AUTH_SOCK is not set, so no agent is reachable")
    }
    return outcome(ssh_userauth_agent(session, nil), method: "ssh-agent (\(socket))")
  }

  func loadPrivateKey(path: String, passphrase: String?) -> KeyLoadOutcome {
    guard FileManager.default.isReadableFile(atPath: path) else {
      return .unusable("key file \(path) does not exist or is not readable")
    }
    var key: ssh_key?
    let rc = ssh_pki_import_privkey_file(path, passphrase, nil, nil, &key)
    if rc == SSH_OK, let key {
      if let old = privateKey { ssh_key_free(old) }
      privateKey = key
      return .loaded
    }
    if passphrase == nil { return .needsPassphrase }
    return .unusable("key file \(path) could not be decrypted (wrong passphrase?) or is not a private key")
  }

  func authenticateLoadedKey(path: String) -> AuthOutcome {
    guard let session, let privateKey else { return .denied("no key loaded") }
    defer {
      ssh_key_free(privateKey)
      self.privateKey = nil
    }
    return outcome(ssh_userauth_publickey(session, nil, privateKey), method: "public key \(path)")
  }

  /// Password method if offered, else keyboard-interactive answering every hidden prompt with the password.
  func authenticatePassword(_ password: String) -> AuthOutcome {
    guard let session else { return .denied("not connected") }
    let offered = UInt32(bitPattern: ssh_userauth_list(session, nil))
    var reasons: [String] = []
    if offered & SSH_AUTH_METHOD_PASSWORD != 0 || offered == 0 {
      let result = outcome(ssh_userauth_password(session, nil, password), method: "password")
      guard case .denied(let reason) = result else { return result }
      reasons.append(reason)
    }
    if offered & SSH_AUTH_METHOD_INTERACTIVE != 0 {
      var rc = ssh_userauth_kbdint(session, nil, nil)
      var rounds = 0
      while rc == SSH_AUTH_INFO.rawValue && rounds < 4 {
        rounds += 1
        for index in 0..<max(0, ssh_userauth_kbdint_getnprompts(session)) {
          var echo: CChar = 0
          _ = ssh_userauth_kbdint_getprompt(session, UInt32(index), &echo)
          if echo != 0 { return .denied("keyboard-interactive: the server asked a question other than a password") }
          _ = ssh_userauth_kbdint_setanswer(session, UInt32(index), password)
        }
        rc = ssh_userauth_kbdint(session, nil, nil)
      }
      let result = outcome(rc, method: "keyboard-interactive password")
      guard case .denied(let reason) = result else { return result }
      reasons.append(reason)
    }
    if reasons.isEmpty { return .denied("password: the server offers neither password nor keyboard-interactive") }
    return .denied(reasons.joined(separator: "; "))
  }

  private func outcome(_ rc: Int32, method: String) -> AuthOutcome {
    switch rc {
    case SSH_AUTH_SUCCESS.rawValue: return .success
    case SSH_AUTH_PARTIAL.rawValue: return .partial
    case SSH_AUTH_DENIED.rawValue: return .denied("\(method): refused by the server")
    default: return .denied("\(method): \(lastError)")
    }
  }

  /// True while the transport is still usable.
  var isAlive: Bool {
    guard let session else { return false }
    return ssh_is_connected(session) != 0 && ssh_get_status(session) & (SSH_CLOSED | SSH_CLOSED_ERROR) == 0
  }

  // MARK: Running a command

  /// Runs one command in a fresh exec channel, interleaving stdin writes with reads of both output streams.
  func run(
    command: String, stdin: Data?, timeout: Duration, limits: (stdout: Int, stderr: Int) = (64 << 20, 1 << 20),
    cancellation: CancellationFlag
  ) throws(SSHError) -> CommandResult {
    guard let session, isAlive else {
      throw error(.closed, "the connection is closed", advice: "Open a new connection.")
    }
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    let channel = try openChannel(session, running: command, until: deadline, timeout: timeout, clock: clock)
    defer { ssh_channel_free(channel) }

    let input = stdin ?? Data()
    var written = 0
    var inputClosed = false
    var output = ChannelOutput(limits: limits)
    var finished = [false, false]
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: ChannelPump.bufferSize, alignment: 16)
    defer { buffer.deallocate() }
    let pump = ChannelPump(channel: channel, buffer: buffer)

    /// Closes the channel and hands back `failure` with the output received so far.
    func abandon(_ failure: SSHError) -> SSHError {
      _ = ssh_channel_request_send_signal(channel, "KILL")
      ssh_channel_close(channel)
      return SSHError(
        failure.kind, endpoint: failure.endpoint, message: failure.message, advice: failure.advice,
        stdout: output.stdout, stderr: output.stderr)
    }

    /// The connection broke: keeps what libssh had already buffered for the channel, then abandons it.
    func lost(_ message: String) -> SSHError {
      let reason = lastError
      pump.salvage(into: &output)
      return abandon(error(.connectionLost, "\(message): \(reason)"))
    }

    while !(finished[0] && finished[1]) {
      if cancellation.isCancelled {
        throw abandon(error(.cancelled, "the command was cancelled; its channel was closed"))
      }
      if clock.now >= deadline {
        throw abandon(
          error(
            .commandTimedOut, "the command did not finish within \(timeout); its channel was closed",
            advice: "Raise the command timeout if the host is just slow."))
      }
      var progressed = false

      if !inputClosed {
        let rc = pump.write(input, written: &written)
        if rc > 0 {
          progressed = true
        } else if rc == SSH_ERROR {
          guard isAlive else { throw lost("the connection broke") }
          // The remote side closed its stdin; keep collecting output.
          written = input.count
        }
        if written >= input.count {
          _ = ssh_channel_send_eof(channel)
          inputClosed = true
        }
      }

      for stream in 0..<2 where !finished[stream] {
        switch pump.read(Int32(stream), into: &output) {
        case .data: progressed = true
        case .nothing: break
        case .ended: finished[stream] = true
        case .failed: throw lost("the connection broke while reading output")
        case .tooLarge:
          throw abandon(
            error(
              .outputTooLarge,
              "the command printed more than \(limits.stdout >> 20) MiB on stdout; its channel was closed",
              advice: "The host is not answering with a facts document: check what its shell prints."))
        }
      }

      if !progressed && !(finished[0] && finished[1]) {
        waitForSocket(until: deadline, clock: clock)
      }
    }

    // The exit status usually arrives with or just after EOF; wait for it no longer than the command's deadline.
    let remaining = deadline - clock.now
    setTimeout(max(remaining, .milliseconds(1)))
    let status = ssh_channel_get_exit_status(channel)
    setTimeout(options.connectTimeout)
    // -1 with the channel still open means no exit status arrived in time (or the connection broke).
    if status == -1 && ssh_channel_is_closed(channel) == 0 {
      if !isAlive { throw lost("the connection broke") }
      if clock.now >= deadline {
        throw abandon(
          error(
            .commandTimedOut, "the command closed its output but did not exit within \(timeout)",
            advice: "Raise the command timeout if the host is just slow."))
      }
    }
    ssh_channel_close(channel)
    if output.droppedStderr > 0 {
      output.stderr.append(Data("\n[\(output.droppedStderr) more bytes of stderr were dropped]\n".utf8))
    }
    return CommandResult(stdout: output.stdout, stderr: output.stderr, exitStatus: status)
  }

  /// Opens a session channel and starts `command` in it, waiting for the server's answers until `deadline`: opening
  /// a channel is part of running the command, so it has the command's time, not the connect timeout. A host that is
  /// merely slow to answer (its sshd busy with many sessions) is then reported as slow, not as refusing; a channel
  /// the server does refuse is `.channelFailed`.
  ///
  /// libssh returns SSH_AGAIN from a blocking open or request whose answer did not come within the session timeout
  /// (channels.c: "This needs to pass the SSH_AGAIN"), SSH_ERROR when the server said no.
  func openChannel(
    _ session: ssh_session, running command: String, until deadline: ContinuousClock.Instant, timeout: Duration,
    clock: ContinuousClock
  ) throws(SSHError) -> ssh_channel {
    guard let channel = ssh_channel_new(session) else {
      throw error(.channelFailed, "could not create a channel: \(lastError)")
    }
    defer { setTimeout(options.connectTimeout) }
    func slow(_ step: String) -> SSHError {
      error(
        .commandTimedOut,
        "the host accepted the connection but did not \(step) within \(timeout): its SSH server is busy or the "
          + "host is overloaded",
        advice: "Run fewer hosts at once, or raise the command timeout.")
    }
    setTimeout(max(deadline - clock.now, .milliseconds(1)))
    switch ssh_channel_open_session(channel) {
    case SSH_OK: break
    case SSH_AGAIN:
      ssh_channel_free(channel)
      throw slow("open a session channel")
    default:
      let reason = lastError
      ssh_channel_free(channel)
      throw error(.channelFailed, "the server refused a session channel: \(reason)")
    }
    setTimeout(max(deadline - clock.now, .milliseconds(1)))
    switch ssh_channel_request_exec(channel, command) {
    case SSH_OK: return channel
    case SSH_AGAIN:
      ssh_channel_close(channel)
      ssh_channel_free(channel)
      throw slow("start the command")
    default:
      let reason = lastError
      ssh_channel_close(channel)
      ssh_channel_free(channel)
      throw error(.channelFailed, "the server refused to run the command: \(reason)")
    }
  }

  /// Blocks until the socket is readable or the deadline comes, but at most `cancellationCheck` at a time.
  ///
  /// Call it only after a read made no progress: libssh may already hold buffered data for the channel, which poll()
  /// cannot see. Polling until the real deadline means a host that takes 10 s to answer costs a handful of wake-ups,
  /// not one every 20 ms. The cap exists only so the loop notices a cancelled task (Ctrl-C) within half a second:
  /// the cancellation flag is set from another thread and has no descriptor poll() could watch.
  func waitForSocket(until deadline: ContinuousClock.Instant, clock: ContinuousClock) {
    guard let session else { return }
    let remaining = min(deadline - clock.now, Self.cancellationCheck)
    let (seconds, attoseconds) = remaining.components
    let milliseconds = max(0, Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    let fd = ssh_get_fd(session)
    guard fd >= 0 else {
      usleep(UInt32(milliseconds) * 1000)
      return
    }
    var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    _ = poll(&descriptor, 1, milliseconds)
  }

  /// The longest a read loop sleeps before it looks at its cancellation flag again.
  static let cancellationCheck: Duration = .milliseconds(500)

  // MARK: Closing

  func disconnect() {
    if let privateKey {
      ssh_key_free(privateKey)
      self.privateKey = nil
    }
    if let session {
      ssh_disconnect(session)
      ssh_free(session)
      self.session = nil
    }
  }
}

/// A host key as people compare them: `ssh-ed25519 SHA256:...` (the same text `ssh-keygen -lf` shows).
struct HostKeyDescription {
  let type: String
  let fingerprint: String

  init(_ key: ssh_key) {
    if let name = ssh_key_type_to_char(ssh_key_type(key)) {
      type = String(cString: name)
    } else {
      type = "unknown-key-type"
    }
    var hash: UnsafeMutablePointer<UInt8>?
    var length = 0
    if ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK, let bytes = hash {
      let digest = Data(bytes: bytes, count: length)
      ssh_clean_pubkey_hash(&hash)
      var base64 = digest.base64EncodedString()
      while base64.hasSuffix("=") { base64.removeLast() }
      fingerprint = "SHA256:" + base64
    } else {
      fingerprint = "SHA256:(unavailable)"
    }
  }

  var text: String { "\(type) \(fingerprint)" }
}

/// Reads a known_hosts file to say which keys it records for a host (libssh only reports that they differ).
struct KnownHostsFile {
  let path: String

  /// `ssh-ed25519 SHA256:... (line 3)` for every entry matching `name` (`host` or `[host]:port`; hashed entries too).
  func keys(for name: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let text = String(decoding: data, as: UTF8.self)
    var keys: [String] = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("@") { continue }
      var entry: UnsafeMutablePointer<ssh_knownhosts_entry>?
      guard ssh_known_hosts_parse_line(name, line, &entry) == SSH_OK, let entry else { continue }
      defer { ssh_knownhosts_entry_free(entry) }
      if let key = entry.pointee.publickey {
        keys.append("\(HostKeyDescription(key).text) (line \(index + 1))")
      }
    }
    return keys
  }
}
