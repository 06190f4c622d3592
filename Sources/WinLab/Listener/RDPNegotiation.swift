/// The security protocols of MS-RDPBCGR's RDP_NEG_REQ / RDP_NEG_RSP (2.2.1.1.1, 2.2.1.2.1).
public struct RDPProtocols: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// PROTOCOL_SSL: TLS.
  public static let tls = RDPProtocols(rawValue: 0x1)
  /// PROTOCOL_HYBRID: CredSSP (NLA).
  public static let hybrid = RDPProtocols(rawValue: 0x2)
  /// PROTOCOL_RDSTLS.
  public static let rdstls = RDPProtocols(rawValue: 0x4)
  /// PROTOCOL_HYBRID_EX: CredSSP with early user authorization.
  public static let hybridEx = RDPProtocols(rawValue: 0x8)
}

/// The server's answer to a Connection Request: the protocol it selects, or why it refuses.
public enum RDPNegotiationAnswer: Sendable, Equatable {
  /// RDP_NEG_RSP with selectedProtocol (0 is standard RDP security).
  case selected(UInt32)
  /// RDP_NEG_FAILURE with failureCode.
  case failure(RDPNegotiationFailure)

  /// Whether a TLS handshake follows on the same socket (TLS or CredSSP selected).
  public var startsTLS: Bool {
    if case .selected(let value) = self { return value != 0 }
    return false
  }
}

/// RDP_NEG_FAILURE failureCode values [MS-RDPBCGR 2.2.1.2.2].
public enum RDPNegotiationFailure: UInt32, Sendable, Equatable {
  case sslRequiredByServer = 1
  case sslNotAllowedByServer = 2
  case sslCertNotOnServer = 3
  case inconsistentFlags = 4
  case hybridRequiredByServer = 5
  case sslWithUserAuthRequiredByServer = 6
}

/// What the listener knows when it answers: the host's effective settings at that moment.
public struct RDPListenerSecurity: Sendable, Equatable {
  /// Effective SecurityLayer: 0 standard RDP, 1 Negotiate, 2 TLS.
  public var securityLayer: Int64
  /// Effective UserAuthentication: 1 NLA required.
  public var userAuthentication: Int64
  /// Whether TermService has a certificate it can present (`HostState.listenerCertificate`).
  public var hasUsableCertificate: Bool

  public init(securityLayer: Int64, userAuthentication: Int64, hasUsableCertificate: Bool) {
    self.securityLayer = securityLayer
    self.userAuthentication = userAuthentication
    self.hasUsableCertificate = hasUsableCertificate
  }

  /// NLA is enforced only when it can run: CredSSP needs the TLS layer, so with SecurityLayer 0 UserAuthentication 1
  /// does not help (rdp-wire-and-errors.md section 3, "NLA needs the TLS layer").
  public var requiresNLA: Bool { userAuthentication == 1 && securityLayer != 0 }
}

extension RDPListenerSecurity {
  /// The answer a Windows RDP listener gives to `requested`, after MS-RDPBCGR 3.3.5.3.1 and the readings of nmap's
  /// rdp-enum-encryption and rdp-sec-check (rdp-wire-and-errors.md section 1):
  ///
  /// - Standard RDP only (no TLS or CredSSP bit): failure 5 (HYBRID_REQUIRED) when NLA is required, else failure 1
  ///   (SSL_REQUIRED) when SecurityLayer is 2, else standard RDP security is selected (0).
  /// - TLS without CredSSP: failure 2 (SSL_NOT_ALLOWED) when SecurityLayer is 0, else failure 5 when NLA is required,
  ///   else failure 3 (SSL_CERT_NOT_ON_SERVER) without a usable certificate, else TLS is selected (1).
  /// - CredSSP (0x2 or 0x8; clients set TLS with it, and Windows accepts 0x2 alone as nmap sends it): failure 2 when
  ///   SecurityLayer is 0, else failure 3 without a usable certificate, else CredSSP is selected (2, or 8 when only
  ///   HYBRID_EX was asked for).
  ///
  /// RDSTLS (0x4) is not offered by a plain Session Host listener and is ignored.
  public func answer(to requested: RDPProtocols) -> RDPNegotiationAnswer {
    if requested.contains(.hybrid) || requested.contains(.hybridEx) {
      if securityLayer == 0 { return .failure(.sslNotAllowedByServer) }
      if !hasUsableCertificate { return .failure(.sslCertNotOnServer) }
      return .selected(requested.contains(.hybrid) ? RDPProtocols.hybrid.rawValue : RDPProtocols.hybridEx.rawValue)
    }
    if requested.contains(.tls) {
      if securityLayer == 0 { return .failure(.sslNotAllowedByServer) }
      if requiresNLA { return .failure(.hybridRequiredByServer) }
      if !hasUsableCertificate { return .failure(.sslCertNotOnServer) }
      return .selected(RDPProtocols.tls.rawValue)
    }
    if requiresNLA { return .failure(.hybridRequiredByServer) }
    if securityLayer == 2 { return .failure(.sslRequiredByServer) }
    return .selected(0)
  }
}

extension HostState {
  /// What the RDP listener knows of its security settings now (policy values win over local ones).
  public var rdpListenerSecurity: RDPListenerSecurity {
    let settings = effectiveRDPSettings
    return RDPListenerSecurity(
      securityLayer: settings.securityLayer.value, userAuthentication: settings.userAuthentication.value,
      hasUsableCertificate: listenerCertificate != nil)
  }
}
