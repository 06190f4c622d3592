import Foundation
import Logging
import SSHClient

/// How to reach hosts, from the command line: authentication, host key trust, timeouts. Per-host values from the
/// inventory (identity, known_hosts) take precedence over these defaults.
///
/// Secrets are never stored here: a key passphrase and a password are named by environment variables or asked for
/// by a prompt callback, so they never appear in argv, logs or reports.
public struct ConnectionSettings: Sendable {
  /// Private key file used when a host names none.
  public var identity: String?
  /// Environment variable holding the passphrase of encrypted key files.
  public var passphraseEnvironment: String?
  /// Try keys held by ssh-agent (`SSH_AUTH_SOCK`).
  public var useAgent: Bool
  /// Environment variable holding the password (`WINAUDIT_PASSWORD`), checked when it is set.
  public var passwordEnvironment: String
  /// Asks a person for a password (or passphrase) when there is a terminal; nil means never prompt.
  public var prompt: (@Sendable (String) async -> String?)?
  /// known_hosts file used when a host names none; nil: the host's ssh_config UserKnownHostsFile, else
  /// ~/.ssh/known_hosts.
  public var knownHosts: String?
  public var hostKeyPolicy: HostKeyPolicy
  public var connectTimeout: Duration
  /// True when `connectTimeout` is only the default, which a ConnectTimeout in ssh_config replaces.
  public var connectTimeoutIsDefault = false
  /// The ssh_config files read for every host (`--ssh-config`, `--no-ssh-config`); the library's default reads none.
  public var sshConfig: SSHConfigFiles = .none
  /// The jump host for hosts whose inventory entry names none (`--jump`), `[user@]host[:port]`.
  public var jump: String?
  /// Where `-v` goes: what was tried per host. Silent by default.
  public var logger = Logger(label: "winaudit", factory: { _ in SwiftLogNoOpLogHandler() })
  /// Limit for the whole collector script on one host (firewall queries can take tens of seconds on real Windows).
  public var commandTimeout: Duration

  public init(
    identity: String? = nil, passphraseEnvironment: String? = nil, useAgent: Bool = true,
    passwordEnvironment: String = "WINAUDIT_PASSWORD", prompt: (@Sendable (String) async -> String?)? = nil,
    knownHosts: String?, hostKeyPolicy: HostKeyPolicy = .strict, connectTimeout: Duration = .seconds(10),
    commandTimeout: Duration = .seconds(300)
  ) {
    self.identity = identity
    self.passphraseEnvironment = passphraseEnvironment
    self.useAgent = useAgent
    self.passwordEnvironment = passwordEnvironment
    self.prompt = prompt
    self.knownHosts = knownHosts
    self.hostKeyPolicy = hostKeyPolicy
    self.connectTimeout = connectTimeout
    self.commandTimeout = commandTimeout
  }
}
