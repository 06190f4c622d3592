import PowerShellInterpreter

/// The .NET and CIM enum types host objects expose, so values print as names and serialize as numbers like on 5.1.
enum HostEnums {
  static let registryValueKind = PSEnumType(
    fullName: "Microsoft.Win32.RegistryValueKind",
    members: [
      ("Unknown", 0), ("String", 1), ("ExpandString", 2), ("Binary", 3), ("DWord", 4), ("MultiString", 7),
      ("QWord", 11), ("None", -1),
    ])
  static let serviceStatus = PSEnumType(
    fullName: "System.ServiceProcess.ServiceControllerStatus",
    members: [
      ("Stopped", 1), ("StartPending", 2), ("StopPending", 3), ("Running", 4), ("ContinuePending", 5),
      ("PausePending", 6), ("Paused", 7),
    ])
  static let serviceStartMode = PSEnumType(
    fullName: "System.ServiceProcess.ServiceStartMode",
    members: [("Boot", 0), ("System", 1), ("Automatic", 2), ("Manual", 3), ("Disabled", 4)])
  static let firewallEnabled = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled",
    members: [("True", 1), ("False", 2)])
  static let firewallProfile = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile",
    members: [("Any", 0), ("Domain", 1), ("Private", 2), ("Public", 4), ("NotApplicable", 65535)], isFlags: true)
  static let firewallDirection = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction",
    members: [("Inbound", 1), ("Outbound", 2)])
  static let firewallAction = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action",
    members: [("NotConfigured", 0), ("Allow", 2), ("Block", 4)])
  static let policyStoreSourceType = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PolicyStoreType",
    members: [("None", 0), ("Local", 1), ("GroupPolicy", 2), ("Dynamic", 3), ("Generated", 4), ("Hardcoded", 5)])
  static let tcpState = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetTCPIP.State",
    members: [
      ("Closed", 1), ("Listen", 2), ("SynSent", 3), ("SynReceived", 4), ("Established", 5), ("FinWait1", 6),
      ("FinWait2", 7), ("CloseWait", 8), ("Closing", 9), ("LastAck", 10), ("TimeWait", 11), ("DeleteTCB", 12),
      ("Bound", 100),
    ])
  static let networkCategory = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetConnectionProfile.NetworkCategory",
    members: [("Public", 0), ("Private", 1), ("DomainAuthenticated", 2)])
  static let ipv4Connectivity = PSEnumType(
    fullName: "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetConnectionProfile.IPv4Connectivity",
    members: [("Disconnected", 0), ("NoTraffic", 1), ("Subnet", 2), ("LocalNetwork", 3), ("Internet", 4)])
  static let accessControlType = PSEnumType(
    fullName: "System.Security.AccessControl.AccessControlType", members: [("Allow", 0), ("Deny", 1)])
  static let inheritanceFlags = PSEnumType(
    fullName: "System.Security.AccessControl.InheritanceFlags",
    members: [("None", 0), ("ContainerInherit", 1), ("ObjectInherit", 2)], isFlags: true)
  static let propagationFlags = PSEnumType(
    fullName: "System.Security.AccessControl.PropagationFlags",
    members: [("None", 0), ("NoPropagateInherit", 1), ("InheritOnly", 2)], isFlags: true)
  static let fileSystemRights = PSEnumType(
    fullName: "System.Security.AccessControl.FileSystemRights",
    members: [
      ("ReadData", 1), ("CreateFiles", 2), ("AppendData", 4), ("ReadExtendedAttributes", 8),
      ("WriteExtendedAttributes", 16), ("ExecuteFile", 32), ("DeleteSubdirectoriesAndFiles", 64),
      ("ReadAttributes", 128), ("WriteAttributes", 256), ("Write", 278), ("Delete", 65536), ("ReadPermissions", 131072),
      ("Read", 131209), ("ReadAndExecute", 131241), ("Modify", 197055), ("ChangePermissions", 262144),
      ("TakeOwnership", 524288), ("Synchronize", 1_048_576), ("FullControl", 2_032_127),
    ], isFlags: true)

  /// Every enum type above, for registration with the interpreter (so `[Microsoft.Win32.RegistryValueKind]` resolves).
  static let all: [PSEnumType] = [
    registryValueKind, serviceStatus, serviceStartMode, firewallEnabled, firewallProfile, firewallDirection,
    firewallAction, policyStoreSourceType, tcpState, networkCategory, ipv4Connectivity, accessControlType,
    inheritanceFlags, propagationFlags, fileSystemRights, FirewallProfileCmdlets.gpoBoolean,
  ]
}
