import Foundation
import Logging

/// Everything needed to open one SSH connection: where, as whom, how to authenticate and how to trust the host.
///
/// Secrets are never part of these values: a passphrase or password is named by an environment variable or fetched
/// from a prompt callback when it is needed, so nothing sensitive reaches argv, logs or inventories.
public struct SSHConnectionOptions: Sendable {
  public var host: String
  public var port: Int
  public var user: String
  /// Limit for TCP connect plus handshake, and for each blocking protocol step (authentication, channel open).
  public var connectTimeout: Duration
  /// Tried in order until one succeeds (or the server wants more, for multi-factor setups).
  public var authentication: [SSHAuthenticationMethod]
  /// The known_hosts file to verify the host key against (and to append to under `.acceptNew`).
  public var knownHostsFile: String
  public var hostKeyPolicy: SSHHostKeyPolicy
  /// The most a command may print on stdout before its channel is closed: a host cannot make the client hold an
  /// unbounded amount of memory or its slot until the timeout. A facts document of a large real host is a few MB.
  public var outputLimit = 64 << 20
  /// The most of a command's stderr that is kept; the rest is counted and dropped, and the command goes on.
  public var errorLimit = 1 << 20
  /// The ssh_config files read before connecting (through libssh's parser); `.none` reads none.
  public var sshConfig: SSHConfigFiles = .none
  /// Which of `port`, `user`, the key files, `knownHostsFile` and `connectTimeout` were given on purpose: those win
  /// over ssh_config; the others are defaults it may replace. Everything counts as given unless the caller says not.
  public var explicit: SSHExplicitSettings = .all
  /// The jump host to go through; nil: the ssh_config's ProxyJump, if any.
  public var jump: SSHJumpHost?
  /// The passphrase of a key file that ssh_config names (IdentityFile), when it is encrypted.
  public var configKeyPassphrase: SSHSecretSource?
  /// known_hosts read after `knownHostsFile` (never written); nil: the ssh_config's GlobalKnownHostsFile, else
  /// /etc/ssh/ssh_known_hosts, as ssh does.
  public var globalKnownHostsFile: String?
  /// What was tried, step by step (`-v`); libssh's own log goes here too when this logger's level is `.trace`.
  /// Secrets are never logged.
  /// False for a jump host's own connection: a jump host of a jump host is refused.
  var jumpAllowed = true
  public var logger = Logger(label: "winaudit.ssh", factory: { _ in SwiftLogNoOpLogHandler() })

  public init(
    host: String,
    port: Int = 22,
    user: String,
    connectTimeout: Duration = .seconds(10),
    authentication: [SSHAuthenticationMethod],
    knownHostsFile: String,
    hostKeyPolicy: SSHHostKeyPolicy = .strict
  ) {
    self.host = host
    self.port = port
    self.user = user
    self.connectTimeout = connectTimeout
    self.authentication = authentication
    self.knownHostsFile = knownHostsFile
    self.hostKeyPolicy = hostKeyPolicy
  }

  /// `user@host:port`, the way errors name the connection.
  public var endpoint: String { "\(user)@\(hostAndPort)" }

  /// `host:port` (IPv6 addresses in brackets).
  public var hostAndPort: String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }
}

/// What to do with a host key that is not in the known_hosts file. A changed key is refused under every policy.
public enum SSHHostKeyPolicy: String, Sendable, Codable, CaseIterable {
  /// Refuse unknown hosts; the error shows the SHA256 fingerprint and how to add the key.
  case strict
  /// Record unknown hosts' keys in the known_hosts file (trust on first use), refuse changed ones.
  case acceptNew = "accept-new"
}

/// One way of proving who we are to the server.
public enum SSHAuthenticationMethod: Sendable {
  /// A private key file (OpenSSH or PEM format). The passphrase, if the key has one, comes from `passphrase`.
  case publicKeyFile(path: String, passphrase: SSHSecretSource? = nil)
  /// Keys held by the ssh-agent listening on `SSH_AUTH_SOCK`.
  case agent
  /// A password (sent with the password method, or answered to a keyboard-interactive prompt).
  case password(SSHSecretSource)
}

/// Where a secret comes from when it is needed. Never from the command line.
public enum SSHSecretSource: Sendable {
  /// The value of this environment variable.
  case environment(String)
  /// Ask a person: the callback gets a prompt such as "Password for root@host:22: " and returns nil to give up.
  case prompt(@Sendable (String) async -> String?)

  /// Resolves the secret; nil when the variable is unset or the prompt was declined. The reason goes to `missing`.
  func resolve(prompt text: String) async -> Result<String, SecretUnavailable> {
    switch self {
    case .environment(let name):
      guard let value = ProcessInfo.processInfo.environment[name] else {
        return .failure(SecretUnavailable(reason: "environment variable \(name) is not set"))
      }
      return .success(value)
    case .prompt(let ask):
      guard let value = await ask(text) else {
        return .failure(SecretUnavailable(reason: "the prompt was declined"))
      }
      return .success(value)
    }
  }
}

/// Why a secret could not be obtained.
struct SecretUnavailable: Error {
  let reason: String
}
