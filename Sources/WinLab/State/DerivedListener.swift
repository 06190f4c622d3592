/// The RDP listener as the lab derives it: present when TermService runs, the effective fDenyTSConnections is 0 and
/// the WinStation is enabled; on the PortNumber TermService read when it last started.
public struct RDPListener: Sendable, Equatable {
  public var port: Int
  /// TermService's process id (Get-NetTCPConnection OwningProcess).
  public var processId: Int
  /// The certificate it presents; nil means no TLS (the MachineKeys or certificate store is broken).
  public var certificate: Certificate?
}

/// One row of Get-NetTCPConnection.
public struct TCPConnection: Sendable, Equatable {
  public var localAddress: String
  public var localPort: Int
  public var remoteAddress: String
  public var remotePort: Int
  /// `Listen` (the lab models listeners only).
  public var state: String
  public var owningProcess: Int
}

extension HostState {
  /// The service that owns the RDP listener.
  public static let termService = "TermService"

  /// The RDP listener, nil when there is none.
  public var rdpListener: RDPListener? {
    guard let service = service(Self.termService), service.isRunning, let pid = processId(of: service.name) else {
      return nil
    }
    let settings = effectiveRDPSettings
    guard settings.denyConnections.value == 0, settings.winStationEnabled else { return nil }
    return RDPListener(
      port: service.listenerPort ?? settings.portNumber, processId: pid, certificate: listenerCertificate)
  }

  /// The process id of a running service (Win32_Service ProcessId): stable per service, 0 when stopped.
  public func processId(of serviceName: String) -> Int? {
    guard let index = services.firstIndex(where: { $0.name.caseInsensitiveCompare(serviceName) == .orderedSame }),
      services[index].isRunning
    else { return nil }
    return 1_000 + 36 * index + (services[index].name.utf8.reduce(0) { $0 + Int($1) } % 9) * 4
  }

  /// Services that listen on a fixed TCP port when running (besides the RDP listener).
  static let fixedListeners: [(service: String, port: Int)] = [("RpcSs", 135), ("sshd", 22), ("WinRM", 5985)]

  /// Get-NetTCPConnection's listening sockets: the RDP listener and a few well-known services, IPv4 and IPv6.
  public var tcpListeners: [TCPConnection] {
    var ports: [(Int, Int)] = []
    for listener in Self.fixedListeners {
      if let pid = processId(of: listener.service) { ports.append((listener.port, pid)) }
    }
    ports.append((445, 4))
    if let rdp = rdpListener { ports.append((rdp.port, rdp.processId)) }
    return ports.sorted { $0.0 < $1.0 }.flatMap { port, pid in
      ["0.0.0.0", "::"].map {
        TCPConnection(
          localAddress: $0, localPort: port, remoteAddress: $0, remotePort: 0, state: "Listen", owningProcess: pid)
      }
    }
  }
}
