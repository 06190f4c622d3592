import RDPProbe

/// The outside-in probe as the audit uses it; a protocol so unit tests can answer without sockets.
public protocol WireProber: Sendable {
  /// The timeouts, which the findings quote ("no answer within 5 s").
  var options: ProbeOptions { get }
  func probe(_ target: ProbeTarget) async -> ProbeResult
}

/// The real probe: RDPProbe's three negotiations and TLS handshake on NIO's shared event loops (no thread per host).
public struct RDPWireProber: WireProber {
  public let options: ProbeOptions
  private let prober: RDPProber

  public init(options: ProbeOptions = ProbeOptions()) {
    self.options = options
    self.prober = RDPProber(options: options)
  }

  /// One timeout for every phase (connect, answer, handshake), as `--probe-timeout` gives it.
  public init(timeout seconds: Double) {
    let duration = Duration.milliseconds(Int((seconds * 1000).rounded()))
    self.init(options: ProbeOptions(connectTimeout: duration, answerTimeout: duration, handshakeTimeout: duration))
  }

  public func probe(_ target: ProbeTarget) async -> ProbeResult {
    await prober.probe(target)
  }
}

extension Playbook {
  /// Probes `host` for every wire fact of the playbook (usually one), on the port each names; `facts` are the host's
  /// own facts when they could be read. One probe per distinct port.
  func wireFacts(
    for host: InventoryHost, facts: FactsDocument?, prober: any WireProber
  ) async -> [String: FactResult] {
    var results: [String: FactResult] = [:]
    var byPort: [Int: FactValue] = [:]
    for fact in wireFacts {
      guard let kind = fact.kind as? RDPWireFact else { continue }
      let port = kind.port(facts: facts, playbook: self, host: host)
      if byPort[port] == nil {
        let result = await prober.probe(ProbeTarget(host: host.address, port: port))
        byPort[port] = RDPWireFact.value(of: result, options: prober.options)
      }
      results[fact.id] = .value(byPort[port]!)
    }
    return results
  }
}
