import Foundation
import RemotePowerShell

/// A `HostConnector` that answers from a table instead of a network: for tests of the audit pipeline and reports,
/// and for anyone who wants to replay recorded collector output.
///
/// It records every connection and script so tests can assert "exactly one connection and one script per host".
final class ScriptedHostConnector: HostConnector, @unchecked Sendable {
  /// What a host does when contacted.
  enum Behaviour: Sendable {
    /// Connects, and the script prints this.
    case respond(ScriptResult)
    /// Connecting fails with this message.
    case refuse(String)
    /// Connects, but running the script fails with this message (timeout, lost connection).
    case failRun(String)
    /// Connects, the script prints `stdout`, then the connection breaks with this message: what a host that drops
    /// mid-script leaves the client.
    case dropAfterPrinting(String, stdout: String)
  }

  private let behaviours: @Sendable (InventoryHost, String) -> Behaviour
  // Guarded by `lock` (a Mutex would need macOS 15).
  private let lock = NSLock()
  private var connectionLog: [String] = []
  private var scriptLog: [(host: String, script: String)] = []
  private var processLog: [String] = []

  /// Each host behaves as `behaviours` says for its name; unknown hosts refuse the connection.
  convenience init(_ table: [String: Behaviour]) {
    self.init { host, _ in table[host.name] ?? .refuse("no such host in the scripted table") }
  }

  /// Hosts behave as the closure says; it also sees the script, so it can answer with facts for it.
  init(_ behaviours: @escaping @Sendable (InventoryHost, String) -> Behaviour) {
    self.behaviours = behaviours
  }

  /// Host names in the order they were connected to.
  var connections: [String] { lock.withLock { connectionLog } }
  /// The scripts each host received, in order.
  var scripts: [(host: String, script: String)] { lock.withLock { scriptLog } }
  /// Host names in the order a long-lived powershell.exe was started on them (`startProcess`).
  var processStarts: [String] { lock.withLock { processLog } }

  func connect(to host: InventoryHost) async throws(HostConnectionError) -> any HostSession {
    lock.withLock { connectionLog.append(host.name) }
    if case .refuse(let message) = behaviours(host, "") {
      throw HostConnectionError(.connect, message)
    }
    return Session(host: host, connector: self)
  }

  fileprivate func record(_ host: InventoryHost, _ script: String) -> Behaviour {
    lock.withLock { scriptLog.append((host.name, script)) }
    return behaviours(host, script)
  }

  private struct Session: HostSession {
    let host: InventoryHost
    let connector: ScriptedHostConnector

    func run(script: String) async throws(HostConnectionError) -> ScriptResult {
      switch connector.record(host, script) {
      case .respond(let result): return result
      case .refuse(let message), .failRun(let message): throw HostConnectionError(.run, message)
      case .dropAfterPrinting(let message, let stdout): throw HostConnectionError(.run, message, partialStdout: stdout)
      }
    }

    func startProcess() async throws(HostConnectionError) -> any HostSession {
      connector.lock.withLock { connector.processLog.append(host.name) }
      return self
    }

    func close() async {}
  }
}
