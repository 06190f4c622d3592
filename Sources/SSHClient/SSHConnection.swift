import Foundation

/// One authenticated SSH connection to one host, on which commands run one after another.
///
/// All libssh work happens on a thread the connection owns (never on the Swift concurrency pool); the async methods
/// hand work to that thread and resume when it is done. Several `run` calls may be made in sequence (audit, apply,
/// verify); calls made concurrently are queued and run in order. `close()` ends the connection; dropping the last
/// reference closes it too.
public final class SSHConnection: SSHCommandRunning {
  public let options: SSHConnectionOptions
  /// The host key the server presented, as `type SHA256:fingerprint`.
  public let hostKey: String
  let worker: SSHWorkerThread
  let session: LibSSHSession

  private init(options: SSHConnectionOptions, hostKey: String, worker: SSHWorkerThread, session: LibSSHSession) {
    self.options = options
    self.hostKey = hostKey
    self.worker = worker
    self.session = session
  }

  deinit {
    let session = session
    worker.submit { session.disconnect() }
    worker.stop()
  }

  /// Connects, verifies the host key against `options.knownHostsFile`, and authenticates.
  ///
  /// - Throws: `SSHError` saying what failed and what to do.
  public static func connect(_ options: SSHConnectionOptions) async throws -> SSHConnection {
    try validate(options)
    let session = LibSSHSession(options: options)
    let worker = SSHWorkerThread(name: "ssh \(options.endpoint)")
    let closedError = SSHError(.closed, endpoint: options.endpoint, message: "the connection was closed")
    do {
      let hostKey = try await worker.perform({ _ throws(SSHError) in try session.connect() }, ifStopped: closedError)
      try await authenticate(session: session, worker: worker, options: options, closedError: closedError)
      return SSHConnection(options: options, hostKey: hostKey, worker: worker, session: session)
    } catch {
      worker.submit { session.disconnect() }
      worker.stop()
      throw error
    }
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
    _ = try? await worker.perform({ _ throws(SSHError) in session.disconnect() }, ifStopped: closed)
    worker.stop()
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
    if options.authentication.isEmpty { throw invalid("no authentication method given (key file, agent, password)") }
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
    func skipped(_ wanted: [String], _ what: String) -> Bool {
      guard !offered.isEmpty, !wanted.contains(where: offered.contains) else { return false }
      failures.append("\(what): not offered by the server")
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
        outcome = try await onWorker { session.authenticateAgent() }
      case .publicKeyFile(let path, let passphraseSource):
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
        switch await source.resolve(prompt: "Password for \(options.endpoint): ") {
        case .success(let password): outcome = try await onWorker { session.authenticatePassword(password) }
        case .failure(let missing): outcome = .denied("password: \(missing.reason)")
        }
      }
      switch outcome {
      case .success: return
      case .partial: failures.append("accepted one method, but the server requires another as well")
      case .denied(let reason): failures.append(reason)
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
