import Foundation

/// Which OpenSSH client configuration files a connection reads, through libssh's own parser
/// (`ssh_options_parse_config`): Host and Match blocks, HostName, Port, User, IdentityFile, ProxyJump,
/// UserKnownHostsFile, GlobalKnownHostsFile, ConnectTimeout, Include.
public enum SSHConfigFiles: Sendable, Equatable {
  /// None: only the connection's own options count (the library default, so tests stay hermetic).
  case none
  /// What `ssh` reads: the user's file, then the system-wide one. Values found first win, as in OpenSSH.
  case standard(user: String, system: String)
  /// Only this file, like `ssh -F FILE`.
  case file(String)

  /// `~/.ssh/config` (from `HOME`) and `/etc/ssh/ssh_config`.
  public static var standard: SSHConfigFiles {
    .standard(user: NSHomeDirectory() + "/.ssh/config", system: "/etc/ssh/ssh_config")
  }

  /// The files in the order they are read.
  var paths: [String] {
    switch self {
    case .none: return []
    case .standard(let user, let system): return [user, system]
    case .file(let path): return [path]
    }
  }
}

/// The options a caller set on purpose (from an inventory or the command line). Only these win over ssh_config; the
/// others are defaults an ssh_config may replace, the way Ansible's inventory variables win over `~/.ssh/config`.
public struct SSHExplicitSettings: OptionSet, Sendable, Hashable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let port = SSHExplicitSettings(rawValue: 1 << 0)
  public static let user = SSHExplicitSettings(rawValue: 1 << 1)
  /// The private key files among the authentication methods.
  public static let identity = SSHExplicitSettings(rawValue: 1 << 2)
  public static let knownHosts = SSHExplicitSettings(rawValue: 1 << 3)
  public static let connectTimeout = SSHExplicitSettings(rawValue: 1 << 4)
  public static let all: SSHExplicitSettings = [.port, .user, .identity, .knownHosts, .connectTimeout]
}

/// A jump host (bastion) the connection goes through: `[user@]host[:port]`, like `ssh -J`. Its host key is checked
/// against the same known_hosts as the target's, and it is logged in to with the same methods.
public struct SSHJumpHost: Sendable, Hashable, CustomStringConvertible {
  public var host: String
  /// nil: from the jump host's ssh_config entry, else 22.
  public var port: Int?
  /// nil: from the jump host's ssh_config entry, else the local user name (as `ssh -J` does).
  public var user: String?

  public init(host: String, port: Int? = nil, user: String? = nil) {
    self.host = host
    self.port = port
    self.user = user
  }

  /// Reads `[user@]host[:port]` (`[user@][v6-address]:port` for IPv6); nil when it is not one.
  public init?(parsing text: String) {
    var rest = Substring(text)
    if let at = rest.lastIndex(of: "@") {
      user = String(rest[..<at])
      if user?.isEmpty ?? true { return nil }
      rest = rest[rest.index(after: at)...]
    }
    var portText: Substring?
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { return nil }
      host = String(rest[rest.index(after: rest.startIndex)..<close])
      let after = rest[rest.index(after: close)...]
      if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
    } else if rest.filter({ $0 == ":" }).count > 1 {
      host = String(rest)
    } else if let colon = rest.firstIndex(of: ":") {
      host = String(rest[..<colon])
      portText = rest[rest.index(after: colon)...]
    } else {
      host = String(rest)
    }
    if host.isEmpty || host.contains(where: { $0.isWhitespace || $0 == "," || $0 == "/" }) { return nil }
    if let portText {
      guard let value = Int(portText), (1...65535).contains(value) else { return nil }
      port = value
    }
  }

  public var description: String {
    var text = host.contains(":") ? "[\(host)]" : host
    if let user { text = "\(user)@\(text)" }
    if let port { text += ":\(port)" }
    return text
  }
}

/// What ssh_config decided for one connection, read back from libssh after parsing: `-v` shows it, and errors name
/// the resolved host, port and known_hosts file.
struct SSHConfigOutcome: Sendable {
  var host: String?
  var port: Int?
  var user: String?
  var identity: String?
  var knownHosts: String?
  var globalKnownHosts: String?
  var jump: SSHJumpHost?

  /// `HostName x, Port 2222, ...`: what the files set, for the log.
  var summary: String {
    var parts: [String] = []
    if let host { parts.append("HostName \(host)") }
    if let port { parts.append("Port \(port)") }
    if let user { parts.append("User \(user)") }
    if let identity { parts.append("IdentityFile \(identity)") }
    if let knownHosts { parts.append("UserKnownHostsFile \(knownHosts)") }
    if let globalKnownHosts { parts.append("GlobalKnownHostsFile \(globalKnownHosts)") }
    if let jump { parts.append("ProxyJump \(jump)") }
    return parts.isEmpty ? "nothing for this host" : parts.joined(separator: ", ")
  }

  /// The jump host of a ProxyCommand libssh 0.10 made from a ProxyJump line
  /// (`ssh [-l USER] [-p PORT] [-J NEXT] -W '[%h]:%p' HOST`, src/config.c), or why the command cannot be used.
  static func jump(fromProxyCommand command: String) -> Result<SSHJumpHost?, ProxyCommandRefusal> {
    if command.lowercased() == "none" { return .success(nil) }
    var words = command.split(separator: " ").map(String.init)
    guard words.first == "ssh", words.count >= 4, words[words.count - 3] == "-W",
      words[words.count - 2] == "'[%h]:%p'"
    else { return .failure(.notAJump(command)) }
    let host = words.removeLast()
    words.removeLast(2)
    words.removeFirst()
    var jump = SSHJumpHost(host: host)
    var index = 0
    while index + 1 < words.count {
      switch words[index] {
      case "-l": jump.user = words[index + 1]
      case "-p":
        guard let port = Int(words[index + 1]) else { return .failure(.notAJump(command)) }
        jump.port = port
      case "-J": return .failure(.chained(first: jump.host, rest: words[index + 1]))
      default: return .failure(.notAJump(command))
      }
      index += 2
    }
    if index != words.count { return .failure(.notAJump(command)) }
    return .success(jump)
  }

  enum ProxyCommandRefusal: Error, Equatable {
    case notAJump(String)
    case chained(first: String, rest: String)
  }
}
