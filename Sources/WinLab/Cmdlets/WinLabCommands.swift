import PowerShellInterpreter

/// Registers every host command of the lab (providers, services, firewall, network, CIM, icacls) in a runspace.
///
/// One function so the shell and the tests set up a host identically: every command reads and changes the state
/// through `host`, which the caller saves when the script ends.
public enum WinLabCommands {
  static let rsaExtensions = "System.Security.Cryptography.X509Certificates.RSACertificateExtensions"

  public static func register(in runspace: PSRunspace, host: HostStateBox, options: WinLabOptions = WinLabOptions()) {
    let lab = LabContext(box: host, options: options)
    for command in definitions(lab) { runspace.register(command) }
    runspace.register(native: Icacls.command(lab))
    runspace.register(native: Takeown.command(lab))
    runspace.register(native: Secedit.command(lab))
    runspace.register(native: RegExe.command(lab))
    HostCryptography.register(in: runspace)
    for type in [
      "System.Security.Cryptography.X509Certificates.X509Certificate2", "System.ServiceProcess.ServiceController",
      "Microsoft.Win32.RegistryKey", "System.IO.FileInfo", "System.IO.DirectoryInfo",
      "Microsoft.Management.Infrastructure.CimInstance", "System.Security.AccessControl.FileSystemSecurity",
      rsaExtensions,
    ] {
      PSTypes.registerType(type)
    }
    PSTypes.registerStaticMethod(rsaExtensions, "GetRSAPrivateKey") { arguments in
      guard arguments.count == 1, case .object(let certificate) = arguments[0],
        let reference = certificate.native as? CertificateReference
      else {
        throw PSErrorRecord(
          exceptionType: "System.Management.Automation.MethodException",
          message: "WinLab models GetRSAPrivateKey only for a certificate of Cert:\\LocalMachine",
          errorId: "MethodException", category: .notImplemented)
      }
      return try reference.openKey()
    }
  }

  static func definitions(_ lab: LabContext) -> [PSCommandDefinition] {
    ItemCmdlets.commands(lab) + ItemPropertyCmdlets.commands(lab) + ContentCmdlets.commands(lab)
      + AclCmdlets.commands(lab) + CertificateCmdlets.commands(lab) + ServiceCmdlets.commands(lab)
      + FirewallCmdlets.commands(lab) + FirewallProfileCmdlets.commands(lab) + NetworkCmdlets.commands(lab)
      + CimCmdlets.commands(lab) + CimAssociationCmdlets.commands(lab) + DomainCmdlets.commands(lab)
  }
}
