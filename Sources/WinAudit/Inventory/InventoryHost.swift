import RemotePowerShell

/// One Windows machine to audit, with everything needed to reach it over SSH.
///
/// Paths are already resolved against the inventory file's folder, so an `InventoryHost` means the same thing whatever the
/// current directory is when the audit runs.
public struct InventoryHost: Sendable, Hashable, Codable {
  /// The name reports use; unique within an inventory.
  public var name: String
  /// DNS name or IP address to connect to.
  public var address: String
  public var port: Int
  public var user: String
  /// Private key file, absolute path; nil means ssh-agent or a password.
  public var identity: String?
  /// known_hosts file, absolute path; nil means the command-line default (~/.ssh/known_hosts).
  public var knownHosts: String?
  /// The host's OpenSSH DefaultShell, which decides how the script is launched.
  public var shell: HostShell
  public var tags: [String]
  /// The port the RDP probe uses when the host's own PortNumber could not be read (`rdp_port`); nil: 3389.
  public var rdpPort: Int?
  /// The jump host to go through, `[user@]host[:port]` (`jump:`, or `-J`/ProxyJump in `ansible_ssh_common_args`);
  /// nil: `--jump`, else the host's ssh_config ProxyJump, else none.
  public var jump: String?
  /// Which of `port` and `user` are only defaults (the inventory set neither): a host's ssh_config entry may replace
  /// them, while what the inventory sets wins, as in Ansible. nil: none (journals written before ssh_config support).
  public var defaulted: Set<InventoryDefault>?

  public init(
    name: String, address: String, port: Int = 22, user: String, identity: String? = nil, knownHosts: String? = nil,
    shell: HostShell = .cmd, tags: [String] = [], rdpPort: Int? = nil, jump: String? = nil,
    defaulted: Set<InventoryDefault>? = nil
  ) {
    self.jump = jump
    self.defaulted = defaulted
    self.name = name
    self.address = address
    self.port = port
    self.user = user
    self.identity = identity
    self.knownHosts = knownHosts
    self.shell = shell
    self.tags = tags
    self.rdpPort = rdpPort
  }
}

/// A host setting the inventory may leave to defaults (see `InventoryHost.defaulted`).
public enum InventoryDefault: String, Sendable, Hashable, Codable {
  case port
  case user
}
