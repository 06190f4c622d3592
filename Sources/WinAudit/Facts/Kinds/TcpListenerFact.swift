import Yams

/// The TCP listeners on a port, with the services that own them. The port is fixed, or the value of a registry fact
/// read in the same script (PortNumber), with a default for when that value is absent.
///
///     rdpListener:
///       tcpListener:
///         port: {fact: portNumber, default: 3389}    # or port: 3389
struct TcpListenerFact: FactKind {
  static let name = "tcpListener"
  static let collector = CollectorFunction(name: "Get-WinAuditTcpListener", embedded: PackageResources.TcpListener_ps1)
  static let fields = ["port", "listeners", "services", "processIds"]

  /// Where the port comes from.
  enum Port: Sendable, Hashable {
    case number(Int)
    case fact(String, defaultPort: Int)
  }

  var port: Port

  static func parse(_ parameters: FactParameters) -> TcpListenerFact? {
    guard let map = parameters.mapping(allowed: ["port"], required: ["port"]), let portNode = map["port"],
      let port = Port.parse(portNode, parameters)
    else { return nil }
    return TcpListenerFact(port: port)
  }

  var request: [(key: String, value: PowerShellValue)] {
    switch port {
    case .number(let number): [("port", .integer(number))]
    case .fact(let id, let defaultPort): [("portFact", .literal(id)), ("portDefault", .integer(defaultPort))]
    }
  }

  var dependencies: [String] {
    if case .fact(let id, _) = port { return [id] }
    return []
  }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    switch field {
    case nil: FactView(value: raw["listeners"] ?? .array([]))
    case "listeners": FactView(value: .array((raw["listeners"] ?? .null).list))
    case "services": FactView(value: FactView.collect(raw, "listeners", "services"))
    case "processIds": FactView(value: FactView.collect(raw, "listeners", "processId"))
    default: FactView(value: raw[field!] ?? .null)
    }
  }
}

extension TcpListenerFact.Port {
  /// Reads `port: 3389` or `port: {fact: portNumber, default: 3389}`; the fact must be a registry fact.
  static func parse(_ node: Node, _ parameters: FactParameters) -> Self? {
    let label = parameters.label
    let reader = parameters.reader
    if case .mapping = node {
      guard let portMap = reader.mapping(node, "\(label).port", allowed: ["fact", "default"], required: ["fact"]),
        let factNode = portMap["fact"], let factID = parameters.nonEmpty(factNode, "\(label).port.fact")
      else { return nil }
      let defaultPort = portMap["default"].flatMap { reader.int($0, "\(label).port.default", range: 1...65535) } ?? 3389
      parameters.reads(
        factID, at: factNode, kinds: [RegistryFact.name], purpose: "the port of fact '\(parameters.id)'")
      return .fact(factID, defaultPort: defaultPort)
    }
    guard let port = reader.int(node, "\(label).port", range: 1...65535) else { return nil }
    return .number(port)
  }
}
