import Foundation
import NIOCore
import NIOSSL
import NIOTLS

/// One connection to a lab host's RDP listener: reads the X.224 Connection Request (bounded, with a deadline), answers
/// it from the host's effective settings at that moment, and for a selected TLS or CredSSP runs a real TLS server
/// handshake on the same socket with the host's listener certificate, then closes.
final class RDPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  /// How long a client may take to send its request, and then to finish the TLS handshake.
  static let deadline = TimeAmount.seconds(60)

  private let host: HostDirectory
  private let network: RDPNetwork
  private var received: [UInt8] = []
  private var answered = false
  private var timeout: Scheduled<Void>?

  init(host: HostDirectory, network: RDPNetwork) {
    self.host = host
    self.network = network
  }

  func channelActive(context: ChannelHandlerContext) {
    let channel = context.channel
    timeout = context.eventLoop.scheduleTask(in: Self.deadline) { channel.close(promise: nil) }
    context.fireChannelActive()
  }

  func channelInactive(context: ChannelHandlerContext) {
    timeout?.cancel()
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    // After the answer only TLS records arrive, and they go to the TLS handler in front of this one.
    guard !answered else { return }
    var buffer = unwrapInboundIn(data)
    received += buffer.readBytes(length: buffer.readableBytes) ?? []
    switch X224ConnectionPDU.readRequest(received) {
    case .needMore:
      if received.count > X224ConnectionPDU.maximumRequestLength { context.close(promise: nil) }
    case .malformed:
      context.close(promise: nil)
    case .request(let request, let length):
      answered = true
      answer(request, leftover: Array(received[length...]), context: context)
    }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
      context.close(promise: nil)
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }

  private func answer(_ request: X224ConnectionPDU.Request, leftover: [UInt8], context: ChannelHandlerContext) {
    // The state as it is now: a fix may have changed it since the listener was bound.
    guard let state = try? HostState.load(from: host.stateFile), state.rdpListener != nil else {
      context.close(promise: nil)
      return
    }
    let answer = state.rdpListenerSecurity.answer(to: request.requestedProtocols ?? [])
    let bytes: [UInt8]
    if request.requestedProtocols == nil, answer == .selected(0) {
      bytes = X224ConnectionPDU.legacyConfirm
    } else {
      bytes = X224ConnectionPDU.confirm(answer)
    }
    let channel = context.channel
    let write = context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(bytes: bytes)))
    guard answer.startsTLS else {
      if case .failure = answer {
        // Windows closes the connection after a negotiation failure.
        write.whenComplete { _ in channel.close(promise: nil) }
      }
      return
    }
    // Not modelled: SCHANNEL protocol versions. A host whose TLS 1.2 server side is off still does TLS 1.2 here, so
    // say so in the double's log instead of letting the handshake pass for what Windows would do.
    if state.registry.value(RegistryKeys.tls12Server, "Enabled") == .dword(0)
      || state.registry.value(RegistryKeys.tls12Server, "DisabledByDefault") == .dword(1)
    {
      FileHandle.standardError.write(
        Data(
          ("winlab rdp-listen: \(host.url.lastPathComponent): TLS 1.2 is disabled for the server in SCHANNEL; the lab "
            + "does not model TLS protocol versions and completes the handshake anyway\n").utf8))
    }
    guard let tls = tlsContext(for: state) else {
      write.whenComplete { _ in channel.close(promise: nil) }
      return
    }
    do {
      try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
    } catch {
      context.close(promise: nil)
      return
    }
    if !leftover.isEmpty {
      channel.pipeline.fireChannelRead(channel.allocator.buffer(bytes: leftover))
    }
  }

  /// The TLS server context presenting the host's listener certificate, or the middlebox's for a `proxy` network.
  /// Nil when the PEM is not in the host's folder (a certificate the lab did not mint): the connection is closed.
  private func tlsContext(for state: HostState) -> NIOSSLContext? {
    let file: URL
    if network == .proxy {
      file = host.proxyCertificatePEM
    } else {
      guard let certificate = state.listenerCertificate else { return nil }
      file = host.certificatePEM(certificate.thumbprint)
    }
    guard let certificate = (try? NIOSSLCertificate.fromPEMFile(file.path))?.first,
      let key = try? NIOSSLPrivateKey(file: file.path, format: .pem)
    else { return nil }
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
    configuration.minimumTLSVersion = .tlsv1
    return try? NIOSSLContext(configuration: configuration)
  }
}
