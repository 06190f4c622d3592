import Foundation
import Logging
import Testing

@testable import SSHClient

/// ssh_config through libssh's parser, inventory values winning over it, and jump hosts, against real OpenSSH servers
/// on loopback (`ThrowawaySSHD`). Every test writes its own config file: none reads ~/.ssh/config or
/// /etc/ssh/ssh_config.
@Suite(.enabled(if: sshdAvailable, "needs /usr/sbin/sshd (apt install openssh-server)"))
struct SSHConfigJumpTests {
  /// Options that leave host name, port, user, key and known_hosts to `config`.
  private func aliasOptions(_ alias: String, config: String) -> SSHConnectionOptions {
    var options = SSHConnectionOptions(
      host: alias, port: 22, user: "nobody-\(UUID().uuidString.prefix(6))", connectTimeout: .seconds(60),
      authentication: [], knownHostsFile: "/nonexistent/known_hosts")
    options.sshConfig = .file(config)
    options.explicit = [.connectTimeout]
    options.globalKnownHostsFile = "/dev/null"
    return options
  }

  private func writeConfig(_ sshd: ThrowawaySSHD, _ text: String) throws -> String {
    try sshd.writeKnownHosts([text], name: "ssh_config")
  }

  @Test func anAliasGetsHostNamePortUserKeyAndKnownHostsFromTheConfig() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let knownHosts = try sshd.writeKnownHosts([try sshd.knownHostsLine()])
    let config = try writeConfig(
      sshd,
      """
      Host lab-alias
        HostName 127.0.0.1
        Port \(sshd.port)
        User \(sshd.user)
        IdentityFile \(sshd.userKeyPath)
        UserKnownHostsFile \(knownHosts)
      """)
    let connection = try await SSHConnection.connect(aliasOptions("lab-alias", config: config))
    #expect(connection.options.host == "127.0.0.1")
    #expect(connection.options.port == sshd.port)
    #expect(connection.options.user == sshd.user)
    #expect(connection.options.knownHostsFile == knownHosts)
    let result = try await connection.run(command: "echo alias", stdin: nil, timeout: .seconds(120))
    #expect(String(decoding: result.stdout, as: UTF8.self) == "alias\n")
    await connection.close()
  }

  @Test func valuesGivenOnPurposeWinOverTheConfig() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let knownHosts = try sshd.writeKnownHosts([try sshd.knownHostsLine()])
    // Everything the config says for this host is wrong; the explicit options are right.
    let config = try writeConfig(
      sshd,
      """
      Host 127.0.0.1
        Port 1
        User nobody-from-config
        IdentityFile /nonexistent/key
        UserKnownHostsFile /nonexistent/known_hosts
      """)
    var options = sshd.options(knownHostsFile: knownHosts)
    options.sshConfig = .file(config)
    let connection = try await SSHConnection.connect(options)
    #expect(connection.options.port == sshd.port)
    #expect(connection.options.user == sshd.user)
    await connection.close()
  }

  @Test func withoutConfigTheAliasIsJustAName() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let config = try writeConfig(sshd, "Host lab-alias\n  HostName 127.0.0.1\n  Port \(sshd.port)\n")
    var options = aliasOptions("lab-alias.invalid", config: config)
    options.sshConfig = .none
    options.authentication = [.publicKeyFile(path: sshd.userKeyPath)]
    await #expect {
      try await SSHConnection.connect(options)
    } throws: { error in
      (error as? SSHError)?.kind == .connectFailed
    }
  }

  @Test func aProxyCommandIsRefusedNotRun() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let marker = sshd.directory.appendingPathComponent("proxy-ran").path
    let config = try writeConfig(sshd, "Host lab-alias\n  ProxyCommand touch \(marker)\n")
    var options = aliasOptions("lab-alias", config: config)
    options.authentication = [.publicKeyFile(path: sshd.userKeyPath)]
    await #expect {
      try await SSHConnection.connect(options)
    } throws: { error in
      guard let error = error as? SSHError else { return false }
      return error.kind == .invalidOptions && error.message.contains("ProxyCommand")
    }
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test func aMissingConfigFileIsAnError() async throws {
    var options = aliasOptions("lab-alias", config: "/nonexistent/ssh_config")
    options.authentication = [.agent]
    await #expect {
      try await SSHConnection.connect(options)
    } throws: { error in
      (error as? SSHError)?.message.contains("/nonexistent/ssh_config") ?? false
    }
  }

  @Test func proxyJumpFromTheConfigGoesThroughTheJumpHost() async throws {
    let bastion = try await ThrowawaySSHD.start(extraConfig: ["LogLevel DEBUG1", "AllowTcpForwarding yes"])
    defer { bastion.stop() }
    let target = try await ThrowawaySSHD.start()
    defer { target.stop() }
    let knownHosts = try target.writeKnownHosts([try bastion.knownHostsLine(), try target.knownHostsLine()])
    let config = try writeConfig(
      target,
      """
      Host lab-bastion
        HostName 127.0.0.1
        Port \(bastion.port)
        IdentityFile \(bastion.userKeyPath)
      Host lab-target
        HostName 127.0.0.1
        Port \(target.port)
        ProxyJump lab-bastion
        IdentityFile \(target.userKeyPath)
      Host *
        User \(target.user)
        UserKnownHostsFile \(knownHosts)
      """)
    let connection = try await SSHConnection.connect(aliasOptions("lab-target", config: config))
    let result = try await connection.run(command: "echo through", stdin: nil, timeout: .seconds(120))
    #expect(String(decoding: result.stdout, as: UTF8.self) == "through\n")
    await connection.close()
    let log = try String(contentsOfFile: bastion.logPath, encoding: .utf8)
    #expect(log.contains("target 127.0.0.1 port \(target.port)"))
  }

  @Test func anExplicitJumpHostChecksBothHostKeys() async throws {
    let bastion = try await ThrowawaySSHD.start(extraConfig: ["LogLevel DEBUG1"])
    defer { bastion.stop() }
    let target = try await ThrowawaySSHD.start()
    defer { target.stop() }
    func options(_ knownHosts: [String]) throws -> SSHConnectionOptions {
      var options = target.options(
        knownHostsFile: try target.writeKnownHosts(knownHosts, name: "kh-\(UUID().uuidString.prefix(6))"),
        authentication: [.publicKeyFile(path: target.userKeyPath), .publicKeyFile(path: bastion.userKeyPath)])
      options.jump = SSHJumpHost(host: "127.0.0.1", port: bastion.port, user: bastion.user)
      options.globalKnownHostsFile = "/dev/null"
      return options
    }
    let connection = try await SSHConnection.connect(
      try options([try bastion.knownHostsLine(), try target.knownHostsLine()]))
    let result = try await connection.run(command: "echo jumped", stdin: nil, timeout: .seconds(120))
    #expect(String(decoding: result.stdout, as: UTF8.self) == "jumped\n")
    await connection.close()

    // The bastion's recorded key is another one: refused, naming the bastion, before the target is reached.
    let otherKey = try target.knownHostsLine().replacingOccurrences(
      of: "[127.0.0.1]:\(target.port)", with: "[127.0.0.1]:\(bastion.port)")
    await #expect {
      try await SSHConnection.connect(try options([otherKey, try target.knownHostsLine()]))
    } throws: { error in
      guard let error = error as? SSHError, case .hostKeyChanged = error.kind else { return false }
      return error.message.contains("HOST KEY CHANGED for 127.0.0.1:\(bastion.port)")
        && error.endpoint.hasPrefix("jump host ")
    }
    // The bastion known, the target unknown: refused naming the target.
    await #expect {
      try await SSHConnection.connect(try options([try bastion.knownHostsLine()]))
    } throws: { error in
      guard let error = error as? SSHError, case .hostKeyUnknown = error.kind else { return false }
      return error.message.contains("127.0.0.1:\(target.port)")
    }
  }

  @Test func theLogNamesTheStepsAndNeverASecret() async throws {
    let sshd = try await ThrowawaySSHD.start(extraConfig: ["PasswordAuthentication yes", "PermitRootLogin yes"])
    defer { sshd.stop() }
    let secret = "hunter2-\(UUID().uuidString)"
    let lines = LogLines()
    var options = try sshd.trustedOptions()
    options.authentication = [.password(.prompt { _ in secret }), .publicKeyFile(path: sshd.userKeyPath)]
    options.logger = Logger(label: "test", factory: { _ in CapturingLogHandler(lines: lines) })
    let connection = try await SSHConnection.connect(options)
    await connection.close()
    let text = lines.all.joined(separator: "\n")
    #expect(text.contains("authentication: trying a password"))
    #expect(text.contains("authentication: trying key file \(sshd.userKeyPath)"))
    #expect(text.contains("host key"))
    #expect(text.contains("libssh"))  // libssh's own log at trace level
    #expect(!text.contains(secret))
  }

  /// winaudit offers the post-quantum key exchanges first where libssh has them (not Debian 12's 0.10.6, which
  /// negotiates curve25519-sha256 with OpenSSH), and an ssh_config KexAlgorithms still decides.
  @Test func keyExchangeOfferedAndKexAlgorithmsFromTheConfigWins() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    for (config, expected) in [
      (nil, "curve25519-sha256"), ("Host *\n  KexAlgorithms ecdh-sha2-nistp256\n", "ecdh-sha2-nistp256"),
    ] {
      let lines = LogLines()
      var options = try sshd.trustedOptions()
      if let config { options.sshConfig = .file(try writeConfig(sshd, config)) }
      var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(lines: lines) })
      logger.logLevel = .info
      options.logger = logger
      let connection = try await SSHConnection.connect(options)
      await connection.close()
      #expect(lines.all.contains { $0.hasPrefix("key exchange \(expected) with ") }, "\(lines.all)")
    }
  }

  @Test func aFailedLoginLogsTheStep() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let lines = LogLines()
    var options = try sshd.trustedOptions()
    options.authentication = [.publicKeyFile(path: sshd.hostKeyPath)]  // a key the server does not accept
    var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(lines: lines) })
    logger.logLevel = .info
    options.logger = logger
    await #expect(throws: SSHError.self) { try await SSHConnection.connect(options) }
    #expect(lines.all.contains { $0.hasPrefix("failed at authentication: ") })
    #expect(!lines.all.contains { $0.hasPrefix("libssh") })  // libssh's log only at trace
  }

  @Test func strictHostKeyCheckingNoInTheConfigDoesNotLetAnUnknownKeyIn() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let empty = try sshd.writeKnownHosts([], name: "empty_known_hosts")
    let config = try writeConfig(sshd, "Host *\n  StrictHostKeyChecking no\n")
    var options = sshd.options(knownHostsFile: empty)
    options.sshConfig = .file(config)
    options.globalKnownHostsFile = "/dev/null"
    await #expect {
      try await SSHConnection.connect(options)
    } throws: { error in
      guard let error = error as? SSHError, case .hostKeyUnknown = error.kind else { return false }
      return error.message.contains(empty)
    }
  }

  @Test func aChangedKeyInTheGlobalKnownHostsIsNamedThere() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let empty = try sshd.writeKnownHosts([], name: "empty_known_hosts")
    let otherKey = try String(contentsOfFile: sshd.userKeyPath + ".pub", encoding: .utf8).split(separator: " ")
    let global = try sshd.writeKnownHosts(
      ["[127.0.0.1]:\(sshd.port) \(otherKey[0]) \(otherKey[1])"], name: "global_known_hosts")
    let config = try writeConfig(sshd, "Host *\n  GlobalKnownHostsFile \(global)\n")
    var options = sshd.options(knownHostsFile: empty)
    options.sshConfig = .file(config)
    await #expect {
      try await SSHConnection.connect(options)
    } throws: { error in
      guard let error = error as? SSHError, case .hostKeyChanged = error.kind else { return false }
      return error.message.contains("\(global) expects")
    }
  }

  @Test func keywordsLibsshSkipsAreWarningsWhenTheyMatter() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let knownHosts = try sshd.writeKnownHosts([try sshd.knownHostsLine()])
    let config = try writeConfig(
      sshd,
      """
      Host lab-alias
        HashKnownHosts yes
        IdentitiesOnly yes
        HostName 127.0.0.1
        Port \(sshd.port)
        User \(sshd.user)
        IdentityFile \(sshd.userKeyPath)
        UserKnownHostsFile \(knownHosts)
      """)
    let lines = LogLines()
    var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(lines: lines) })
    logger.logLevel = .warning
    var options = aliasOptions("lab-alias", config: config)
    options.logger = logger
    let connection = try await SSHConnection.connect(options)
    await connection.close()
    #expect(lines.all == ["ssh_config \(config) line 3: IdentitiesOnly is not supported by libssh 0.10: ignored"])
  }

  @Test func jumpHostTextAndProxyCommandForms() {
    #expect(SSHJumpHost(parsing: "admin@bastion:2200") == SSHJumpHost(host: "bastion", port: 2200, user: "admin"))
    #expect(SSHJumpHost(parsing: "[::1]:2200") == SSHJumpHost(host: "::1", port: 2200))
    #expect(SSHJumpHost(parsing: "bastion") == SSHJumpHost(host: "bastion"))
    for bad in ["", "@bastion", "bastion:0", "bastion:x", "a,b", "two words"] {
      #expect(SSHJumpHost(parsing: bad) == nil, "\(bad)")
    }
    // What libssh 0.10 makes of `ProxyJump admin@bastion:2200` (src/config.c).
    #expect(
      SSHConfigOutcome.jump(fromProxyCommand: "ssh -l admin -p 2200 -W '[%h]:%p' bastion")
        == .success(SSHJumpHost(host: "bastion", port: 2200, user: "admin")))
    #expect(SSHConfigOutcome.jump(fromProxyCommand: "none") == .success(nil))
    #expect(
      SSHConfigOutcome.jump(fromProxyCommand: "ssh -J b2 -W '[%h]:%p' b1")
        == .failure(.chained(first: "b1", rest: "b2")))
    #expect(
      SSHConfigOutcome.jump(fromProxyCommand: "nc %h %p") == .failure(.notAJump("nc %h %p")))
  }
}

/// Lines a `CapturingLogHandler` received.
final class LogLines: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  func append(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
}

/// Keeps every message, at every level down to trace unless the logger says otherwise.
struct CapturingLogHandler: LogHandler {
  let lines: LogLines
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace
  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }
  func log(event: LogEvent) {
    lines.append("\(event.message)")
  }
}
