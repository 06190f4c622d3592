import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing

@testable import WinLab

#if canImport(Glibc)
  import Glibc
#endif

/// The RDP listener double on loopback (127.0.50.x, used by no other test): the bytes of the negotiation, the
/// certificate of the TLS handshake, following a port change, and the networks between.
@Suite(.serialized) struct RDPListenerDoubleTests {
  /// A host folder holding `state` with real certificates, as `winlab up` leaves it.
  static func hostFolder(_ state: HostState, network: RDPNetwork? = nil) throws -> HostDirectory {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winlab-rdp-\(UUID().uuidString)")
    let directory = HostDirectory(folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var realised = state
    try directory.realiseCertificates(of: &realised, key: .p256)
    if network == .proxy {
      let proxy = try CertificateMinter.mint(
        subject: RDPNetwork.proxySubject, issuer: RDPNetwork.proxySubject, notBefore: Date(),
        notAfter: Date().addingTimeInterval(86_400), key: .p256)
      try directory.writePrivate(Data(proxy.pem.utf8), to: directory.proxyCertificatePEM)
    }
    try realised.save(to: directory.stateFile)
    try HostSettings(name: state.computerName, rdpNetwork: network).save(to: directory)
    return directory
  }

  static func request(_ protocols: UInt32) -> [UInt8] {
    [0x03, 0x00, 0x00, 0x13, 0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00]
      + (0..<4).map { UInt8(truncatingIfNeeded: protocols >> (8 * UInt32($0))) }
  }

  static func waitUntil(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      if condition() { return true }
      usleep(50_000)
    }
    return condition()
  }

  @Test func answersTheNegotiationFromTheEffectiveSettings() throws {
    let healthy = try Self.hostFolder(SampleHostBuilder.variant("WIRE-HEALTHY") { _ in })
    let rdpOnly = try Self.hostFolder(
      SampleHostBuilder.variant("WIRE-RDP") { $0.registry.setValue(RegistryKeys.rdpTcp, "SecurityLayer", .dword(0)) })
    let broken = try Self.hostFolder(SampleHostBuilder.machineKeysBroken())
    let double = RDPListenerDouble(hosts: [
      .init(name: "healthy", address: "127.0.50.1", directory: healthy),
      .init(name: "rdp", address: "127.0.50.2", directory: rdpOnly),
      .init(name: "broken", address: "127.0.50.3", directory: broken),
    ])
    double.start()
    defer { double.stop() }
    #expect(double.bindings.map(\.port) == [3389, 3389, 3389])

    func answer(_ address: String, _ protocols: UInt32) -> [UInt8]? {
      SocketClient.exchange(address: address, port: 3389, send: Self.request(protocols), receive: 19)
    }
    #expect(answer("127.0.50.1", 0x0) == X224ConnectionPDU.confirm(.failure(.hybridRequiredByServer)))
    #expect(answer("127.0.50.1", 0x1) == X224ConnectionPDU.confirm(.failure(.hybridRequiredByServer)))
    #expect(answer("127.0.50.2", 0x0) == X224ConnectionPDU.confirm(.selected(0)))
    #expect(answer("127.0.50.2", 0x3) == X224ConnectionPDU.confirm(.failure(.sslNotAllowedByServer)))
    #expect(answer("127.0.50.3", 0x3) == X224ConnectionPDU.confirm(.failure(.sslCertNotOnServer)))
    // The literal bytes of rdp-wire-and-errors.md: CC 0xD0, RDP_NEG_FAILURE type 3, failureCode 5.
    #expect(
      answer("127.0.50.1", 0x0)
        == [0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00, 0x03, 0x00, 0x08, 0x00, 0x05, 0, 0, 0])
    #expect(SocketClient.exchange(address: "127.0.50.1", port: 3389, send: Array("HELLO\r\n".utf8), receive: 1) == nil)
  }

  @Test func presentsTheListenerCertificateOverTLS() throws {
    let healthy = try Self.hostFolder(SampleHostBuilder.variant("WIRE-TLS") { _ in })
    let proxied = try Self.hostFolder(SampleHostBuilder.variant("WIRE-PROXY") { _ in }, network: .proxy)
    let double = RDPListenerDouble(hosts: [
      .init(name: "tls", address: "127.0.50.4", directory: healthy),
      .init(name: "proxy", address: "127.0.50.5", directory: proxied),
    ])
    double.start()
    defer { double.stop() }
    let state = try HostState.load(from: healthy.stateFile)
    let expected = try #require(state.listenerCertificate?.thumbprint)
    let (answer, der) = try TLSClient.handshake(address: "127.0.50.4", port: 3389, request: Self.request(0x3))
    #expect(answer == X224ConnectionPDU.confirm(.selected(2)))
    #expect(CertificateMinter.thumbprint(of: der) == expected)

    let (proxyAnswer, proxyDER) = try TLSClient.handshake(address: "127.0.50.5", port: 3389, request: Self.request(0x3))
    #expect(proxyAnswer == X224ConnectionPDU.confirm(.selected(2)))
    let proxyState = try HostState.load(from: proxied.stateFile)
    #expect(CertificateMinter.thumbprint(of: proxyDER) != proxyState.listenerCertificate?.thumbprint)
    let presented = try NIOSSLCertificate(bytes: proxyDER, format: .der)
    #expect(CertificateMinter.thumbprint(of: try presented.toDERBytes()) == CertificateMinter.thumbprint(of: proxyDER))
  }

  @Test func followsAPortChangeAndAStoppedService() throws {
    let directory = try Self.hostFolder(SampleHostBuilder.variant("WIRE-MOVE") { _ in })
    let double = RDPListenerDouble(hosts: [.init(name: "move", address: "127.0.50.6", directory: directory)])
    double.start()
    defer { double.stop() }
    #expect(SocketClient.connect(address: "127.0.50.6", port: 3389, seconds: 5) == .connected)

    var state = try HostState.load(from: directory.stateFile)
    state.registry.setValue(RegistryKeys.rdpTcp, "PortNumber", .dword(33_891))
    // The host's firewall lets the new port in too (otherwise it drops the connection, as Windows does).
    state.firewallRules = state.firewallRules.map { rule in
      var rule = rule
      if rule.localPort == "3389" { rule.localPort = "33891" }
      return rule
    }
    try state.restartService("TermService", force: true)
    try state.save(to: directory.stateFile)
    #expect(Self.waitUntil { double.bindings.first?.port == 33_891 })
    #expect(SocketClient.connect(address: "127.0.50.6", port: 33_891, seconds: 5) == .connected)
    #expect(SocketClient.connect(address: "127.0.50.6", port: 3389, seconds: 5) == .refused)
    #expect(
      SocketClient.exchange(address: "127.0.50.6", port: 33_891, send: Self.request(0x0), receive: 19)
        == X224ConnectionPDU.confirm(.failure(.hybridRequiredByServer)))

    try state.stopService("TermService", force: true)
    try state.save(to: directory.stateFile)
    #expect(Self.waitUntil { double.bindings.isEmpty })
    #expect(SocketClient.connect(address: "127.0.50.6", port: 33_891, seconds: 5) == .refused)
  }

  /// The host's own Windows Firewall drops what its rules do not let in: the port is silent from outside.
  @Test func theHostsOwnFirewallDropsWhatItDoesNotAllow() throws {
    let closed = try Self.hostFolder(
      SampleHostBuilder.variant("WIRE-FIREWALL") { state in
        state.firewallRules = state.firewallRules.map { rule in
          var rule = rule
          if rule.localPort == "3389" { rule.enabled = false }
          return rule
        }
      })
    let double = RDPListenerDouble(hosts: [.init(name: "firewalled", address: "127.0.50.9", directory: closed)])
    double.start()
    defer { double.stop() }
    #expect(Self.waitUntil { !double.bindings.isEmpty })
    #expect(SocketClient.connect(address: "127.0.50.9", port: 3389, seconds: 2) == .timedOut)
  }

  @Test func theNetworkBetweenRejectsOrDrops() throws {
    let rejected = try Self.hostFolder(SampleHostBuilder.variant("WIRE-REJECT") { _ in }, network: .reject)
    let dropped = try Self.hostFolder(SampleHostBuilder.variant("WIRE-DROP") { _ in }, network: .drop)
    let double = RDPListenerDouble(hosts: [
      .init(name: "reject", address: "127.0.50.7", directory: rejected),
      .init(name: "drop", address: "127.0.50.8", directory: dropped),
    ])
    double.start()
    defer { double.stop() }
    #expect(SocketClient.connect(address: "127.0.50.7", port: 3389, seconds: 5) == .refused)
    #expect(SocketClient.connect(address: "127.0.50.8", port: 3389, seconds: 2) == .timedOut)
    #expect(SocketClient.connect(address: "127.0.50.8", port: 3389, seconds: 2) == .timedOut)
  }
}

/// Blocking POSIX sockets with deadlines, for the tests' side of the wire.
enum SocketClient {
  enum Outcome: Equatable { case connected, refused, timedOut, failed }

  static func open(address: String, port: Int, seconds: Double) -> (Int32, Outcome) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var socketAddress = sockaddr_in()
    socketAddress.sin_family = sa_family_t(AF_INET)
    socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, address, &socketAddress.sin_addr)
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    let result = withUnsafePointer(to: &socketAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if result != 0 && errno != EINPROGRESS { return (fd, errno == ECONNREFUSED ? .refused : .failed) }
    var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    guard poll(&poller, 1, Int32(seconds * 1000)) == 1 else { return (fd, .timedOut) }
    var error: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
    if error == ECONNREFUSED { return (fd, .refused) }
    guard error == 0 else { return (fd, .failed) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    var timeout = timeval(tv_sec: 15, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return (fd, .connected)
  }

  static func connect(address: String, port: Int, seconds: Double) -> Outcome {
    let (fd, outcome) = open(address: address, port: port, seconds: seconds)
    close(fd)
    return outcome
  }

  /// Sends `send` and reads until `receive` bytes came or the server closed; nil when it closed without answering.
  static func exchange(address: String, port: Int, send: [UInt8], receive: Int) -> [UInt8]? {
    let (fd, outcome) = open(address: address, port: port, seconds: 10)
    defer { close(fd) }
    guard outcome == .connected else { return nil }
    _ = send.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 256)
    while received.count < receive {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      guard count > 0 else { break }
      received += buffer[0..<count]
    }
    return received.isEmpty ? nil : received
  }
}

/// A NIO client that sends a Connection Request, reads the 19-byte answer, then does a TLS handshake on the same
/// socket without verifying anything and returns the certificate the server presented.
enum TLSClient {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func handshake(address: String, port: Int, request: [UInt8]) throws -> ([UInt8], [UInt8]) {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    defer { try? group.syncShutdownGracefully() }
    let promise = group.next().makePromise(of: ([UInt8], [UInt8]).self)
    let channel = try ClientBootstrap(group: group)
      .connectTimeout(.seconds(10))
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(NegotiateThenTLS(promise: promise))
        }
      }
      .connect(host: address, port: port).wait()
    try channel.writeAndFlush(channel.allocator.buffer(bytes: request)).wait()
    group.next().scheduleTask(in: .seconds(30)) { promise.fail(Failure(description: "no handshake in 30 s")) }
    defer { channel.close(promise: nil) }
    return try promise.futureResult.wait()
  }

  final class NegotiateThenTLS: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let promise: EventLoopPromise<([UInt8], [UInt8])>
    var answer: [UInt8] = []
    var tls: NIOSSLClientHandler?

    init(promise: EventLoopPromise<([UInt8], [UInt8])>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      guard tls == nil else { return }
      var buffer = unwrapInboundIn(data)
      answer += buffer.readBytes(length: buffer.readableBytes) ?? []
      guard answer.count >= 19 else { return }
      do {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let handler = try NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: nil)
        tls = handler
        try context.pipeline.syncOperations.addHandler(handler, position: .first)
      } catch {
        promise.fail(error)
      }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
      if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
        do {
          guard let certificate = tls?.peerCertificate else { throw Failure(description: "no peer certificate") }
          promise.succeed((Array(answer.prefix(19)), try certificate.toDERBytes()))
        } catch {
          promise.fail(error)
        }
      }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { promise.fail(error) }
    func channelInactive(context: ChannelHandlerContext) {
      promise.fail(Failure(description: "closed after \(answer)"))
    }
  }
}
