import ArgumentParser
import Foundation
import Logging
import SSHClient
import WinAudit

/// The SSH options `audit`, `fix` and `rollback` share: how to authenticate, which host keys to trust, how long to
/// wait. Secrets are never options: passphrases and passwords come from named environment variables or a prompt.
struct ConnectionOptions: ParsableArguments {
  @Option(name: .long, help: "Unknown host keys: strict (refuse) or accept-new (record them).")
  var hostKeyPolicy: HostKeyPolicy = .strict

  @Option(name: .long, help: ArgumentHelp("Private key for hosts whose inventory entry names none.", valueName: "file"))
  var identity: String?

  @Option(name: .long, help: ArgumentHelp("Environment variable holding the key's passphrase.", valueName: "name"))
  var identityPassphraseEnv: String?

  @Flag(name: .long, help: "Do not use ssh-agent.")
  var noAgent = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "known_hosts for hosts whose inventory entry names none (default: the host's ssh_config UserKnownHostsFile, "
        + "else ~/.ssh/known_hosts; /etc/ssh/ssh_known_hosts is read too).", valueName: "file"))
  var knownHosts: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Read only this OpenSSH client configuration (like ssh -F) instead of ~/.ssh/config and /etc/ssh/ssh_config.",
      valueName: "file"))
  var sshConfig: String?

  @Flag(name: .long, help: "Read no ssh_config file: only the inventory and these options count.")
  var noSSHConfig = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Jump host (bastion) for hosts whose inventory entry names none, like ssh -J.", valueName: "[user@]host[:port]"))
  var jump: String?

  @Flag(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Log what is tried per host to stderr (ssh_config, jump host, host key, authentication); -vv more, "
        + "-vvv adds libssh's own log."))
  var verbose: Int

  @Option(name: .long, help: ArgumentHelp("SSH user for hosts the inventory gives none.", valueName: "name"))
  var user: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "How to read --inventory: auto (from its name and content), winaudit (YAML), ansible-ini, ansible-yaml, csv "
        + "or list.", valueName: "format"))
  var inventoryFormat: InventoryFormat = .auto

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Seconds allowed to connect and authenticate (default: ssh_config's ConnectTimeout, else 10).",
      valueName: "seconds"))
  var connectTimeout: Double?

  @Option(name: .long, help: ArgumentHelp("Seconds allowed for one script on one host.", valueName: "seconds"))
  var commandTimeout: Double = 300

  func validate() throws {
    if let connectTimeout, !(connectTimeout.isFinite && connectTimeout > 0 && connectTimeout <= 3600) {
      throw ValidationError("--connect-timeout must be a number of seconds above 0 and at most 3600")
    }
    guard commandTimeout.isFinite, commandTimeout > 0, commandTimeout <= 86_400 else {
      throw ValidationError("--command-timeout must be a number of seconds above 0 and at most 86400")
    }
    if let identity, !FileManager.default.fileExists(atPath: identity) {
      throw ValidationError("--identity \(identity) does not exist")
    }
    if let sshConfig {
      if noSSHConfig { throw ValidationError("--ssh-config and --no-ssh-config cannot be used together") }
      guard FileManager.default.isReadableFile(atPath: sshConfig) else {
        throw ValidationError("--ssh-config \(sshConfig) does not exist or is not readable")
      }
    }
    if let jump, SSHJumpHost(parsing: jump) == nil {
      throw ValidationError("--jump must be one jump host '[user@]host[:port]', found '\(jump)'")
    }
    if let identityPassphraseEnv, identityPassphraseEnv.isEmpty {
      throw ValidationError("--identity-passphrase-env needs the NAME of an environment variable, not a passphrase")
    }
  }

  /// The inventory's hosts matching `limit` (`-` reads the inventory from stdin); a `DiagnosticsError` or `UsageError`
  /// (exit 2) when the inventory cannot be used or `limit` selects nothing. Its warnings go to stderr.
  func hosts(inventory: String, limit: String?) throws -> [InventoryHost] {
    var fallback = InventoryLoader.Fallback()
    if let user {
      fallback.user = user
      fallback.userIsExplicit = true
    }
    let loaded = try InventoryLoader.load(path: inventory, format: inventoryFormat, fallback: fallback)
    for warning in loaded.warnings {
      FileHandle.standardError.write(Data((warning.warningDescription + "\n").utf8))
    }
    return try loaded.select(limit: limit.map { try HostLimit($0) })
  }

  func connector() -> SSHHostConnector {
    var settings = ConnectionSettings(
      identity: identity.map(Self.absolute), passphraseEnvironment: identityPassphraseEnv, useAgent: !noAgent,
      prompt: Terminal.isInteractive ? SecretPrompt.shared.ask : nil, knownHosts: knownHosts.map(Self.absolute),
      hostKeyPolicy: hostKeyPolicy, connectTimeout: .milliseconds(Int((connectTimeout ?? 10) * 1000)),
      commandTimeout: .milliseconds(Int(commandTimeout * 1000)))
    settings.connectTimeoutIsDefault = connectTimeout == nil
    settings.sshConfig = noSSHConfig ? .none : sshConfig.map { .file(Self.absolute($0)) } ?? Self.defaultSSHConfig
    settings.jump = jump
    settings.logger = StderrLogHandler.logger(verbosity: verbose)
    return SSHHostConnector(settings: settings)
  }

  /// Without --ssh-config or --no-ssh-config: `WINAUDIT_SSH_CONFIG` (a file, or `none`) when set, else what ssh reads.
  static var defaultSSHConfig: SSHConfigFiles {
    switch ProcessInfo.processInfo.environment["WINAUDIT_SSH_CONFIG"] {
    case nil, "": return .standard
    case "none": return .none
    case let path?: return .file(absolute(path))
    }
  }

  static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    if path.hasPrefix("~/") { return NSHomeDirectory() + String(path.dropFirst(1)) }
    return FileManager.default.currentDirectoryPath + "/" + path
  }
}

extension InventoryFormat: ExpressibleByArgument {}
