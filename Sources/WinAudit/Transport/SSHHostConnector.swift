import Foundation
import RemotePowerShell
import SSHClient

/// The production `HostConnector`: one libssh connection per host (`SSHConnection`, whose blocking work runs on its
/// own thread), and one powershell.exe per script launched through `RemotePowerShellCommand` (an encoded bootstrap, the script on stdin),
/// or, after `startProcess`, one powershell.exe for every script (`FramedPowerShellSession`).
public struct SSHHostConnector: HostConnector {
  public var settings: ConnectionSettings
  /// Shared by every host of a run: paces handshakes (see `HandshakeGate`).
  public var handshakes: HandshakeGate

  public init(settings: ConnectionSettings, handshakes: HandshakeGate = HandshakeGate()) {
    self.settings = settings
    self.handshakes = handshakes
  }

  /// The SSH options for `host`: inventory values first, then the command-line defaults.
  public func options(for host: InventoryHost) -> SSHConnectionOptions {
    var methods: [SSHAuthenticationMethod] = []
    let passphrase: SSHSecretSource? =
      settings.passphraseEnvironment.map { .environment($0) } ?? settings.prompt.map { .prompt($0) }
    if let identity = host.identity ?? settings.identity {
      methods.append(.publicKeyFile(path: identity, passphrase: passphrase))
    } else {
      // Like ssh: without an explicit key, try the user's default keys that exist.
      let home = FileManager.default.homeDirectoryForCurrentUser.path
      for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
        let path = "\(home)/.ssh/\(name)"
        if FileManager.default.fileExists(atPath: path) {
          methods.append(.publicKeyFile(path: path, passphrase: passphrase))
        }
      }
    }
    if settings.useAgent, ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"] != nil {
      methods.append(.agent)
    }
    if ProcessInfo.processInfo.environment[settings.passwordEnvironment] != nil {
      methods.append(.password(.environment(settings.passwordEnvironment)))
    } else if let prompt = settings.prompt {
      methods.append(.password(.prompt(prompt)))
    }
    var options = SSHConnectionOptions(
      host: host.address, port: host.port, user: host.user, connectTimeout: settings.connectTimeout,
      authentication: methods,
      knownHostsFile: host.knownHosts ?? settings.knownHosts ?? (NSHomeDirectory() + "/.ssh/known_hosts"),
      hostKeyPolicy: settings.hostKeyPolicy)
    // The inventory and the command line win over ssh_config; what they leave to defaults, ssh_config may set.
    options.sshConfig = settings.sshConfig
    let defaulted = host.defaulted ?? []
    if defaulted.contains(.port) { options.explicit.remove(.port) }
    if defaulted.contains(.user) { options.explicit.remove(.user) }
    if host.identity == nil && settings.identity == nil { options.explicit.remove(.identity) }
    if host.knownHosts == nil && settings.knownHosts == nil { options.explicit.remove(.knownHosts) }
    if settings.connectTimeoutIsDefault { options.explicit.remove(.connectTimeout) }
    options.configKeyPassphrase = passphrase
    options.jump = (host.jump ?? settings.jump).flatMap(SSHJumpHost.init(parsing:))
    var logger = settings.logger
    logger[metadataKey: "host"] = "\(host.name)"
    options.logger = logger
    return options
  }

  public func connect(to host: InventoryHost) async throws(HostConnectionError) -> any HostSession {
    let options = options(for: host)
    // An ssh_config IdentityFile may still give a key; SSHConnection says so when it does not.
    if options.authentication.isEmpty && options.sshConfig == .none {
      throw HostConnectionError(
        .connect,
        "\(host.user)@\(host.address):\(host.port): no way to log in: give a key (the inventory's identity or "
          + "--identity), start ssh-agent, or set \(settings.passwordEnvironment) (a prompt asks only on a terminal)")
    }
    do {
      let connection = try await handshakes.run { try await SSHConnection.connect(options) }
      return Session(connection: connection, shell: host.shell, timeout: settings.commandTimeout)
    } catch let error as SSHError {
      throw HostConnectionError(.connect, error.description)
    } catch is CancellationError {
      throw HostConnectionError(.connect, "\(host.user)@\(host.address):\(host.port): cancelled before connecting")
    } catch {
      throw HostConnectionError(.connect, "\(host.user)@\(host.address):\(host.port): \(error)")
    }
  }

  private struct Session: HostSession {
    let connection: SSHConnection
    let shell: HostShell
    let timeout: Duration

    /// One powershell.exe through RemotePowerShell: BOM stripped, `#< CLIXML` stderr decoded into readable lines.
    func run(script: String) async throws(HostConnectionError) -> ScriptResult {
      do {
        return try await RemotePowerShellSession(connection: connection).run(
          script: script, shell: shell, timeout: timeout)
      } catch {
        throw Self.runFailure(error)
      }
    }

    /// A script that could not run to its end, with what it printed before (a script that reports each step as it
    /// goes has reported the steps that finished): lenient UTF-8, it may stop mid-character, without a leading BOM.
    static func runFailure(_ error: any Error) -> HostConnectionError {
      guard let error = error as? SSHError else { return HostConnectionError(.run, String(describing: error)) }
      var text = String(decoding: error.stdout, as: UTF8.self)
      if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
      return HostConnectionError(.run, error.description, partialStdout: text)
    }

    func startProcess() async throws(HostConnectionError) -> any HostSession {
      do {
        let framed = try await FramedPowerShellSession.start(on: connection, shell: shell, timeout: timeout)
        return ProcessSession(connection: connection, framed: framed, timeout: timeout)
      } catch let error as SSHError {
        throw HostConnectionError(.run, error.description)
      } catch {
        throw HostConnectionError(.run, String(describing: error))
      }
    }

    func close() async {
      await connection.close()
    }
  }

  /// Every script in the one powershell.exe of a `FramedPowerShellSession`, each with the command timeout.
  private struct ProcessSession: HostSession {
    let connection: SSHConnection
    let framed: FramedPowerShellSession
    let timeout: Duration

    func run(script: String) async throws(HostConnectionError) -> ScriptResult {
      do {
        return try await framed.run(script: script, timeout: timeout)
      } catch {
        throw Session.runFailure(error)
      }
    }

    func startProcess() async throws(HostConnectionError) -> any HostSession { self }

    func close() async {
      await framed.close()
      await connection.close()
    }
  }
}
