import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Asks an RDP listener, from the outside and without credentials, which security protocols it accepts and which
/// certificate it shows. Sockets live on a NIO event loop, so probing many hosts takes no thread per host.
public struct RDPProber: Sendable {
  private let options: ProbeOptions
  private let group: any EventLoopGroup

  /// `group` runs the sockets; the process-wide singleton unless the caller owns one.
  public init(
    options: ProbeOptions = ProbeOptions(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) {
    self.options = options
    self.group = group
  }

  /// Three connections, one after the other: standard RDP (0x0), TLS (0x1), CredSSP with TLS (0x3). When the first
  /// cannot connect (refused, connect timeout, failed), the other two are not tried and carry the same outcome (a
  /// silent host then costs one connect timeout, not three).
  public func probe(_ target: ProbeTarget) async -> ProbeResult {
    let (standardRDP, _) = await negotiate(target, requesting: .standardRDP, handshake: false)
    guard !standardRDP.couldNotConnect else {
      return ProbeResult(
        target: target, standardRDP: standardRDP, tls: standardRDP, credSSP: standardRDP, certificate: nil)
    }
    let (tls, tlsCertificate) = await negotiate(target, requesting: .tls, handshake: true)
    let (credSSP, credSSPCertificate) = await negotiate(
      target, requesting: [.tls, .credSSP], handshake: tlsCertificate == nil)
    return ProbeResult(
      target: target, standardRDP: standardRDP, tls: tls, credSSP: credSSP,
      certificate: tlsCertificate ?? credSSPCertificate)
  }

  /// One negotiation on its own connection (used by probe; public for `winaudit probe --only`-style use and tests).
  /// When handshake is true and the answer selects TLS/CredSSP, also does the TLS handshake and returns the
  /// certificate.
  public func negotiate(
    _ target: ProbeTarget, requesting protocols: RequestedProtocols, handshake: Bool
  ) async -> (NegotiationOutcome, CertificateOutcome?) {
    let host = target.connectHost
    guard !host.isEmpty else { return (.failed("no host name or address"), nil) }
    guard (1...65535).contains(target.port) else { return (.failed("port \(target.port) is out of range"), nil) }

    let request = ConnectionRequest.bytes(requesting: protocols)
    let options = self.options
    let setup = handshake ? HandshakeSetup(context: Self.tlsContext, serverHostname: Self.sniName(host)) : nil
    let bootstrap = ClientBootstrap(group: group)
      .connectTimeout(TimeAmount(options.connectTimeout))
      // Nothing is read until `start`, on the one connection Happy Eyeballs keeps.
      .channelOption(ChannelOptions.autoRead, value: false)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(
            NegotiationHandler(request: request, options: options, handshake: setup))
        }
      }

    // Connect and ask in one chain on the event loop: no hop through the Swift concurrency pool between the connection
    // and the request, so a busy pool delays only when the result is read, never the exchange (a listener that waits
    // for the request with a deadline would otherwise hang up first).
    let attempt = bootstrap.connect(host: host, port: target.port).flatMapError { error in
      group.next().makeFailedFuture(ConnectFailure(error: error))
    }.flatMap { channel -> EventLoopFuture<NegotiationAttempt> in
      do {
        let handler = try channel.pipeline.syncOperations.handler(type: NegotiationHandler.self)
        return handler.start(on: channel.eventLoop)
      } catch {
        // The pipeline was already torn down: the listener hung up before we could ask.
        channel.close(promise: nil)
        return channel.eventLoop.makeSucceededFuture((.closedWithoutAnswer, nil))
      }
    }
    do {
      return try await attempt.get()
    } catch let failure as ConnectFailure {
      return (Self.outcome(ofConnectError: failure.error), nil)
    } catch {
      return (.closedWithoutAnswer, nil)
    }
  }

  /// A connect error, kept apart from what happens after the connection was made.
  private struct ConnectFailure: Error {
    var error: any Error
  }

  /// One client context for the process. Verification is off on purpose: the probe reads the certificate, it does
  /// not trust it. TLS 1.0 stays allowed so old listeners still show their certificate.
  private static let tlsContext = Result<NIOSSLContext, any Error> {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .none
    configuration.trustRoots = .certificates([])
    configuration.minimumTLSVersion = .tlsv1
    // 3DES as well: the only TLS 1.0 cipher some old listeners share with BoringSSL. Nothing secret goes over it.
    configuration.cipherSuites = defaultCipherSuites + ":RSA+3DES"
    // After the certificate is read the probe closes; a peer that ignores close_notify must not hold the socket.
    configuration.shutdownTimeout = .seconds(1)
    return try NIOSSLContext(configuration: configuration)
  }

  /// The name for SNI, or nil for an IP address (which SNI must not carry).
  private static func sniName(_ host: String) -> String? {
    (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
  }

  /// Maps what NIO reports for a failed connect to the probe's vocabulary; Happy Eyeballs wraps per-address errors.
  static func outcome(ofConnectError error: any Error) -> NegotiationOutcome {
    if let error = error as? ChannelError, case .connectTimeout = error { return .timedOut(.connect) }
    if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return .refused }
    guard let error = error as? NIOConnectionError else { return .failed(String(describing: error)) }
    let failures = error.connectionErrors.map(\.error)
    if failures.contains(where: { ($0 as? IOError)?.errnoCode == ECONNREFUSED }) { return .refused }
    if !failures.isEmpty,
      failures.allSatisfy({ failure in
        if let channelError = failure as? ChannelError, case .connectTimeout = channelError { return true }
        return false
      })
    {
      return .timedOut(.connect)
    }
    if failures.isEmpty, let dnsError = error.dnsAError ?? error.dnsAAAAError {
      return .failed("cannot resolve \(error.host): \(dnsError)")
    }
    return .failed(failures.map { String(describing: $0) }.joined(separator: "; "))
  }
}
