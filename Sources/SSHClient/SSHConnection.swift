import Foundation

/// One authenticated SSH connection to one host, on which commands run one after another.
///
/// All libssh work happens on a thread the connection owns (never on the Swift concurrency pool); the async methods
/// hand work to that thread and resume when it is done. Several `run` calls may be made in sequence (audit, apply,
/// verify); calls made concurrently are queued and run in order. `close()` ends the connection; dropping the last
/// reference closes it too.
public final class SSHConnection: SSHCommandRunning {
  /// What the connection used: the caller's options with ssh_config applied (host, port, user, key, known_hosts).
  public let options: SSHConnectionOptions
  /// The host key the server presented, as `type SHA256:fingerprint`.
  public let hostKey: String
  let worker: SSHWorkerThread
  let session: LibSSHSession
  /// The jump host this connection goes through, and the tunnel its worker pumps; closed after this connection.
  private let jumpHost: (connection: SSHConnection, tunnel: JumpTunnel)?
  /// Set when this connection closes: a tunnel it pumps for a target ends.
  private let tunnelStop = CancellationFlag()

  private init(
    options: SSHConnectionOptions, hostKey: String, worker: SSHWorkerThread, session: LibSSHSession,
    jumpHost: (connection: SSHConnection, tunnel: JumpTunnel)?
  ) {
    self.options = options
    self.hostKey = hostKey
    self.worker = worker
    self.session = session
    self.jumpHost = jumpHost
  }

  deinit {
    let session = session
    worker.submit { session.disconnect() }
    worker.stop()
    // Dropping the target's socket ends the pump; the jump host's connection closes when its last reference goes.
  }

  /// Reads the ssh_config files (if any), goes through the jump host (if any: `options.jump` or ProxyJump), connects,
  /// verifies the host key against the known_hosts files, and authenticates.
  ///
  /// - Throws: `SSHError` saying what failed and what to do; a jump host's failure names the jump host.
  public static func connect(_ options: SSHConnectionOptions) async throws -> SSHConnection {
    try validate(options)
    let session = LibSSHSession(options: options)
    let worker = SSHWorkerThread(name: "ssh \(options.endpoint)")
    let closedError = SSHError(.closed, endpoint: options.endpoint, message: "the connection was closed")
    var jumpHost: (connection: SSHConnection, tunnel: JumpTunnel)?
    let log = options.logger
    var step = "ssh_config"
    do {
      _ = try await worker.perform({ _ throws(SSHError) in try session.prepare() }, ifStopped: closedError)
      let resolved = session.options
      if resolved.authentication.isEmpty {
        throw SSHError(
          .invalidOptions, endpoint: resolved.endpoint,
          message: "no way to log in: no key file (inventory, --identity or ssh_config IdentityFile), no ssh-agent "
            + "and no password")
      }
      if let jump = resolved.jump {
        guard options.jumpAllowed else {
          throw SSHError(
            .invalidOptions, endpoint: resolved.endpoint,
            message:
              "ssh_config gives the jump host \(jump) a jump host of its own; winaudit goes through one jump host",
            advice: "Exclude the jump host from the ProxyJump's Host pattern (e.g. `Host * !\(jump.host)`).")
        }
        step = "jump host \(jump)"
        log.info("going through jump host \(jump) to \(resolved.hostAndPort)")
        let connection: SSHConnection
        do {
          connection = try await SSHConnection.connect(jumpHostOptions(jump, for: options))
        } catch let failure as SSHError {
          // Said of the jump host, so nobody goes looking for the fault on the target.
          throw SSHError(
            failure.kind, endpoint: "jump host \(failure.endpoint) (for \(resolved.hostAndPort))",
            message: failure.message, advice: failure.advice)
        }
        step = "tunnel through jump host \(jump)"
        let tunnel = try await connection.openTunnel(to: resolved.host, port: resolved.port)
        jumpHost = (connection, tunnel)
        log.info("jump host \(connection.options.endpoint) opened a channel to \(resolved.hostAndPort)")
      }
      step = "connect"
      log.info("connecting to \(resolved.endpoint)\(jumpHost == nil ? "" : " through the jump host")")
      let socket = jumpHost?.tunnel.targetSocket
      let hostKey = try await worker.perform(
        { _ throws(SSHError) in try session.connect(socket: socket) }, ifStopped: closedError)
      step = "authentication"
      try await authenticate(session: session, worker: worker, options: resolved, closedError: closedError)
      log.info("logged in to \(resolved.endpoint)")
      return SSHConnection(
        options: resolved, hostKey: hostKey, worker: worker, session: session, jumpHost: jumpHost)
    } catch {
      log.info("failed at \(step): \(error)")
      worker.submit { session.disconnect() }
      worker.stop()
      if let jumpHost { await jumpHost.connection.close() }
      throw error
    }
  }

  /// The jump host's options: its own host, port and user (from the `[user@]host[:port]` or its ssh_config entry,
  /// else port 22 and the local user, as `ssh -J`), the same ssh_config files, key files, agent, password and
  /// known_hosts as the target, and no jump host of its own.
  private static func jumpHostOptions(_ jump: SSHJumpHost, for target: SSHConnectionOptions) -> SSHConnectionOptions {
    var options = target
    options.host = jump.host
    options.port = jump.port ?? 22
    options.user =
      jump.user ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"]
      ?? "root"
    options.explicit.subtract([.port, .user])
    if jump.port != nil { options.explicit.insert(.port) }
    if jump.user != nil { options.explicit.insert(.user) }
    options.jump = nil
    options.jumpAllowed = false
    options.logger[metadataKey: "jump"] = "\(jump)"
    return options
  }

  /// Opens a `direct-tcpip` channel to `host`:`port` and starts pumping it on this connection's worker thread, which
  /// is given to the tunnel until it ends. Returns the tunnel, whose `targetSocket` the target's session uses.
  private func openTunnel(to host: String, port: Int) async throws(SSHError) -> JumpTunnel {
    let session = session
    let tunnel = try JumpTunnel(stop: tunnelStop)
    do {
      try await worker.perform(
        { _ throws(SSHError) in try tunnel.open(on: session, host: host, port: port) },
        ifStopped: SSHError(.closed, endpoint: options.endpoint, message: "the jump host's connection is closed"))
    } catch {
      tunnel.abandon()
      throw error
    }
    worker.submit { tunnel.pump(on: session) }
    return tunnel
  }

  /// Runs `command` on the host: writes `stdin` then EOF, collects stdout and stderr together, waits for the exit
  /// status. On timeout or cancellation the channel is closed and the connection stays usable.
  ///
  /// - Throws: `SSHError` (`.commandTimedOut`, `.connectionLost`, `.channelFailed`, `.closed`, `.cancelled`); once the
  ///   command ran, the error carries the output received before it failed (`stdout`, `stderr`).
  public func run(command: String, stdin: Data? = nil, timeout: Duration) async throws -> CommandResult {
    let session = session
    let limits = (stdout: options.outputLimit, stderr: options.errorLimit)
    return try await worker.perform(
      { flag throws(SSHError) in
        try session.run(command: command, stdin: stdin, timeout: timeout, limits: limits, cancellation: flag)
      },
      ifStopped: SSHError(
        .closed, endpoint: options.endpoint, message: "the connection is closed", advice: "Open a new connection."))
  }

  /// Disconnects. Commands already queued finish first; later calls fail with `.closed`.
  public func close() async {
    let session = session
    let closed = SSHError(.closed, endpoint: options.endpoint, message: "the connection is closed")
    // A tunnel this connection pumps for a target ends first, so the disconnect queued behind it can run.
    tunnelStop.cancel()
    _ = try? await worker.perform({ _ throws(SSHError) in session.disconnect() }, ifStopped: closed)
    worker.stop()
    if let jumpHost { await jumpHost.connection.close() }
  }

  private static func validate(_ options: SSHConnectionOptions) throws(SSHError) {
    func invalid(_ message: String) -> SSHError {
      SSHError(.invalidOptions, endpoint: options.endpoint, message: message)
    }
    if options.host.isEmpty { throw invalid("no host name or address given") }
    if !(1...65535).contains(options.port) { throw invalid("port \(options.port) is not between 1 and 65535") }
    if options.user.isEmpty { throw invalid("no user name given") }
    if options.knownHostsFile.isEmpty {
      throw invalid("no known_hosts file given: host keys must be checked against an explicit file")
    }
    if options.authentication.isEmpty && options.sshConfig == .none {
      throw invalid("no authentication method given (key file, agent, password)")
    }
  }

  private static func authenticate(
    session: LibSSHSession, worker: SSHWorkerThread, options: SSHConnectionOptions, closedError: SSHError
  ) async throws(SSHError) {
    func onWorker<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(SSHError) -> T {
      try await worker.perform({ _ throws(SSHError) in body() }, ifStopped: closedError)
    }
    var failures: [String] = []
    switch try await onWorker({ session.authenticateNone() }) {
    case .success: return
    case .partial, .denied: break
    }
    // What the server offers decides what is worth trying: no password is asked for (or read) when the server takes
    // neither password nor keyboard-interactive. An empty list (the server said nothing) tries everything.
    var offered = try await onWorker { session.offeredMethods() }
    let log = options.logger
    log.info(
      "authentication as \(options.user): the server offers \(offered.isEmpty ? "no method by name" : offered.joined(separator: ", "))"
    )
    func skipped(_ wanted: [String], _ what: String) -> Bool {
      guard !offered.isEmpty, !wanted.contains(where: offered.contains) else { return false }
      failures.append("\(what): not offered by the server")
      log.debug("authentication: skipping \(what): not offered by the server")
      return true
    }
    for method in options.authentication {
      if Task.isCancelled {
        throw SSHError(.cancelled, endpoint: options.endpoint, message: "cancelled while authenticating")
      }
      let outcome: AuthOutcome
      switch method {
      case .agent where skipped(["publickey"], "ssh-agent"), .publicKeyFile where skipped(["publickey"], "key files"),
        .password where skipped(["password", "keyboard-interactive"], "password"):
        continue
      case .agent:
        log.info("authentication: trying ssh-agent")
        outcome = try await onWorker { session.authenticateAgent() }
      case .publicKeyFile(let path, let passphraseSource):
        log.info("authentication: trying key file \(path)")
        var load = try await onWorker { session.loadPrivateKey(path: path, passphrase: nil) }
        if case .needsPassphrase = load {
          if let passphraseSource {
            switch await passphraseSource.resolve(prompt: "Passphrase for key \(path): ") {
            case .success(let passphrase):
              load = try await onWorker { session.loadPrivateKey(path: path, passphrase: passphrase) }
            case .failure(let missing):
              load = .unusable("key file \(path) needs a passphrase, but \(missing.reason)")
            }
          } else {
            load = .unusable(
              "key file \(path) could not be read without a passphrase (encrypted, or not a private key); "
                + "give its passphrase through an environment variable or the prompt")
          }
        }
        switch load {
        case .loaded: outcome = try await onWorker { session.authenticateLoadedKey(path: path) }
        case .needsPassphrase: outcome = .denied("key file \(path) needs a passphrase")
        case .unusable(let reason): outcome = .denied(reason)
        }
      case .password(let source):
        log.info("authentication: trying a password")
        switch await source.resolve(prompt: "Password for \(options.endpoint): ") {
        case .success(let password): outcome = try await onWorker { session.authenticatePassword(password) }
        case .failure(let missing): outcome = .denied("password: \(missing.reason)")
        }
      }
      switch outcome {
      case .success: return
      case .partial: failures.append("accepted one method, but the server requires another as well")
      case .denied(let reason):
        log.info("authentication: \(reason)")
        failures.append(reason)
      }
      if !(try await onWorker { session.isAlive }) { break }
      let now = try await onWorker { session.offeredMethods() }
      if !now.isEmpty { offered = now }
    }
    var uniqueFailures: [String] = []
    for failure in failures where !uniqueFailures.contains(failure) { uniqueFailures.append(failure) }
    let offeredText =
      offered.isEmpty ? "the server named no method" : "the server offered: \(offered.joined(separator: ", "))"
    throw SSHError(
      .authenticationFailed, endpoint: options.endpoint,
      message: "authentication failed (\(offeredText); tried: \(uniqueFailures.joined(separator: "; ")))",
      advice: "Check the user name and that the key is in the account's authorized_keys (for Windows administrators: "
        + "C:\\ProgramData\\ssh\\administrators_authorized_keys).")
  }
}
