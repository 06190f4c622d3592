/// What winaudit's own login may do to a file: the access check Windows makes for the SSH session's token.
///
/// The elevated administrator is not almighty: a service's private key whose ACL denies Administrators (or grants
/// them nothing) cannot be read or re-permissioned by `Get-Acl`, `icacls /save` or `icacls /grant` until the
/// administrator takes ownership, because only the owner gets READ_CONTROL and WRITE_DAC whatever the DACL says.
extension HostState {
  /// The built-in Administrator, who a host file without `login` logs in as.
  public static let builtInAdministratorSID = "S-1-5-21-1004336348-1177238915-682003330-500"

  /// READ_CONTROL: read the security descriptor (`Get-Acl`, `icacls /save`, icacls' display).
  public static let readControl: UInt32 = 0x2_0000
  /// WRITE_DAC: change the DACL (`icacls /grant`, `/remove`, `/reset`, `/restore`, `Set-Acl`).
  public static let writeDAC: UInt32 = 0x4_0000

  /// The SIDs the login's token counts in an access check: its own, Everyone, Authenticated Users, Users, and
  /// Administrators only when the token is elevated (otherwise that group is deny-only).
  public var loginPrincipals: Set<String> {
    let sid = login?.sid ?? Self.builtInAdministratorSID
    var set = SecurityIdentifier.principals(of: sid)
    set.insert(SecurityIdentifier.users)
    if loginIsElevated { set.insert(SecurityIdentifier.administrators) }
    return set
  }

  /// Whether the login's token is elevated (holds Administrators and its privileges: take ownership, restore).
  public var loginIsElevated: Bool { login?.elevated ?? true }

  /// Whether the login may use `mask` on the file or folder at `path`. The owner is granted READ_CONTROL and
  /// WRITE_DAC implicitly, whatever the DACL says.
  public func loginMay(_ mask: UInt32, on path: String) -> Bool {
    guard let descriptor = files.securityDescriptor(of: path) else { return true }
    let principals = loginPrincipals
    var needed = mask
    if let owner = descriptor.owner, principals.contains(owner) {
      needed &= ~(Self.readControl | Self.writeDAC)
    }
    return needed == 0 || descriptor.grants(needed, to: principals)
  }
}
