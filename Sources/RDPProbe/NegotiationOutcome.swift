/// How one negotiation attempt, on its own TCP connection, ended.
public enum NegotiationOutcome: Sendable, Equatable {
  /// The listener sent a whole Connection Confirm.
  case answered(ConnectionConfirm)
  /// ECONNREFUSED: nothing listens on the port, or a firewall rejects.
  case refused
  /// A phase ran out of time: `.connect` is an unanswered SYN (a dropping firewall or a host that is down),
  /// `.answer` a connection accepted but never answered.
  case timedOut(ProbePhase)
  /// The listener closed or reset the connection after accepting it, before a whole Confirm.
  case closedWithoutAnswer
  /// The listener answered with bytes that are not a Connection Confirm.
  case malformed(MalformedAnswer)
  /// Any other socket error (unreachable network, name not resolved), with the system's message.
  case failed(String)

  /// Whether a Connection Confirm came back.
  public var answered: Bool {
    if case .answered = self { return true }
    return false
  }

  /// Whether the TCP connection itself could not be made, so further connections to the target are pointless.
  var couldNotConnect: Bool {
    switch self {
    case .refused, .timedOut(.connect), .failed: true
    default: false
    }
  }
}
