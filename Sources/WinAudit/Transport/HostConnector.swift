import RemotePowerShell

/// Opens sessions to hosts. The audit depends on this protocol, not on SSH, so the whole pipeline runs in unit tests
/// against `ScriptedHostConnector` and in production against `SSHHostConnector`.
public protocol HostConnector: Sendable {
  /// Connects to `host` (one SSH connection), or throws a `HostConnectionError` saying why not.
  func connect(to host: InventoryHost) async throws(HostConnectionError) -> any HostSession
}

/// An open session with one host, on which the audit runs exactly one script.
public protocol HostSession: Sendable {
  /// Runs `script` in one powershell.exe and returns what it printed, or throws if the session broke or timed out.
  func run(script: String) async throws(HostConnectionError) -> ScriptResult
  /// Ends the session. Safe to call more than once.
  func close() async
}
