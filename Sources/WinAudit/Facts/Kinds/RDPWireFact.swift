import Foundation
import RDPProbe

/// What the host's RDP listener answers from the auditing machine: the outside-in probe (three X.224 negotiations and
/// a TLS handshake, no credentials). Not collected by PowerShell: winaudit probes the host's address itself, on the
/// port a registry fact names (PortNumber, what clients are told to use), after the collector; when SSH fails, on the
/// inventory's `rdp_port` or the default.
///
///     rdpWire:
///       rdpWire:
///         port: {fact: portNumber, default: 3389}    # or port: 3389
///
/// Value: {target, port, answered, silence, answers: [{request, answer}], standardRdpAccepted, nlaEnforced,
/// tlsAvailable, tlsProblem, certificate: {thumbprint, subject, issuer, notBefore, notAfter} | null}; the three
/// readings are true, false or null (the answers do not tell).
struct RDPWireFact: FactKind {
  static let name = "rdpWire"
  static let origin = FactOrigin.wire
  /// Never part of a collector script (`Playbook.requiredFacts` leaves wire facts out).
  static let collector = CollectorFunction(name: "", text: "")
  static let fields = [
    "answered", "target", "port", "standardRdpAccepted", "nlaEnforced", "tlsAvailable", "certificate",
    "certificateThumbprint", "certificateSubject", "certificateIssuer", "certificateNotBefore", "certificateNotAfter",
  ]

  var port: TcpListenerFact.Port

  static func parse(_ parameters: FactParameters) -> RDPWireFact? {
    guard let map = parameters.mapping(allowed: ["port"], required: ["port"]), let portNode = map["port"],
      let port = TcpListenerFact.Port.parse(portNode, parameters)
    else { return nil }
    return RDPWireFact(port: port)
  }

  var request: [(key: String, value: PowerShellValue)] { [] }

  var dependencies: [String] {
    if case .fact(let id, _) = port { return [id] }
    return []
  }

  /// The port to probe: the fixed one, else the registry fact's effective value from the host's facts, else the
  /// inventory's `rdp_port`, else the fact's default.
  func port(facts: FactsDocument?, playbook: Playbook, host: InventoryHost) -> Int {
    switch port {
    case .number(let number): return number
    case .fact(let id, let defaultPort):
      if let facts, let fact = playbook.fact(id), case .value(let raw)? = facts.facts[id],
        let configured = FactView.resolve(FactPath(id), of: fact, raw: raw).value.asInt.flatMap({ Int(exactly: $0) }),
        (1...65535).contains(configured)
      {
        return configured
      }
      return host.rdpPort ?? defaultPort
    }
  }

  /// The fact's value for one probe.
  static func value(of result: ProbeResult, options: ProbeOptions) -> FactValue {
    let reading = WireReading(result, timeouts: options)
    func flag(_ value: Bool?) -> FactValue { value.map(FactValue.bool) ?? .null }
    let certificate: FactValue =
      reading.certificate.map { presented in
        .object([
          .init("thumbprint", .string(presented.sha1Thumbprint)), .init("subject", .string(presented.subject)),
          .init("issuer", .string(presented.issuer)),
          .init("notBefore", .string(ISODate.roundTrip(presented.notBefore))),
          .init("notAfter", .string(ISODate.roundTrip(presented.notAfter))),
        ])
      } ?? .null
    return .object([
      .init("target", .string(result.target.description)), .init("port", .int(Int64(result.target.port))),
      .init("answered", .bool(reading.answered)), .init("silence", reading.silence.map(FactValue.string) ?? .null),
      .init(
        "answers",
        .array(
          reading.answers.map { .object([.init("request", .string($0.request)), .init("answer", .string($0.answer))]) }
        )),
      .init("standardRdpAccepted", flag(reading.standardRDPAccepted)), .init("nlaEnforced", flag(reading.nlaEnforced)),
      .init("tlsAvailable", flag(reading.tlsAvailable)),
      .init("tlsProblem", reading.tlsProblem.map(FactValue.string) ?? .null), .init("certificate", certificate),
    ])
  }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    let note = Self.summary(raw)
    switch field {
    case nil, "answered":
      return FactView(value: raw["answered"] ?? .null, note: note)
    case "nlaEnforced", "standardRdpAccepted":
      let value = raw[field!] ?? .null
      var view = FactView(value: value, note: note)
      if value.isNull {
        view.unavailable =
          "the listener's answers do not tell (\(note ?? "no answers")); \(field!) cannot be judged from the wire"
      }
      return view
    case "certificate": return FactView(value: raw["certificate"] ?? .null, note: note)
    case let name? where name.hasPrefix("certificate"):
      let member = name.dropFirst("certificate".count)
      let key = member.prefix(1).lowercased() + member.dropFirst()
      let value = (raw["certificate"] ?? .null)[key] ?? .null
      return FactView(value: value, note: raw["tlsProblem"]?.string ?? note)
    case let name?: return FactView(value: raw[name] ?? .null, note: note)
    }
  }

  /// The answers in one line, which every drift on the wire quotes: `from here, 10.0.0.5:3389 answered: ...`.
  static func summary(_ raw: FactValue) -> String? {
    let target = raw["target"]?.string ?? "the listener"
    if raw["answered"] == .bool(false) {
      return "from here, \(target): \(raw["silence"]?.string ?? "no answer")"
    }
    let answers = (raw["answers"] ?? .null).list.compactMap { item -> String? in
      guard let request = item["request"]?.string, let answer = item["answer"]?.string else { return nil }
      return "asked for \(request): \(answer)"
    }
    return answers.isEmpty ? nil : "from here, \(target): " + answers.joined(separator: "; ")
  }
}
