/// The address and port of an RDP listener to probe from the outside.
public struct ProbeTarget: Sendable, Hashable, CustomStringConvertible {
  /// A host name, an IPv4 address or an IPv6 address (without brackets; brackets are tolerated).
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// `host:port`, with an IPv6 address in brackets so the port stays readable.
  public var description: String {
    let bare = connectHost
    return bare.contains(":") ? "[\(bare)]:\(port)" : "\(bare):\(port)"
  }

  /// The host as the resolver wants it: `[::1]` written the URL way still connects.
  var connectHost: String {
    if host.hasPrefix("[") && host.hasSuffix("]") && host.count >= 2 {
      return String(host.dropFirst().dropLast())
    }
    return host
  }
}
