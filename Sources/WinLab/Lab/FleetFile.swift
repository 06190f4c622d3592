import Foundation
import Yams

/// A lab fleet file (e.g. Samples/lab/fleet.yml): which hosts to start, from which state files, on which
/// addresses and ports.
public struct FleetFile: Sendable, Equatable {
  /// One host of the fleet.
  public struct Host: Sendable, Equatable {
    public var name: String
    /// The host state file, resolved against the fleet file's folder.
    public var state: URL
    /// The loopback address; default 127.0.10.<index+1>.
    public var address: String?
    /// The port; default the fleet's port.
    public var port: Int?
    /// Extra milliseconds per call of these cmdlets.
    public var slowCmdlets: [String: Int]
    /// Only this many bytes of each session's stdin reach powershell.exe (an old Win32-OpenSSH's truncation).
    public var truncateStdinAfter: Int?
    /// What the network between does to RDP connections (default open).
    public var rdpNetwork: RDPNetwork?

    public init(
      name: String, state: URL, address: String? = nil, port: Int? = nil, slowCmdlets: [String: Int] = [:],
      truncateStdinAfter: Int? = nil, rdpNetwork: RDPNetwork? = nil
    ) {
      self.truncateStdinAfter = truncateStdinAfter
      self.rdpNetwork = rdpNetwork
      self.name = name
      self.state = state
      self.address = address
      self.port = port
      self.slowCmdlets = slowCmdlets
    }
  }

  public static let defaultPort = 2222
  public static let defaultStartupMilliseconds = 250

  public var port: Int
  public var startupMilliseconds: Int
  public var hosts: [Host]

  public init(port: Int = defaultPort, startupMilliseconds: Int = defaultStartupMilliseconds, hosts: [Host]) {
    self.port = port
    self.startupMilliseconds = startupMilliseconds
    self.hosts = hosts
  }

  private struct Raw: Decodable {
    struct RawHost: Decodable {
      var name: String
      var state: String
      var address: String?
      var port: Int?
      var slowCmdlets: [String: Int]?
      var truncateStdinAfter: Int?
      var rdpNetwork: RDPNetwork?
    }
    var port: Int?
    var startupMilliseconds: Int?
    var hosts: [RawHost]
  }

  /// Reads a fleet file; state paths are relative to its folder.
  public static func load(from url: URL) throws -> FleetFile {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw LabShellError("cannot read the fleet file \(url.path): \(error.localizedDescription)")
    }
    let raw: Raw
    do {
      raw = try YAMLDecoder().decode(Raw.self, from: text)
    } catch {
      throw LabShellError("\(url.path): not a fleet file: \(error)")
    }
    let folder = url.deletingLastPathComponent()
    var seen = Set<String>()
    for host in raw.hosts where !seen.insert(host.name).inserted {
      throw LabShellError("\(url.path): host \(host.name) appears twice")
    }
    for host in raw.hosts where !host.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
      throw LabShellError("\(url.path): host name '\(host.name)' must be letters, digits, '-' or '_'")
    }
    return FleetFile(
      port: raw.port ?? defaultPort,
      startupMilliseconds: raw.startupMilliseconds ?? defaultStartupMilliseconds,
      hosts: raw.hosts.map { host in
        Host(
          name: host.name,
          state: host.state.hasPrefix("/")
            ? URL(fileURLWithPath: host.state) : folder.appendingPathComponent(host.state).standardizedFileURL,
          address: host.address, port: host.port, slowCmdlets: host.slowCmdlets ?? [:],
          truncateStdinAfter: host.truncateStdinAfter, rdpNetwork: host.rdpNetwork)
      })
  }

  /// The fleet file text for `fleet` with state paths written relative to `folder` when they are inside it.
  public func yaml(relativeTo folder: URL) -> String {
    var lines = ["port: \(port)", "startupMilliseconds: \(startupMilliseconds)", "hosts:"]
    let base = folder.standardizedFileURL.path + "/"
    for host in hosts {
      let path = host.state.standardizedFileURL.path
      lines.append("  - name: \(host.name)")
      lines.append("    state: \(path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path)")
      if let address = host.address { lines.append("    address: \(address)") }
      if let port = host.port { lines.append("    port: \(port)") }
      if !host.slowCmdlets.isEmpty {
        let pairs = host.slowCmdlets.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        lines.append("    slowCmdlets: {\(pairs.joined(separator: ", "))}")
      }
      if let limit = host.truncateStdinAfter { lines.append("    truncateStdinAfter: \(limit)") }
      if let network = host.rdpNetwork { lines.append("    rdpNetwork: \(network.rawValue)") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes a fleet of `count` healthy clones of the host in `template` (the benchmark's fleet): their state files go to
  /// `hosts/` next to `output`.
  @discardableResult
  public static func writeClones(count: Int, from template: URL, to output: URL, prefix: String = "bench") throws
    -> FleetFile
  {
    let state: HostState
    do {
      state = try HostState.load(from: template)
    } catch {
      throw LabShellError(error.message)
    }
    let folder = output.deletingLastPathComponent()
    let hostsFolder = folder.appendingPathComponent("hosts")
    try FileManager.default.createDirectory(at: hostsFolder, withIntermediateDirectories: true)
    var hosts: [Host] = []
    for clone in Fleet.healthyClones(count: count, from: state, prefix: prefix) {
      let url = hostsFolder.appendingPathComponent("\(clone.name).json")
      try AtomicFile.write(clone.state.jsonData(), to: url)
      hosts.append(Host(name: clone.name, state: url))
    }
    let fleet = FleetFile(hosts: hosts)
    try AtomicFile.write(Data(fleet.yaml(relativeTo: folder).utf8), to: output)
    return fleet
  }
}
