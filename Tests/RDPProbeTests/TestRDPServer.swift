import NIOCore
import NIOPosix
import NIOSSL

@testable import RDPProbe

/// What the scripted listener does once it has read a Connection Request.
enum ServerReply: Sendable {
  /// Sends these bytes, then keeps the connection open and ignores the client.
  case answer([UInt8])
  /// Sends the confirm, then runs a real TLS server handshake with the test identity.
  case answerThenTLS([UInt8])
  /// As `answerThenTLS`, with a server that speaks nothing newer than TLS 1.0.
  case answerThenTLS10([UInt8])
  /// As `answerThenTLS`, presenting a certificate of about 250 KB.
  case answerThenHugeCertificate([UInt8])
  /// Sends these bytes, then sends endless filler until the client goes away.
  case flood([UInt8])
  /// Closes the connection without a word.
  case close
}

/// A scripted RDP listener on 127.0.0.1 and an ephemeral port, to probe real sockets without a Windows host:
/// healthy listeners (answers, a TLS handshake) and hostile ones (garbage, floods, stalls, hang-ups).
final class TestRDPServer: Sendable {
  /// How the server treats a connection before reading anything.
  enum Accept: Sendable {
    /// Reads the Connection Request and answers with the script's reply for its requestedProtocols.
    case answer(@Sendable (UInt32) -> ServerReply)
    /// Closes each connection as soon as it is accepted.
    case closeImmediately
    /// Accepts and never sends or reads anything.
    case stall
  }

  let channel: any Channel
  let port: Int

  var target: ProbeTarget { ProbeTarget(host: "127.0.0.1", port: port) }

  private init(channel: any Channel, port: Int) {
    self.channel = channel
    self.port = port
  }

  static func start(_ accept: Accept) async throws -> TestRDPServer {
    let identity = TestIdentity.shared
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { child in
        child.eventLoop.makeCompletedFuture {
          try child.pipeline.syncOperations.addHandler(ScriptedListener(accept: accept, identity: identity))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
    return TestRDPServer(channel: channel, port: port)
  }

  /// Answers each request by requestedProtocols: `script[value]`, or `otherwise`.
  static func start(_ script: [UInt32: ServerReply], otherwise: ServerReply = .close) async throws -> TestRDPServer {
    try await start(.answer { script[$0] ?? otherwise })
  }

  /// Stops accepting; connections already accepted end when the probe closes them.
  func stop() {
    channel.close(promise: nil)
  }

  /// A port that nothing listens on: bound, then released.
  static func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .bind(host: "127.0.0.1", port: 0).get()
    guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
    try await channel.close()
    return port
  }
}

/// One accepted connection of `TestRDPServer`.
private final class ScriptedListener: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private let accept: TestRDPServer.Accept
  private let identity: TestIdentity
  private var request: [UInt8] = []
  private var replied = false

  init(accept: TestRDPServer.Accept, identity: TestIdentity) {
    self.accept = accept
    self.identity = identity
  }

  func channelActive(context: ChannelHandlerContext) {
    if case .closeImmediately = accept {
      context.close(promise: nil)
    }
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .answer(let script) = accept, !replied else { return }
    request += unwrapInboundIn(data).readableBytesView
    guard request.count >= 4 else { return }
    let length = Int(request[2]) << 8 | Int(request[3])
    guard length >= 19, request.count <= 1024 else {
      context.close(promise: nil)
      return
    }
    guard request.count >= length else { return }
    replied = true
    let value = request[length - 4..<length].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    reply(script(value), context: context)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    context.close(promise: nil)
  }

  private func reply(_ reply: ServerReply, context: ChannelHandlerContext) {
    switch reply {
    case .answer(let bytes):
      context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    case .answerThenTLS(let bytes):
      startTLS(after: bytes, context: context, tlsContext: identity.serverContext)
    case .answerThenTLS10(let bytes):
      startTLS(after: bytes, context: context, tlsContext: identity.tls10ServerContext)
    case .answerThenHugeCertificate(let bytes):
      startTLS(after: bytes, context: context, tlsContext: TestIdentity.huge.serverContext)
    case .flood(let bytes):
      context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
      Self.pump(context.channel, remaining: 64 << 20)
    case .close:
      context.close(promise: nil)
    }
  }

  private func startTLS(after bytes: [UInt8], context: ChannelHandlerContext, tlsContext: NIOSSLContext) {
    context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    // The ClientHello can only follow the confirm, so the TLS server is in place before it arrives.
    try? context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext), position: .before(self))
  }

  /// Writes filler as fast as the client takes it, until it hangs up (or 64 MiB, so a broken test still ends).
  private static func pump(_ channel: any Channel, remaining: Int) {
    guard remaining > 0, channel.isActive else { return }
    let chunk = channel.allocator.buffer(repeating: 0x41, count: 16 * 1024)
    channel.writeAndFlush(chunk).whenSuccess {
      pump(channel, remaining: remaining - 16 * 1024)
    }
  }
}
