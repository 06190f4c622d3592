import Foundation

/// One lab host's folder (`DIR/hosts/NAME`): the files `winlab up` writes for it and the login shell reads and updates.
///
/// The lab and winaudit agree on these file names; keeping every path here means the shell and the orchestration cannot disagree.
public struct HostDirectory: Sendable, Equatable {
  public let url: URL

  public init(_ url: URL) { self.url = url.standardizedFileURL }
  public init(path: String) { self.init(URL(fileURLWithPath: path)) }

  /// The host's current state (a copy of the fleet's state file, changed by fixes).
  public var stateFile: URL { url.appendingPathComponent("state.json") }
  /// Locked exclusively for a whole session, so concurrent sessions to one host never interleave state changes.
  public var stateLock: URL { url.appendingPathComponent("state.lock") }
  /// One line per powershell.exe start.
  public var processCount: URL { url.appendingPathComponent("process-count") }
  /// The lab settings of this host (`HostSettings`).
  public var settingsFile: URL { url.appendingPathComponent("host.json") }
  public var sshdConfig: URL { url.appendingPathComponent("sshd_config") }
  public var sshdPidFile: URL { url.appendingPathComponent("sshd.pid") }
  public var hostKey: URL { url.appendingPathComponent("ssh_host_ed25519_key") }
  public var sshdLog: URL { url.appendingPathComponent("sshd.log") }
  /// The real certificates behind the state's thumbprints, one PEM (certificate and key) per thumbprint.
  public var tlsDirectory: URL { url.appendingPathComponent("tls") }
  /// The certificate and key of the certificate whose thumbprint is `thumbprint`.
  public func certificatePEM(_ thumbprint: String) -> URL {
    tlsDirectory.appendingPathComponent(thumbprint.uppercased() + ".pem")
  }
  /// The middlebox certificate of an `rdpNetwork: proxy` host.
  public var proxyCertificatePEM: URL { tlsDirectory.appendingPathComponent("proxy.pem") }

  /// The number of powershell.exe processes started on this host so far.
  public func processStarts() -> Int {
    guard let text = try? String(contentsOf: processCount, encoding: .utf8) else { return 0 }
    return text.split(separator: "\n").count
  }
}

/// The lab-only settings of one host, written by `winlab up` from the fleet file (not part of the Windows state).
public struct HostSettings: Codable, Sendable, Equatable {
  /// The host's name in the fleet.
  public var name: String
  /// How long each powershell.exe start takes, in milliseconds (a cold 5.1 start is about 250 ms).
  public var startupMilliseconds: Int
  /// Cmdlets that take this many extra milliseconds on this host (Get-NetFirewallRule can take tens of seconds).
  public var slowCmdlets: [String: Int]
  /// Fault injection for tests: after this cmdlet has run `dropAfterCount` times (default 1) in one powershell.exe,
  /// the session saves the state changed so far and dies with its connection, as when a host drops mid-script.
  /// One-shot: the setting is cleared when it fires.
  public var dropAfterCommand: String?
  public var dropAfterCount: Int?
  /// Fault injection: only this many bytes of each session's stdin reach powershell.exe.
  public var truncateStdinAfter: Int?
  /// What the network does to RDP connections to this host; absent: `open`.
  public var rdpNetwork: RDPNetwork?
  /// Fault injection: powershell.exe is not installed (or not on cmd.exe's PATH), so the cmd.exe DefaultShell refuses
  /// to start it with its "is not recognized as an internal or external command" error and exit code 9009.
  public var powershellMissing: Bool?
  /// Fault injection: what each powershell.exe's stdout becomes (see `OutputFault`).
  public var outputFault: OutputFault?

  public init(
    name: String, startupMilliseconds: Int = 250, slowCmdlets: [String: Int] = [:], dropAfterCommand: String? = nil,
    dropAfterCount: Int? = nil, truncateStdinAfter: Int? = nil, rdpNetwork: RDPNetwork? = nil,
    powershellMissing: Bool? = nil, outputFault: OutputFault? = nil
  ) {
    self.truncateStdinAfter = truncateStdinAfter
    self.rdpNetwork = rdpNetwork
    self.powershellMissing = powershellMissing
    self.outputFault = outputFault
    self.name = name
    self.startupMilliseconds = startupMilliseconds
    self.slowCmdlets = slowCmdlets
    self.dropAfterCommand = dropAfterCommand
    self.dropAfterCount = dropAfterCount
  }

  /// The settings in `directory`, or the defaults when the file is missing.
  public static func load(from directory: HostDirectory) throws -> HostSettings {
    guard let data = try? Data(contentsOf: directory.settingsFile) else {
      return HostSettings(name: directory.url.lastPathComponent)
    }
    return try JSONDecoder().decode(HostSettings.self, from: data)
  }

  public func save(to directory: HostDirectory) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicFile.write(try encoder.encode(self), to: directory.settingsFile)
  }
}
