import NIOCore
import NIOSSL
import NIOTLS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How one negotiation connection ended, and the certificate when a handshake was asked for and made.
typealias NegotiationAttempt = (NegotiationOutcome, CertificateOutcome?)

/// The TLS side of a negotiation: the shared client context (or why it could not be made) and the SNI name.
struct HandshakeSetup: Sendable {
  var context: Result<NIOSSLContext, any Error>
  /// nil for IP addresses, which must not go into SNI.
  var serverHostname: String?
}

/// Drives one probe connection on its event loop: sends the Connection Request, frames the Confirm, and after a
/// TLS or CredSSP selection runs the TLS handshake on the same socket to read the certificate.
///
/// Every phase ends in exactly one way: an answer, an error, a close, or its timeout. The connection is closed as
/// soon as the outcome is known, so a stalling or flooding listener costs one timeout and a few hundred bytes.
/// The handler does nothing until `start` is called on the connection that won the connect: Happy Eyeballs may
/// set up and drop other connections first, and those must neither send nor report.
final class NegotiationHandler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private enum State {
    case waitingForStart
    case awaitingAnswer(ConfirmReader)
    case handshaking(ConnectionConfirm, NIOSSLClientHandler)
    case finished
  }

  private let request: [UInt8]
  private let options: ProbeOptions
  private let handshake: HandshakeSetup?
  private var state = State.waitingForStart
  private var context: ChannelHandlerContext?
  private var promise: EventLoopPromise<NegotiationAttempt>?
  private var timer: Scheduled<Void>?
  /// How the connection ended while nobody had started it yet.
  private var endedBeforeStart: NegotiationOutcome?

  /// `handshake` nil: report the answer only, even when it selects TLS.
  init(request: [UInt8], options: ProbeOptions, handshake: HandshakeSetup?) {
    self.request = request
    self.options = options
    self.handshake = handshake
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    finish(endedBeforeStart ?? .closedWithoutAnswer, nil)
    self.context = nil
  }

  /// Sends the request and starts reading (the bootstrap leaves auto-read off until now). Call on the event loop.
  func start(on eventLoop: any EventLoop) -> EventLoopFuture<NegotiationAttempt> {
    let promise = eventLoop.makePromise(of: NegotiationAttempt.self)
    self.promise = promise
    guard case .waitingForStart = state, let context, context.channel.isActive else {
      finish(endedBeforeStart ?? .closedWithoutAnswer, nil)
      return promise.futureResult
    }
    state = .awaitingAnswer(ConfirmReader())
    arm(options.answerTimeout) { $0.finish(.timedOut(.answer), nil) }
    context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: request)), promise: nil)
    do {
      if let options = context.channel.syncOptions {
        try options.setOption(ChannelOptions.autoRead, value: true)
      } else {
        context.read()
      }
    } catch {
      context.read()
    }
    return promise.futureResult
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    // Bytes after the Confirm, or application data after the handshake, are not read: the outcome is known.
    guard case .awaitingAnswer(var reader) = state else { return }
    let buffer = unwrapInboundIn(data)
    switch reader.consume(buffer.readableBytesView) {
    case .needMore:
      state = .awaitingAnswer(reader)
    case .malformed(let malformed):
      finish(.malformed(malformed), nil)
    case .complete(let bytes):
      let confirm: ConnectionConfirm
      do throws(MalformedAnswer) {
        confirm = try ConnectionConfirm(bytes: bytes)
      } catch {
        finish(.malformed(error), nil)
        return
      }
      if confirm.selectsTLS, let handshake {
        beginHandshake(context: context, after: confirm, setup: handshake)
      } else {
        finish(.answered(confirm), nil)
      }
    }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    guard case .handshaking(let confirm, let tlsHandler) = state, let tlsEvent = event as? TLSUserEvent,
      case .handshakeCompleted = tlsEvent
    else {
      context.fireUserInboundEventTriggered(event)
      return
    }
    finish(.answered(confirm), Self.certificate(tlsHandler.peerCertificate))
  }

  func channelInactive(context: ChannelHandlerContext) {
    switch state {
    case .waitingForStart:
      endedBeforeStart = .closedWithoutAnswer
    case .awaitingAnswer:
      finish(.closedWithoutAnswer, nil)
    case .handshaking(let confirm, _):
      finish(.answered(confirm), .handshakeFailed("the server closed the connection during the TLS handshake"))
    case .finished:
      break
    }
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    switch state {
    case .waitingForStart:
      endedBeforeStart = Self.outcome(ofSocketError: error)
    case .awaitingAnswer:
      finish(Self.outcome(ofSocketError: error), nil)
    case .handshaking(let confirm, _):
      finish(.answered(confirm), .handshakeFailed(String(describing: error)))
    case .finished:
      break
    }
  }

  /// Puts a TLS client in front of this handler on the same socket; NIOSSL starts the handshake as it is added.
  private func beginHandshake(context: ChannelHandlerContext, after confirm: ConnectionConfirm, setup: HandshakeSetup) {
    let sslContext: NIOSSLContext
    switch setup.context {
    case .success(let made):
      sslContext = made
    case .failure(let error):
      finish(.answered(confirm), .handshakeFailed("no TLS client: \(error)"))
      return
    }
    do {
      let tlsHandler: NIOSSLClientHandler
      do {
        tlsHandler = try NIOSSLClientHandler(context: sslContext, serverHostname: setup.serverHostname)
      } catch {
        // A name NIOSSL will not put into SNI: the server does not need it to show its certificate.
        tlsHandler = try NIOSSLClientHandler(context: sslContext, serverHostname: nil)
      }
      state = .handshaking(confirm, tlsHandler)
      arm(options.handshakeTimeout) { $0.finish(.answered(confirm), .timedOut) }
      try context.pipeline.syncOperations.addHandler(tlsHandler, position: .before(self))
    } catch {
      finish(.answered(confirm), .handshakeFailed(String(describing: error)))
    }
  }

  /// Replaces the running phase timeout with one for the phase that starts now.
  private func arm(_ duration: Duration, onExpiry: @escaping (NegotiationHandler) -> Void) {
    timer?.cancel()
    guard let context else { return }
    timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(duration)) { [self] in
      onExpiry(self)
    }
  }

  /// Reports the outcome once, then closes the connection: nothing more is read from this listener.
  private func finish(_ outcome: NegotiationOutcome, _ certificate: CertificateOutcome?) {
    state = .finished
    timer?.cancel()
    timer = nil
    guard let promise else { return }
    self.promise = nil
    promise.succeed((outcome, certificate))
    context?.close(promise: nil)
  }

  private static func certificate(_ peer: NIOSSLCertificate?) -> CertificateOutcome {
    guard let peer else { return .unreadable("the server sent no certificate") }
    do {
      return .certificate(try WireCertificate(der: try peer.toDERBytes()))
    } catch {
      return .unreadable(String(describing: error))
    }
  }

  /// A socket error after the connection was accepted: a reset is the listener hanging up, anything else is kept.
  static func outcome(ofSocketError error: any Error) -> NegotiationOutcome {
    if let error = error as? IOError, error.errnoCode == ECONNRESET || error.errnoCode == EPIPE {
      return .closedWithoutAnswer
    }
    if let error = error as? ChannelError, error == .eof || error == .alreadyClosed || error == .ioOnClosedChannel {
      return .closedWithoutAnswer
    }
    return .failed(String(describing: error))
  }
}
