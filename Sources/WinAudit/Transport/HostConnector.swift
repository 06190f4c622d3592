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
  /// On a session from `startProcess` every script runs in that session's one powershell.exe instead.
  func run(script: String) async throws(HostConnectionError) -> ScriptResult
  /// Starts one powershell.exe that runs every script later given to the returned session, one after another, waiting
  /// in between (a fix audits, pre-reads, asks the user, applies and verifies with one Windows PowerShell start).
  /// Closing the returned session ends the process and this session. Once a script fails to come back (timeout,
  /// drop), the process is gone and later scripts on it fail.
  func startProcess() async throws(HostConnectionError) -> any HostSession
  /// Ends the session. Safe to call more than once.
  func close() async
}
