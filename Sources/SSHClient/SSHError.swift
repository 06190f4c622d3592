import Foundation

/// Why an SSH operation failed, phrased so a person can act on it: which host, what failed, what to do next.
///
/// Every error thrown by `SSHConnection` is one of these. `kind` is for code that needs to branch (a changed host key
/// is handled differently from a timeout); `description` is for people.
public struct SSHError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What went wrong, with the facts a caller may want to show or test.
  public enum Kind: Sendable, Equatable {
    /// The options cannot work (empty host, bad port, no authentication method).
    case invalidOptions
    /// TCP connect or SSH handshake failed (refused, unreachable, DNS, timeout, protocol error).
    case connectFailed
    /// The server's key is not in the known_hosts file and the policy is strict.
    case hostKeyUnknown(presented: String)
    /// The server's key differs from the one recorded for this host: possible attack, always refused.
    case hostKeyChanged(expected: [String], presented: String)
    /// The known_hosts file could not be read or written.
    case knownHostsFailed
    /// Every configured authentication method was refused or could not be used.
    case authenticationFailed
    /// Opening the channel or starting the command failed.
    case channelFailed
    /// The command did not finish in time; the channel was closed (the connection stays usable).
    case commandTimedOut
    /// The command printed more than the output limit; the channel was closed (the connection stays usable).
    case outputTooLarge
    /// The connection broke while a command ran.
    case connectionLost
    /// The connection was closed by `close()` before or during the call.
    case closed
    /// The awaiting task was cancelled.
    case cancelled
  }

  public let kind: Kind
  /// `user@host:port` of the connection.
  public let endpoint: String
  /// What failed, in one sentence.
  public let message: String
  /// What the user can do about it, if there is something useful to say.
  public let advice: String?
  /// The command's standard output received before it failed (`.connectionLost`, `.commandTimedOut`, `.cancelled`):
  /// a script that reports each step as it goes has reported the steps that finished, and the caller can keep them.
  /// Empty for errors raised before a command ran.
  public let stdout: Data
  /// The command's standard error received before it failed, like `stdout`.
  public let stderr: Data

  public init(
    _ kind: Kind, endpoint: String, message: String, advice: String? = nil, stdout: Data = Data(),
    stderr: Data = Data()
  ) {
    self.kind = kind
    self.endpoint = endpoint
    self.message = message
    self.advice = advice
    self.stdout = stdout
    self.stderr = stderr
  }

  public var description: String {
    var text = "\(endpoint): \(message)"
    if let advice { text += "\n  \(advice)" }
    return text
  }
}
