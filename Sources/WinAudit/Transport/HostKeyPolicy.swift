import SSHClient

/// What to do with a host key that is not in known_hosts (`--host-key-policy strict | accept-new`); a changed key is
/// always refused. The transport's own type, named for winaudit's users.
public typealias HostKeyPolicy = SSHHostKeyPolicy
