import Foundation

/// The sshd_config of one lab host: listen on the host's loopback address, let in only the lab user with the lab key,
/// and hand every session to `winlab shell` (ForceCommand) so the client sees a Windows host. `SetEnv SHLVL=1` keeps
/// the lab user's shell start-up files out of sessions: bash run by sshd sources ~/.bashrc unless it is nested.
/// `LoginGraceTime 120` (OpenSSH's default): a client process as loaded as a whole test suite on two cores can take
/// longer than 30 s from accept to login, and sshd then drops it mid-authentication ("Socket error: disconnected").
struct SSHDConfig {
  /// A Windows host double, or the lab's jump host.
  enum Role {
    case host
    /// A plain OpenSSH bastion: no shell (ForceCommand /bin/false), TCP forwarding allowed, and a DEBUG log in which
    /// sshd records every `direct-tcpip` target (`server_request_direct_tcpip: ... target ADDRESS port PORT`), which the
    /// tests read to show a connection went through it.
    case bastion
  }

  var role = Role.host
  var address: String
  var port: Int
  var host: HostDirectory
  var authorizedKeys: URL
  var user: String
  var winlabBinary: URL

  var text: String {
    let forceCommand =
      role == .bastion
      ? "/bin/false" : "\(shellQuote(winlabBinary.path)) shell --host-dir \(shellQuote(host.url.path))"
    let forwarding = role == .bastion ? "AllowTcpForwarding local\nPermitOpen any" : "AllowTcpForwarding no"
    let logLevel = role == .bastion ? "DEBUG1" : "INFO"
    return """
      # Written by `winlab up`.
      ListenAddress \(address):\(port)
      HostKey \(host.hostKey.path)
      PidFile \(host.sshdPidFile.path)
      AuthorizedKeysFile \(authorizedKeys.path)
      AllowUsers \(user)
      PubkeyAuthentication yes
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      PermitRootLogin prohibit-password
      UsePAM no
      StrictModes no
      UseDNS no
      PrintMotd no
      PrintLastLog no
      X11Forwarding no
      \(forwarding)
      AllowAgentForwarding no
      PermitTunnel no
      PermitUserEnvironment no
      MaxStartups 1000:30:2000
      MaxSessions 1000
      MaxAuthTries 6
      LoginGraceTime 120
      LogLevel \(logLevel)
      SetEnv SHLVL=1
      ForceCommand \(forceCommand)

      """
  }

  /// Quotes a path for the user's shell, which runs ForceCommand with `-c`.
  private func shellQuote(_ text: String) -> String {
    if text.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+:@".contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
