import Foundation
import RDPProbe

/// What a probe's three answers say about a listener, in the terms the controls judge (MS-RDPBCGR 2.2.1.2; the
/// readings of nmap's rdp-enum-encryption, rdp-sec-check and Nessus plugin 58453).
///
/// Each reading is three-valued: nil means the answers do not tell (the listener did not answer that question, or
/// answered something that decides nothing), so a control can say "unknown" instead of guessing.
struct WireReading: Sendable {
  /// Something answered the negotiation on the port.
  var answered: Bool
  /// Why nothing answered, for people (`connection refused`, `no answer within 5 s`); nil when something did.
  var silence: String?
  /// A client that offers only standard RDP security is let in (the 0x0 request was selected, or a legacy server).
  var standardRDPAccepted: Bool?
  /// A client that does not do NLA is refused: both the standard RDP and the TLS-only request got "CredSSP required"
  /// (failure 5). False as soon as either got in, or was told "TLS required" (failure 1: TLS without CredSSP would
  /// do) or "TLS not allowed" (failure 2: standard RDP only, where CredSSP cannot run).
  var nlaEnforced: Bool?
  /// The listener can do TLS: a TLS or CredSSP request was selected and the handshake gave a certificate. False on
  /// failure 3 (no usable certificate) or a failed handshake; nil when TLS was never offered (SecurityLayer 0).
  var tlsAvailable: Bool?
  /// Why TLS is not available, for people.
  var tlsProblem: String?
  /// The certificate the listener presented.
  var certificate: WireCertificate?
  /// Each question and its answer, in words: `standard RDP: failure 5 (CredSSP required by server)`.
  var answers: [(request: String, answer: String)]

  init(_ result: ProbeResult, timeouts: ProbeOptions) {
    // The three outcomes are copied out of `result` first and confirms are read with plain switches: Swift 6.3's
    // optimizer crashes (CopyPropagation, "outside of lifetime use") on this initializer when it borrows `result`
    // across the closures below, which breaks `swift build -c release`.
    let standard = result.standardRDP
    let tls = result.tls
    let credSSP = result.credSSP
    let presented = result.certificate
    let outcomes = [("standard RDP", standard), ("TLS", tls), ("CredSSP", credSSP)]
    answers = outcomes.map { ($0.0, Self.describe($0.1, timeouts: timeouts)) }
    answered = outcomes.contains { $0.1.answered }
    silence = answered ? nil : Self.describe(standard, timeouts: timeouts)

    let standardConfirm = Self.confirm(standard)
    let tlsConfirm = Self.confirm(tls)
    let credSSPConfirm = Self.confirm(credSSP)
    switch standardConfirm {
    case .legacy?, .selected(protocol: 0, _)?: standardRDPAccepted = true
    case nil: standardRDPAccepted = nil
    default: standardRDPAccepted = false
    }
    let standardSays = standardConfirm.flatMap { Self.nlaVerdict($0) }
    let tlsSays = tlsConfirm.flatMap { Self.nlaVerdict($0) }
    if standardSays == false || tlsSays == false {
      nlaEnforced = false
    } else if standardSays == true && tlsSays == true {
      nlaEnforced = true
    } else {
      nlaEnforced = nil
    }

    let confirms = [tlsConfirm, credSSPConfirm].compactMap { $0 }
    let selectedTLS = confirms.contains {
      if case .selected(let p, _) = $0 { p == 1 || p == 2 || p == 8 } else { false }
    }
    let noCertificate = confirms.contains { $0 == .failure(code: 3) }
    switch presented {
    case .certificate(let wireCertificate)?:
      certificate = wireCertificate
      tlsAvailable = true
    case .handshakeFailed(let message)?:
      tlsAvailable = false
      tlsProblem = "the TLS handshake failed after the listener selected TLS: \(message)"
    case .timedOut?:
      tlsAvailable = false
      tlsProblem = "the TLS handshake did not finish within \(Self.seconds(timeouts.handshakeTimeout))"
    case .unreadable(let message)?:
      tlsAvailable = true
      tlsProblem = "the certificate could not be read: \(message)"
    case nil:
      if noCertificate {
        tlsAvailable = false
        tlsProblem = "the listener answers failure 3: it has no usable certificate"
      } else if selectedTLS {
        tlsAvailable = nil
      }
    }
  }

  /// Whether one Connection Confirm to a request without CredSSP says NLA is required; nil when it does not tell.
  private static func nlaVerdict(_ confirm: ConnectionConfirm) -> Bool? {
    switch confirm {
    case .legacy, .selected(protocol: 0, _), .selected(protocol: 1, _): false
    case .failure(code: 1), .failure(code: 2): false
    case .failure(code: 5): true
    default: nil
    }
  }

  private static func confirm(_ outcome: NegotiationOutcome) -> ConnectionConfirm? {
    if case .answered(let confirm) = outcome { return confirm }
    return nil
  }

  /// The name of a selected protocol (requestedProtocols / selectedProtocol values of MS-RDPBCGR 2.2.1.1.1).
  static func protocolName(_ value: UInt32) -> String {
    switch value {
    case 0: "standard RDP security"
    case 1: "TLS"
    case 2: "CredSSP (NLA)"
    case 4: "RDSTLS"
    case 8: "CredSSP with early user authorization"
    default: String(format: "protocol 0x%X", value)
    }
  }

  /// One outcome in words.
  static func describe(_ outcome: NegotiationOutcome, timeouts: ProbeOptions) -> String {
    switch outcome {
    case .answered(.legacy): "a legacy answer without negotiation (standard RDP security only)"
    case .answered(.selected(let chosen, _)): "selected \(protocolName(chosen))"
    case .answered(let confirm):
      if case .failure(let code) = confirm {
        "refused with failure \(code)" + (confirm.failureMeaning.map { " (\($0))" } ?? " (undocumented code)")
      } else {
        "answered"
      }
    case .refused: "connection refused: nothing listens there, or a firewall rejects the connection"
    case .timedOut(.connect):
      "no answer to the connection within \(seconds(timeouts.connectTimeout)): a firewall drops it, or the address "
        + "is unreachable"
    case .timedOut(.answer):
      "the connection was accepted but no RDP answer came within \(seconds(timeouts.answerTimeout)): something "
        + "else listens there, or a middlebox holds the connection"
    case .timedOut(.handshake): "the TLS handshake did not finish within \(seconds(timeouts.handshakeTimeout))"
    case .closedWithoutAnswer: "the connection was closed before an RDP answer: something other than RDP listens there"
    case .malformed(let problem): "an answer that is not RDP: \(problem.reason)"
    case .failed(let message): "the connection failed: \(message)"
    }
  }

  static func seconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
  }
}
