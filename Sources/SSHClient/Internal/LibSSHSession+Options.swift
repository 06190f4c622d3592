import CLibSSH
import Foundation
import Logging

/// ssh_init() once per process, before the first session; Swift runs a global's initializer exactly once.
private let libsshReady: Int32 = ssh_init()

extension LibSSHSession {
  /// The key exchanges offered, in order: the post-quantum hybrids where this libssh has them (libssh 0.11 adds
  /// sntrup761x25519 but offers curve25519 first; later versions add mlkem768x25519), then libssh's own default list
  /// (src/kex.c DEFAULT_KEY_EXCHANGE). libssh drops the names it does not know, so with Debian 12's libssh 0.10.6 this
  /// is its default list, and curve25519-sha256 is what gets negotiated (`-v` says so).
  static let keyExchanges = [
    "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
    "curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384",
    "ecdh-sha2-nistp521", "diffie-hellman-group18-sha512", "diffie-hellman-group16-sha512",
    "diffie-hellman-group-exchange-sha256", "diffie-hellman-group14-sha256",
  ].joined(separator: ",")

  /// Creates the libssh session and sets its options: the host name first (an ssh_config alias matches it), then the
  /// ssh_config files, then the options the caller gave on purpose, which win. libssh 0.10's parser overrides
  /// options set before it (all but User), so the order is what makes inventory values win. Afterwards `options`
  /// holds the resolved host, port, user, key and known_hosts files, which errors and the log name.
  ///
  /// Returns what the ssh_config files decided (empty without them).
  func prepare() throws(SSHError) -> SSHConfigOutcome {
    guard libsshReady == SSH_OK else { throw error(.connectFailed, "libssh failed to initialise (ssh_init)") }
    guard let session = ssh_new() else { throw error(.connectFailed, "libssh could not allocate a session") }
    self.session = session
    // libssh's log callback, level and userdata are per thread; this session's worker thread is its own. The sink
    // forwards libssh's log at -vvv, and always notes the ssh_config keywords libssh skips.
    let sink = LibSSHLogSink(logger: options.logger, forward: options.logger.logLevel <= .trace)
    libsshLog = sink
    sink.install(on: session)
    func set(_ what: String, _ body: () -> Int32) throws(SSHError) {
      if body() != SSH_OK {
        throw error(.invalidOptions, "libssh rejected the \(what) option: \(lastError)")
      }
    }
    try set("host") { ssh_options_set(session, SSH_OPTIONS_HOST, options.host) }
    var processConfig = false
    try set("config processing") { ssh_options_set(session, SSH_OPTIONS_PROCESS_CONFIG, &processConfig) }
    // A default timeout goes in before the files, so a ConnectTimeout there replaces it.
    if !options.explicit.contains(.connectTimeout) { setTimeout(options.connectTimeout) }
    // The post-quantum key exchanges first where this libssh has them; before the files, so KexAlgorithms wins.
    try set("key exchange") { ssh_options_set(session, SSH_OPTIONS_KEY_EXCHANGE, Self.keyExchanges) }

    var outcome = SSHConfigOutcome()
    let files = options.sshConfig.paths
    if !files.isEmpty {
      sink.notingSkippedKeywords(true, on: session)
      for file in files {
        if case .file = options.sshConfig, !FileManager.default.isReadableFile(atPath: file) {
          throw error(
            .invalidOptions, "the ssh_config file \(file) does not exist or is not readable",
            advice: "Check --ssh-config, or use --no-ssh-config.")
        }
        sink.file = file
        guard ssh_options_parse_config(session, file) == SSH_OK else {
          throw error(
            .invalidOptions, "libssh could not use the ssh_config file \(file): \(lastError)",
            advice: "Fix the file, or use --no-ssh-config.")
        }
      }
      sink.notingSkippedKeywords(false, on: session)
      for (note, matters) in sink.skipped {
        if matters { options.logger.warning("\(note)") } else { options.logger.debug("\(note)") }
      }
      outcome = try readBack(session)
      options.logger.info(
        "ssh_config \(files.joined(separator: ", ")) for \(options.host): \(outcome.summary)")
    } else {
      options.logger.debug("ssh_config: not read (--no-ssh-config)")
    }
    // Host keys are always checked: libssh turns an unknown host into a known one under `StrictHostKeyChecking no`.
    var strict: Int32 = 1
    try set("strict host key checking") { ssh_options_set(session, SSH_OPTIONS_STRICTHOSTKEYCHECK, &strict) }
    // A ProxyJump becomes our own tunnel (SSHConnection.connect), never a `ssh -W` child process.
    try set("proxy command") { ssh_options_set(session, SSH_OPTIONS_PROXYCOMMAND, "none") }

    var resolved = options
    if let host = outcome.host { resolved.host = host }
    if !options.explicit.contains(.port), let port = outcome.port { resolved.port = port }
    if !options.explicit.contains(.user), let user = outcome.user { resolved.user = user }
    if !options.explicit.contains(.knownHosts), let file = outcome.knownHosts { resolved.knownHostsFile = file }
    if resolved.globalKnownHostsFile == nil {
      resolved.globalKnownHostsFile = outcome.globalKnownHosts ?? "/etc/ssh/ssh_known_hosts"
    }
    if !options.explicit.contains(.identity), let identity = outcome.identity {
      // The key ssh_config names replaces the default key files; ssh-agent and a password stay as they were.
      let others = options.authentication.filter {
        if case .publicKeyFile = $0 { return false }
        return true
      }
      resolved.authentication =
        [.publicKeyFile(path: identity, passphrase: options.configKeyPassphrase)] + others
    }
    if resolved.jump == nil { resolved.jump = outcome.jump }
    var port = UInt32(resolved.port)
    try set("port") { ssh_options_set(session, SSH_OPTIONS_PORT, &port) }
    try set("user") { ssh_options_set(session, SSH_OPTIONS_USER, resolved.user) }
    try set("known_hosts") { ssh_options_set(session, SSH_OPTIONS_KNOWNHOSTS, resolved.knownHostsFile) }
    try set("global known_hosts") {
      ssh_options_set(session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, resolved.globalKnownHostsFile)
    }
    options = resolved
    if options.explicit.contains(.connectTimeout) { setTimeout(options.connectTimeout) }
    return outcome
  }

  /// What the files set, through libssh's getters (`ssh_options_get`, `ssh_options_get_port`), before the explicit
  /// options go in. libssh 0.10 has no getter for ConnectTimeout or StrictHostKeyChecking (see `prepare`).
  private func readBack(_ session: ssh_session) throws(SSHError) -> SSHConfigOutcome {
    func get(_ option: ssh_options_e) -> String? {
      var value: UnsafeMutablePointer<CChar>?
      guard ssh_options_get(session, option, &value) == SSH_OK, let value else { return nil }
      defer { ssh_string_free_char(value) }
      return String(cString: value)
    }
    var outcome = SSHConfigOutcome()
    if let host = get(SSH_OPTIONS_HOST), host != options.host { outcome.host = host }
    var port: UInt32 = 0
    // libssh reports 22 when nothing set a port (no port is set before the files are read).
    if ssh_options_get_port(session, &port) == SSH_OK, port != 22 { outcome.port = Int(port) }
    outcome.user = get(SSH_OPTIONS_USER)
    // IdentityFile lines are prepended to libssh's defaults (%d/id_ed25519, ...) before the session is applied, so
    // the first entry is the last IdentityFile the files gave.
    if let identity = get(SSH_OPTIONS_IDENTITY), !identity.hasPrefix("%d/id_") {
      outcome.identity = expand(identity)
    }
    outcome.knownHosts = get(SSH_OPTIONS_KNOWNHOSTS).map(expand)
    outcome.globalKnownHosts = get(SSH_OPTIONS_GLOBAL_KNOWNHOSTS).map(expand)
    if let command = get(SSH_OPTIONS_PROXYCOMMAND) {
      switch SSHConfigOutcome.jump(fromProxyCommand: command) {
      case .success(let jump): outcome.jump = jump
      case .failure(.chained(let first, let rest)):
        throw error(
          .invalidOptions,
          "ssh_config gives a chain of jump hosts (ProxyJump \(first),\(rest)); winaudit goes through one jump host",
          advice: "Give the last jump host only, with the earlier ones reachable from here, or use --jump.")
      case .failure(.notAJump(let command)):
        throw error(
          .invalidOptions,
          "ssh_config gives ProxyCommand '\(command)', which winaudit does not run: it checks every host key itself",
          advice: "Use ProxyJump (or --jump, or the inventory's jump:) instead of ProxyCommand.")
      }
    }
    return outcome
  }

  /// `~/` and `%d/` (the ssh folder) in a path from ssh_config; libssh expands them only when it connects.
  private func expand(_ path: String) -> String {
    let home = NSHomeDirectory()
    if path.hasPrefix("~/") { return home + path.dropFirst(1) }
    if path.hasPrefix("%d/") { return home + "/.ssh" + path.dropFirst(2) }
    return path
  }
}

/// Hands libssh's own log lines (`-vvv`) to a swift-log logger, and notes the ssh_config keywords libssh 0.10 skips
/// (`Unsupported option: KEYWORD, line: N`, logged by src/config.c at its INFO level), which become warnings.
///
/// libssh keeps its log callback, level and userdata per thread (`LIBSSH_THREAD` in src/log.c), and every libssh
/// call of a session happens on its own worker thread, so installing the callback there affects this session only.
/// The callback reaches this object through the userdata pointer; the session keeps it alive. Only the worker thread
/// touches `file`, `noting` and `skipped`.
final class LibSSHLogSink: @unchecked Sendable {
  let logger: Logger
  /// True at -vvv: every libssh line goes to the logger at trace level.
  let forward: Bool
  /// The ssh_config file being read, for the notes.
  var file = ""
  private var noting = false
  /// `ssh_config FILE line N: KEYWORD is not supported by libssh 0.10: ignored`, once each, and whether it changes
  /// how a host is reached or trusted (a warning) or not (Debian's default HashKnownHosts, SendEnv: `-vv` only).
  private(set) var skipped: [(note: String, matters: Bool)] = []

  /// Keywords libssh 0.10.6 skips whose absence changes which host, key or method is used.
  static let significant: Set<String> = [
    "identitiesonly", "certificatefile", "canonicalizehostname", "canonicaldomains", "hostkeyalias",
    "preferredauthentications", "pkcs11provider", "revokedhostkeys", "proxyusefdpass", "addressfamily",
    "connectionattempts", "checkhostip", "verifyhostkeydns",
  ]

  init(logger: Logger, forward: Bool) {
    self.logger = logger
    self.forward = forward
  }

  /// Must run on the session's worker thread.
  func install(on session: ssh_session) {
    ssh_set_log_userdata(Unmanaged.passUnretained(self).toOpaque())
    _ = ssh_set_log_callback { _, function, text, userdata in
      guard let userdata, let text else { return }
      let sink = Unmanaged<LibSSHLogSink>.fromOpaque(userdata).takeUnretainedValue()
      sink.received(function.map { String(cString: $0) } ?? "libssh", String(cString: text))
    }
    setLevel(forward ? Int32(SSH_LOG_PROTOCOL) : Int32(SSH_LOG_NOLOG), on: session)
  }

  /// While ssh_config is read, libssh logs at its INFO level (SSH_LOG_PROTOCOL) so skipped keywords are seen.
  func notingSkippedKeywords(_ noting: Bool, on session: ssh_session) {
    self.noting = noting
    if !forward { setLevel(noting ? Int32(SSH_LOG_PROTOCOL) : Int32(SSH_LOG_NOLOG), on: session) }
  }

  /// SSH_LOG_PROTOCOL at most: connection and authentication steps, never packet contents (no data, no secrets).
  private func setLevel(_ level: Int32, on session: ssh_session) {
    var value = level
    _ = ssh_options_set(session, SSH_OPTIONS_LOG_VERBOSITY, &value)
  }

  private func received(_ function: String, _ text: String) {
    // libssh hands over `function: message` (src/log.c, ssh_log_custom).
    if forward { logger.trace("libssh \(text)") }
    guard noting else { return }
    for kind in ["Unsupported option: ", "Unapplicable option: "] {
      guard let range = text.range(of: kind) else { continue }
      let fields = text[range.upperBound...].split(separator: ",")
      let keyword = fields.first.map(String.init) ?? text
      let line = fields.dropFirst().first?.split(separator: " ").last.map(String.init) ?? "?"
      let what = kind.hasPrefix("Unsupported") ? "not supported by libssh 0.10" : "not used by winaudit"
      let note = "ssh_config \(file) line \(line): \(keyword) is \(what): ignored"
      if !skipped.contains(where: { $0.note == note }) {
        skipped.append((note, kind.hasPrefix("Unsupported") && Self.significant.contains(keyword.lowercased())))
      }
    }
  }
}
