import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The RDP listeners of a lab's hosts, as a client outside sees them: for every host whose modelled listener exists
/// (`HostState.rdpListener`), a real socket on the host's address and the listener's port that answers the X.224
/// negotiation and presents the listener certificate over TLS (`RDPConnectionHandler`).
///
/// One event loop thread serves every host. A watcher thread re-reads each host's state.json and host.json when their
/// modification time changes (a fix restarted TermService, changed the port or the certificate) and binds, unbinds or
/// moves the listener to match; connections read the state again, so answers follow the state at that moment.
public final class RDPListenerDouble: @unchecked Sendable {
  /// One host the double serves.
  public struct Host: Sendable, Equatable {
    public var name: String
    public var address: String
    public var directory: HostDirectory

    public init(name: String, address: String, directory: HostDirectory) {
      self.name = name
      self.address = address
      self.directory = directory
    }
  }

  /// What is bound for a host now.
  public struct Binding: Sendable, Equatable, Codable {
    public var name: String
    public var address: String
    public var port: Int
    public var network: RDPNetwork
  }

  /// How the listener should be: nil when nothing is to be bound.
  private struct Wanted: Equatable {
    var port: Int
    var network: RDPNetwork
  }

  private enum Socket {
    case channel(Channel)
    /// The `drop` network: a listening socket whose one-slot accept queue is held full by the lab's own connection.
    case filled(listener: Int32, filler: Int32)
  }

  private struct Bound {
    var wanted: Wanted
    var socket: Socket
  }

  private struct Watched {
    var host: Host
    var stamp: [FileStamp?] = []
    var wanted: Wanted?
    var bound: Bound?
    /// A bind that failed for this wish (the port is taken): not retried until the wish changes.
    var failed: Wanted?
  }

  private let group: MultiThreadedEventLoopGroup
  private let interval: TimeInterval
  private let source: () -> [Host]
  private let onChange: @Sendable ([Binding]) -> Void
  private let lock = NSLock()
  /// Held for a whole rescan, so `stop` never unbinds under a rescan that is binding.
  private let scanLock = NSLock()
  private var watched: [String: Watched] = [:]
  private var running = false
  private var watcher: Thread?

  /// Serves `hosts`, re-reading their files every `interval` seconds; `onChange` gets the bindings after every change.
  public convenience init(
    hosts: [Host], interval: TimeInterval = 0.25, onChange: @escaping @Sendable ([Binding]) -> Void = { _ in }
  ) {
    self.init(source: { hosts }, interval: interval, onChange: onChange)
  }

  /// Serves the hosts of the lab in `labDirectory` (lab.json), re-read with their files.
  public convenience init(
    labDirectory: URL, interval: TimeInterval = 0.25, onChange: @escaping @Sendable ([Binding]) -> Void = { _ in }
  ) {
    self.init(
      source: {
        ((try? Lab.load(from: labDirectory))?.servers ?? []).map {
          Host(name: $0.name, address: $0.address, directory: $0.host)
        }
      }, interval: interval, onChange: onChange)
  }

  private init(
    source: @escaping () -> [Host], interval: TimeInterval, onChange: @escaping @Sendable ([Binding]) -> Void
  ) {
    self.source = source
    self.interval = interval
    self.onChange = onChange
    group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
  }

  /// Binds every listener that should exist now, then keeps them in step with the hosts' files until `stop`.
  public func start() {
    lock.withLock { running = true }
    rescan()
    let thread = Thread { [self] in
      while lock.withLock({ running }) {
        Thread.sleep(forTimeInterval: interval)
        rescan()
      }
    }
    thread.name = "winlab rdp-listen watcher"
    watcher = thread
    thread.start()
  }

  /// Unbinds everything and stops the event loop.
  public func stop() {
    scanLock.lock()
    defer { scanLock.unlock() }
    lock.withLock { running = false }
    let all = lock.withLock { () -> [String] in Array(watched.keys) }
    for name in all { unbind(name) }
    try? group.syncShutdownGracefully()
  }

  /// What is bound now, by host name.
  public var bindings: [Binding] {
    lock.withLock {
      watched.values.compactMap { entry in
        entry.bound.map {
          Binding(name: entry.host.name, address: entry.host.address, port: $0.wanted.port, network: $0.wanted.network)
        }
      }.sorted { $0.name < $1.name }
    }
  }

  /// One pass: notices changed files and makes the bindings match.
  public func rescan() {
    scanLock.lock()
    defer { scanLock.unlock() }
    guard lock.withLock({ running }) else { return }
    var changed = false
    for host in source() {
      var entry = lock.withLock { watched[host.name] } ?? Watched(host: host)
      if entry.host != host {
        unbind(host.name)
        entry = Watched(host: host)
      }
      let stamp = [FileStamp(host.directory.stateFile), FileStamp(host.directory.settingsFile)]
      if stamp != entry.stamp {
        entry.stamp = stamp
        entry.wanted = Self.wanted(host.directory)
      }
      lock.withLock { watched[host.name] = entry }
      if entry.bound?.wanted != entry.wanted, entry.failed != entry.wanted || entry.wanted == nil {
        unbind(host.name)
        if let wanted = entry.wanted { bind(host, wanted) }
        changed = true
      }
    }
    if changed { onChange(bindings) }
  }

  /// The listener a host should have: its modelled listener's port when it exists and the network lets anything
  /// through; a host whose files cannot be read has none.
  private static func wanted(_ directory: HostDirectory) -> Wanted? {
    guard let state = try? HostState.load(from: directory.stateFile), let listener = state.rdpListener else {
      return nil
    }
    var network = (try? HostSettings.load(from: directory))?.rdpNetwork ?? .open
    guard network != .reject else { return nil }
    // The host's own Windows Defender Firewall: inbound traffic its rules and profile settings do not let in is
    // dropped without an answer (the default inbound action is Block), so from outside the port is as silent as
    // behind a dropping network. (With MpsSvc stopped the lab keeps the port open: that case is not modelled.)
    if network == .open, state.firewallServiceRunning, !state.firewallAllowsInbound(port: listener.port) {
      network = .drop
    }
    return Wanted(port: listener.port, network: network)
  }

  private func bind(_ host: Host, _ wanted: Wanted) {
    let socket: Socket?
    if wanted.network == .drop {
      socket = Self.filledListener(address: host.address, port: wanted.port).map { .filled(listener: $0, filler: $1) }
    } else {
      let directory = host.directory
      let network = wanted.network
      let bootstrap = ServerBootstrap(group: group)
        .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RDPConnectionHandler(host: directory, network: network))
          }
        }
      socket = (try? bootstrap.bind(host: host.address, port: wanted.port).wait()).map { .channel($0) }
    }
    lock.withLock {
      if let socket {
        watched[host.name]?.bound = Bound(wanted: wanted, socket: socket)
        watched[host.name]?.failed = nil
      } else {
        FileHandle.standardError.write(Data("rdp-listen: cannot bind \(host.address):\(wanted.port)\n".utf8))
        watched[host.name]?.failed = wanted
      }
    }
  }

  /// Closes a host's listening socket, then forgets it: once `bindings` no longer shows it, nothing listens there.
  /// (Callers hold `scanLock`, so no other scan binds or unbinds meanwhile.)
  private func unbind(_ name: String) {
    let bound = lock.withLock { watched[name]?.bound }
    switch bound?.socket {
    case .channel(let channel)?: try? channel.close().wait()
    case .filled(let listener, let filler)?:
      close(filler)
      close(listener)
    case nil: break
    }
    lock.withLock { watched[name]?.bound = nil }
  }

  /// A listening socket that never answers a SYN: Linux keeps `backlog + 1` connections in the accept queue and drops
  /// SYNs while it is full, so with backlog 0, one connection from the lab itself held open and never accepted, a
  /// client's connect times out as behind a firewall that drops.
  static func filledListener(address: String, port: Int) -> (Int32, Int32)? {
    var socketAddress = sockaddr_in()
    socketAddress.sin_family = sa_family_t(AF_INET)
    socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else { return nil }
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { return nil }
    var one: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    let bound = withUnsafePointer(to: &socketAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bindSocket(listener, $0, length) }
    }
    guard bound == 0, listen(listener, 0) == 0 else {
      close(listener)
      return nil
    }
    let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    let connected = withUnsafePointer(to: &socketAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
    }
    guard filler >= 0, connected == 0 else {
      if filler >= 0 { close(filler) }
      close(listener)
      return nil
    }
    return (listener, filler)
  }
}

private func bindSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
  #if canImport(Glibc)
    Glibc.bind(fd, address, length)
  #else
    Darwin.bind(fd, address, length)
  #endif
}

/// A file's identity and modification time: a changed stamp means the file was rewritten (AtomicFile renames a new
/// file into place, so the inode changes too).
struct FileStamp: Equatable {
  var inode: UInt64
  var size: Int64
  var seconds: Int
  var nanoseconds: Int

  init?(_ url: URL) {
    var info = stat()
    guard stat(url.path, &info) == 0 else { return nil }
    inode = UInt64(info.st_ino)
    size = Int64(info.st_size)
    #if canImport(Glibc)
      seconds = Int(info.st_mtim.tv_sec)
      nanoseconds = Int(info.st_mtim.tv_nsec)
    #else
      seconds = Int(info.st_mtimespec.tv_sec)
      nanoseconds = Int(info.st_mtimespec.tv_nsec)
    #endif
  }
}
