import Foundation

/// What one code means, as documented: the meaning, the server-side settings worth checking, and where it is written.
/// `meaning` is nil when the code has no documented meaning, and the renderers say so instead of guessing.
public struct ErrorCodeMeaning: Sendable, Hashable {
  /// Which number of the client's dialog a meaning belongs to.
  public enum Role: String, Sendable, Hashable {
    /// "Error code": the disconnect reason (IMsTscAxEvents::OnDisconnected).
    case disconnectReason = "disconnect-reason"
    /// "Extended error code": the reason the server gave (ExtendedDisconnectReasonCode, MS-RDPBCGR 2.2.5.1.1).
    case extended
    /// A message the client shows without a number (the CredSSP encryption oracle error).
    case named
  }

  public var role: Role
  /// The number; nil for a named error.
  public var code: ErrorCode?
  /// The named error's name (`credssp`); nil for numbers.
  public var name: String?
  /// The documented meaning; nil when there is none (the renderers say "no documented meaning").
  public var meaning: String?
  /// Whether the reference lists the code as known and undocumented (0x507), rather than absent from the table.
  public var listedUndocumented: Bool
  /// The server-side settings worth checking, or what to do, in words.
  public var worthChecking: String?
  /// Where the meaning is documented.
  public var source: String

  public var documented: Bool { meaning != nil }
}

/// Named client errors that have no number: `winaudit explain credssp`.
public enum NamedErrorCode: String, Sendable, Hashable, CaseIterable {
  /// "An authentication error has occurred ... This could be due to CredSSP encryption oracle remediation."
  case credssp

  /// The spellings accepted on the command line and in playbooks (case-insensitive); the first is the canonical one.
  public var spellings: [String] {
    switch self {
    case .credssp: ["credssp", "CredSSP encryption oracle remediation"]
    }
  }

  public init?(spelling: String) {
    let lower = spelling.trimmingCharacters(in: .whitespaces).lowercased()
    guard let found = Self.allCases.first(where: { $0.spellings.contains { $0.lowercased() == lower } }) else {
      return nil
    }
    self = found
  }
}

/// The built-in table of Remote Desktop client error codes (the reference's "Client error codes" section).
///
/// Sources: the disconnect reasons are documented with the ActiveX client's `IMsTscAxEvents::OnDisconnected` event
/// (MicrosoftDocs/win32, TermServ); the extended codes with `IMsRdpClient::ExtendedDisconnectReason`
/// (`ExtendedDisconnectReasonCode`), which carries the `errorInfo` of the server's Set Error Info PDU
/// ([MS-RDPBCGR] 2.2.5.1.1). The CredSSP message is CVE-2018-0886's remediation (KB 4093492). Codes the sources do
/// not document (0x507, 0x516, 0x2407 and any number missing here) get no meaning: winaudit says so rather than guess.
public enum ClientErrorCodes {
  static let disconnectSource = "IMsTscAxEvents::OnDisconnected (disconnect reason)"
  static let extendedSource = "ExtendedDisconnectReasonCode, MS-RDPBCGR 2.2.5.1.1 (Set Error Info PDU)"

  /// The documented disconnect reasons ("Error code").
  static let disconnectReasons: [ErrorCodeMeaning] = [
    reason(
      0x204, "could not connect the socket: nothing answered on the address and port",
      "listener not listening; fDenyTSConnections (local and policy); fEnableWinStation; TermService; PortNumber "
        + "differs from the port the client uses; firewall; another process owns the port"),
    reason(
      0x904, "the socket was closed by the far end after connecting",
      "connection limits (MaxInstanceCount), broken listener, security layer / certificate problems, self-signed "
        + "certificate not re-created (MachineKeys ACL, services CertPropSvc/KeyIso/CryptSvc/SessionEnv)"),
    reason(
      0xB09, "the remote computer requires Network Level Authentication",
      "the host requires NLA (UserAuthentication effective 1), which is the baseline, not drift: the client cannot "
        + "do CredSSP or cannot reach a domain controller. Fix the client (enable CredSSP) or its path to a domain "
        + "controller; turning NLA off on the host is not the fix"),
    reason(0x807, "logon failure", accountState),
    reason(0xB07, "the account is disabled", accountState),
    reason(0xD07, "the account is locked out", accountState),
    reason(0xE07, "the account has expired", accountState),
    reason(0xF07, "the password has expired", accountState),
    reason(0x1207, "the password must be changed before logging on", accountState),
    reason(
      0x1807, "no authenticating authority: the host could not reach a domain controller for NLA",
      "the host's secure channel to its domain (Test-ComputerSecureChannel) and whether a domain controller answers"),
    reason(
      0x2107, "fresh credentials are required",
      "fPromptForPassword 1 (\"Always prompt for password\") makes the server ask again (an inference, not documented)"
    ),
    undocumented(0x507), undocumented(0x516), undocumented(0x2407),
  ]

  static let accountState = "account state (disabled, locked out, expired), not host configuration"

  /// The documented extended codes ("Extended error code"), the server's `errorInfo`.
  static let extendedCodes: [ErrorCodeMeaning] = [
    extended(0x0, "no reason given", "use an outside-in probe of the listener: the server said nothing"),
    extended(
      0x1, "the disconnection was initiated by an administrative tool on the server in another session", nil),
    extended(0x2, "a forced logoff was initiated by an administrative tool on the server in another session", nil),
    extended(0x3, "idle timeout: the idle session limit timer on the server has elapsed", "session limits policy"),
    extended(
      0x4, "logon timeout: the active session limit timer on the server has elapsed",
      "session limits policy; the logon did not finish in time"),
    extended(0x5, "another connection to the same session disconnected this one", nil),
    extended(0x6, "the server is out of memory", nil),
    extended(
      0x7, "the server denied the connection",
      "no single documented cause: the 0x904 list plus NLA / SecurityLayer mismatches and the certificate path. "
        + "The candidates are ranked and each must be checked live; none is asserted"),
    extended(
      0x9, "insufficient privileges: the user may not log on through Remote Desktop",
      "\"Allow log on through Remote Desktop Services\" (SeRemoteInteractiveLogonRight), membership of Remote Desktop "
        + "Users (S-1-5-32-555) or Administrators, \"Deny log on through RDS\" (SeDenyRemoteInteractiveLogonRight)"),
    extended(0xA, "the server requires fresh credentials", "fPromptForPassword (\"Always prompt for password\")"),
    extended(0xB, "the user disconnected the session through an administrative tool", nil),
    extended(0xC, "the user logged off", nil),
  ]

  /// The named errors, which the client shows as a message without a number.
  static let namedErrors: [ErrorCodeMeaning] = [
    ErrorCodeMeaning(
      role: .named, code: nil, name: NamedErrorCode.credssp.rawValue,
      meaning: "CredSSP encryption oracle remediation (CVE-2018-0886): the client and the server disagree on the "
        + "CredSSP update",
      listedUndocumented: false,
      worthChecking:
        "AllowEncryptionOracle on both sides (0 force updated clients, 1 mitigated, 2 vulnerable). Since May 2018 the "
        + "default is mitigated, so an unpatched server rejects patched clients: patch the server (and the "
        + "client). Setting 2 (vulnerable) on either side to silence the error opens CVE-2018-0886",
      source: "CVE-2018-0886, KB 4093492 (CredSSP updates)")
  ]

  /// The meaning of a disconnect reason; an entry with no meaning when the table does not know the code.
  public static func disconnectReason(_ code: ErrorCode) -> ErrorCodeMeaning {
    disconnectReasons.first { $0.code == code }
      ?? ErrorCodeMeaning(
        role: .disconnectReason, code: code, name: nil, meaning: nil, listedUndocumented: false, worthChecking: nil,
        source: disconnectSource)
  }

  /// The meaning of an extended code; an entry with no meaning when the table does not know the code.
  public static func extended(_ code: ErrorCode) -> ErrorCodeMeaning {
    extendedCodes.first { $0.code == code }
      ?? ErrorCodeMeaning(
        role: .extended, code: code, name: nil, meaning: nil, listedUndocumented: false, worthChecking: nil,
        source: extendedSource)
  }

  public static func named(_ code: NamedErrorCode) -> ErrorCodeMeaning {
    namedErrors.first { $0.name == code.rawValue }!
  }

  private static func reason(_ code: UInt32, _ meaning: String, _ worthChecking: String?) -> ErrorCodeMeaning {
    ErrorCodeMeaning(
      role: .disconnectReason, code: ErrorCode(code), name: nil, meaning: meaning, listedUndocumented: false,
      worthChecking: worthChecking, source: disconnectSource)
  }

  private static func undocumented(_ code: UInt32) -> ErrorCodeMeaning {
    ErrorCodeMeaning(
      role: .disconnectReason, code: ErrorCode(code), name: nil, meaning: nil, listedUndocumented: true,
      worthChecking: nil, source: disconnectSource)
  }

  private static func extended(_ code: UInt32, _ meaning: String, _ worthChecking: String?) -> ErrorCodeMeaning {
    ErrorCodeMeaning(
      role: .extended, code: ErrorCode(code), name: nil, meaning: meaning, listedUndocumented: false,
      worthChecking: worthChecking, source: extendedSource)
  }
}
