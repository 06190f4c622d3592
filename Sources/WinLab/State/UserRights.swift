/// User rights assignments as `secedit /export /areas USER_RIGHTS` writes them.
public enum UserRights {
  /// The Logon rights of a Windows Server 2016-2022 member server out of the box (Microsoft's "User Rights Assignment"
  /// reference): the ones the audit reads. Other rights are not modelled and are not exported.
  public static let memberServerDefaults: [String: [String]] = [
    "SeNetworkLogonRight": ["S-1-1-0", "S-1-5-32-544", "S-1-5-32-545", "S-1-5-32-551"],
    "SeInteractiveLogonRight": ["S-1-5-32-544", "S-1-5-32-545", "S-1-5-32-551"],
    "SeRemoteInteractiveLogonRight": ["S-1-5-32-544", "S-1-5-32-555"],
  ]
}

extension HostState {
  /// The rights in force: the defaults overlaid with the host's assignments; a right nobody holds is left out, as
  /// secedit leaves it out of the export.
  public var effectiveUserRights: [String: [String]] {
    UserRights.memberServerDefaults.merging(userRights ?? [:]) { $1 }.filter { !$0.value.isEmpty }
  }

  /// The export file's text: UTF-16 in the real file, plain text in the lab's file system.
  public var userRightsExport: String {
    let lines = effectiveUserRights.sorted { $0.key < $1.key }.map { right, sids in
      right + " = " + sids.map { $0.hasPrefix("S-1-") ? "*" + $0 : $0 }.joined(separator: ",")
    }
    return
      (["[Unicode]", "Unicode=yes", "[Privilege Rights]"] + lines
      + ["[Version]", "signature=\"$CHICAGO$\"", "Revision=1"]).joined(separator: "\r\n") + "\r\n"
  }
}
