import SSHClient

/// What to do with a host key that is not in known_hosts (`--host-key-policy`). A changed key is always refused.
public enum HostKeyPolicy: String, Sendable, Hashable, CaseIterable {
  /// Refuse hosts whose key is not already known.
  case strict
  /// Trust on first use: record unknown keys, refuse changed ones.
  case acceptNew = "accept-new"

  var ssh: SSHHostKeyPolicy {
    switch self {
    case .strict: .strict
    case .acceptNew: .acceptNew
    }
  }
}
