import CLibSSH
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A byte stream to a target host through a jump host: a `direct-tcpip` channel on the jump host's session
/// (`ssh_channel_open_forward`, what `ssh -J` asks the bastion for), joined to one end of a local socket pair whose
/// other end the target's libssh session uses as its socket (`SSH_OPTIONS_FD`).
///
/// Why not libssh's ProxyJump: libssh 0.10 turns ProxyJump into `ProxyCommand ssh -W [%h]:%p bastion`, a child `ssh`
/// that reads its own known_hosts, keys and config, so the bastion's key would not be checked against winaudit's
/// known_hosts and our key, agent or password would not be used for it. Here the jump host is an ordinary
/// `SSHConnection`: verified and authenticated like any host, and the target's key is checked as usual over the tunnel.
///
/// The pump runs on the jump host's worker thread (the only thread that touches its libssh session) until either side
/// ends or `stop` is set.
final class JumpTunnel: @unchecked Sendable {
  /// The target session's end (handed to libssh, which closes it with the session).
  let targetSocket: Int32
  /// The pump's end.
  private let pumpSocket: Int32
  /// Set by `SSHConnection.close()`: the pump gives up at its next turn.
  let stop: CancellationFlag
  /// Only touched on the jump host's worker thread.
  private var channel: ssh_channel?

  init(stop: CancellationFlag) throws(SSHError) {
    self.stop = stop
    var pair: [Int32] = [-1, -1]
    #if canImport(Glibc)
      let type = Int32(SOCK_STREAM.rawValue)
    #else
      let type = SOCK_STREAM
    #endif
    guard socketpair(AF_UNIX, type, 0, &pair) == 0 else {
      throw SSHError(.connectFailed, endpoint: "jump host", message: "could not create a socket pair for the tunnel")
    }
    targetSocket = pair[0]
    pumpSocket = pair[1]
  }

  /// Opens the `direct-tcpip` channel to `host`:`port` on `session` (on its worker thread).
  func open(on session: LibSSHSession, host: String, port: Int) throws(SSHError) {
    guard let handle = session.session, let channel = ssh_channel_new(handle) else {
      throw session.error(.connectFailed, "could not create a channel on the jump host: \(session.lastError)")
    }
    guard ssh_channel_open_forward(channel, host, Int32(port), "127.0.0.1", 0) == SSH_OK else {
      let reason = session.lastError
      ssh_channel_free(channel)
      throw session.error(
        .connectFailed, "the jump host did not open a connection to \(host):\(port): \(reason)",
        advice: "Check that the jump host allows TCP forwarding (AllowTcpForwarding, PermitOpen) and can reach "
          + "\(host):\(port).")
    }
    self.channel = channel
  }

  /// Closes both sockets when the tunnel is given up before the pump and the target session took them.
  func abandon() {
    close(targetSocket)
    close(pumpSocket)
  }

  /// Copies bytes both ways until the target closes its socket, the channel ends, or `stop` is set; then closes the
  /// channel and the pump's socket. Runs on the jump host's worker thread.
  func pump(on session: LibSSHSession) {
    defer { close(pumpSocket) }
    guard let handle = session.session, let channel else { return }
    defer {
      ssh_channel_close(channel)
      ssh_channel_free(channel)
      self.channel = nil
    }
    _ = fcntl(pumpSocket, F_SETFL, fcntl(pumpSocket, F_GETFL) | O_NONBLOCK)
    let size = 32 * 1024
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    while !stop.isCancelled {
      var progressed = false
      let count = read(pumpSocket, buffer, size)
      if count > 0 {
        var offset = 0
        while offset < count {
          let written = ssh_channel_write(channel, buffer + offset, UInt32(count - offset))
          if written == SSH_ERROR { return }
          offset += Int(written)
        }
        progressed = true
      } else if count == 0 {
        _ = ssh_channel_send_eof(channel)
        return
      } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
        return
      }
      let received = ssh_channel_read_nonblocking(channel, buffer, UInt32(size), 0)
      if received > 0 {
        guard writeAll(buffer, Int(received)) else { return }
        progressed = true
      } else if received == SSH_EOF || received == SSH_ERROR
        || (received == 0 && (ssh_channel_is_eof(channel) != 0 || ssh_channel_is_closed(channel) != 0))
      {
        return
      }
      if !progressed {
        var descriptors = [
          pollfd(fd: pumpSocket, events: Int16(POLLIN), revents: 0),
          pollfd(fd: ssh_get_fd(handle), events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&descriptors, nfds_t(descriptors.count), 20)
      }
    }
  }

  /// Writes to the non-blocking pump socket, waiting while the target has not read yet.
  private func writeAll(_ buffer: UnsafeMutableRawPointer, _ count: Int) -> Bool {
    var offset = 0
    while offset < count {
      if stop.isCancelled { return false }
      let written = write(pumpSocket, buffer + offset, count - offset)
      if written > 0 {
        offset += written
      } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        var descriptor = pollfd(fd: pumpSocket, events: Int16(POLLOUT), revents: 0)
        _ = poll(&descriptor, 1, 20)
      } else {
        return false
      }
    }
    return true
  }
}
