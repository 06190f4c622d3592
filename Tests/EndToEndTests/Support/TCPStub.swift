import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A TCP server a test runs on a loopback address in place of sshd: it accepts every connection and then either never
/// speaks (a tarpit) or sends some bytes that are not an SSH banner.
final class TCPStub: @unchecked Sendable {
  let address: String
  let port: Int
  private let listener: Int32
  private let lock = NSLock()
  private var accepted: [Int32] = []
  private var stopped = false

  /// Listens on `address`:`port`; `greeting` nil keeps every connection open and silent.
  init(address: String, port: Int, greeting: Data?) throws {
    self.address = address
    self.port = port
    listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var socketAddress = sockaddr_in()
    socketAddress.sin_family = sa_family_t(AF_INET)
    socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, address, &socketAddress.sin_addr)
    let bound = withUnsafePointer(to: &socketAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard listener >= 0, bound == 0, listen(listener, 16) == 0 else {
      let reason = String(cString: strerror(errno))
      close(listener)
      throw StubError(message: "cannot listen on \(address):\(port): \(reason)")
    }
    let thread = Thread { [self] in
      while true {
        let connection = accept(listener, nil, nil)
        if connection < 0 { return }
        // The connection stays open: closing it with the client's banner unread would reset it, and a reset
        // discards what the client has not read yet.
        if let greeting { greeting.withUnsafeBytes { _ = write(connection, $0.baseAddress, $0.count) } }
        lock.withLock { accepted.append(connection) }
      }
    }
    thread.start()
  }

  /// Stops listening and closes every connection still held.
  func stop() {
    lock.withLock {
      guard !stopped else { return }
      stopped = true
      shutdown(listener, Int32(SHUT_RDWR))
      close(listener)
      for connection in accepted { close(connection) }
      accepted = []
    }
  }

  struct StubError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }
}
