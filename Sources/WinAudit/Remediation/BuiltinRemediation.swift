/// The built-in remediation playbooks, used when `--remediation` is not given.
///
/// These texts must stay byte-identical to `Playbooks/rdp-remediation.yml` and `Playbooks/listener-certificate.yml`
/// (a test compares them; run the tests with WINAUDIT_UPDATE_REFERENCES=1 to regenerate this file from the YAML).
enum BuiltinRemediation {
  static let rdpRemediation = (
    file: "rdp-remediation.yml",
    text: #"""
    # Remediation for the controls of rdp-baseline.yml: each fix is keyed by the control it repairs.
    # Format (README "Remediation playbooks"):
    #   fixes.<id>.actions       the changes, in order (setRegistry, removeRegistry, enableFirewallRules, setFirewallPort,
    #                            setServiceStartType, startService, restartService, resetAcl, removeBrokenCertificates,
    #                            renameRdpKeyFile, renameFolder)
    #   policy                   on a registry action: the Group Policy value that overrides it. When the host has that
    #                            policy value, winaudit does not apply the fix and names the policy to change instead.
    #   stopServices             stopped before the changes and started again after them
    #   restartServices          restarted after the plan's changes when this fix changed something
    #   disruptive / reboot      why applying interrupts people; such fixes need --allow-disruptive
    #   after / optIn / supersedes   ordering, "--include only", replacement of other fixes
    # Sources: windows-facts sections 1-3 (MS-RDS, MS-AZ, MS-TLS, MS-NETSEC).
    remediation: 1
    name: rdp-remediation
    description: Bring Remote Desktop back to the baseline. Every change is journaled and can be rolled back.

    fixes:
      rdp-allowed:
        summary: Allow Remote Desktop connections (fDenyTSConnections 0)
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
              name: fDenyTSConnections
              type: DWord
              value: 0
            policy:
              path: 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
              name: fDenyTSConnections

      rdp-services-enabled:
        summary: Enable Remote Desktop Services connections (TSEnabled 1)
        restartServices: [TermService]
        disruptive: restarts TermService, which drops RDP sessions
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
              name: TSEnabled
              type: DWord
              value: 1

      rdp-drain-mode-off:
        summary: Take the server out of drain mode (TSServerDrainMode 0)
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
              name: TSServerDrainMode
              type: DWord
              value: 0

      rdp-user-logons-allowed:
        summary: Allow user logons (TSUserEnabled 0)
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
              name: TSUserEnabled
              type: DWord
              value: 0

      rdp-winstation-enabled:
        summary: Enable the RDP-Tcp listener (fEnableWinStation 1)
        restartServices: [TermService]
        disruptive: restarts TermService, which drops RDP sessions
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
              name: fEnableWinStation
              type: DWord
              value: 1

      rdp-logons-enabled:
        summary: Allow logons on RDP-Tcp (fLogonDisabled 0)
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
              name: fLogonDisabled
              type: DWord
              value: 0

      termservice-not-disabled:
        summary: Let TermService start again (start type Manual, its default)
        actions:
          - setServiceStartType: {service: TermService, startType: Manual}

      termservice-running:
        summary: Start Remote Desktop Services (TermService; it starts UmRdpService)
        after: [termservice-not-disabled]
        actions:
          - startService: TermService

      umrdpservice-running:
        summary: Start the Remote Desktop UserMode Port Redirector (UmRdpService)
        after: [termservice-running]
        actions:
          - startService: UmRdpService

      listener-on-port:
        summary: Restart TermService so it listens on the current PortNumber
        disruptive: restarts TermService, which drops RDP sessions
        actions:
          - restartService: TermService

      firewall-port-matches:
        summary: Point the Remote Desktop TCP rule at the listener's PortNumber
        actions:
          - setFirewallPort:
              rule: RemoteDesktop-UserMode-In-TCP
              port: listener

      firewall-rdp-allowed:
        summary: Enable the Remote Desktop user-mode rules for the profiles of the connected networks
        after: [firewall-port-matches]
        actions:
          # By Name: enabling the whole group '@FirewallAPI.dll,-28752' would also open the Shadow rule.
          - enableFirewallRules:
              names: [RemoteDesktop-UserMode-In-TCP, RemoteDesktop-UserMode-In-UDP]
              profiles: connected

      nla-required:
        summary: Require Network Level Authentication (UserAuthentication 1)
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
              name: UserAuthentication
              type: DWord
              value: 1
            policy:
              path: 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
              name: UserAuthentication

      security-layer:
        summary: Negotiate the security layer (SecurityLayer 1, the Windows default)
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
              name: SecurityLayer
              type: DWord
              value: 1
            policy:
              path: 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
              name: SecurityLayer

      min-encryption-level:
        summary: Raise the minimum encryption level to Client Compatible (MinEncryptionLevel 2)
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
              name: MinEncryptionLevel
              type: DWord
              value: 2
            policy:
              path: 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
              name: MinEncryptionLevel

      credssp-not-vulnerable:
        summary: Stop allowing vulnerable CredSSP clients (AllowEncryptionOracle 1, Mitigated)
        actions:
          - setRegistry:
              path: 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters'
              name: AllowEncryptionOracle
              type: DWord
              value: 1

      tls12-server-enabled:
        summary: Enable TLS 1.2 for servers in SCHANNEL (Enabled 1)
        reboot: true
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'
              name: Enabled
              type: DWord
              value: 1

      tls12-not-disabled-by-default:
        summary: Stop disabling TLS 1.2 by default for servers (DisabledByDefault 0)
        reboot: true
        actions:
          - setRegistry:
              path: 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'
              name: DisabledByDefault
              type: DWord
              value: 0

    """#
  )

  static let listenerCertificate = (
    file: "listener-certificate.yml",
    text: #"""
    # Remediation for a broken RDP listener certificate and its private key (windows-facts section 4), keyed by the
    # baseline's controls. Microsoft's sequence (MS-AZ internal-error, event-id): save the MachineKeys ACL, reset it,
    # remove the listener certificate, restart TermService; Windows then makes a new self-signed certificate.
    # The narrow fixes are the defaults; renaming the whole MachineKeys folder is a last resort that other services (IIS)
    # feel too, so it only runs when named: --include machinekeys-folder-rename. Nothing is deleted: ACLs are saved with
    # icacls /save, certificates exported before removal, files and folders renamed.
    remediation: 1
    name: listener-certificate
    description: Repair the Remote Desktop listener certificate so Windows can create a working one.

    fixes:
      machinekeys-acl:
        summary: Save the MachineKeys ACL (icacls /save), reset it to the documented default, restart TermService
        # The articles disagree on the default (KB 278381, MS-RDS, the Azure fix); this is their common core, by SID so it
        # works on localized Windows: SYSTEM and Administrators full control, Everyone read and write on the folder only,
        # NETWORK SERVICE read.
        actions:
          - resetAcl:
              path: 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys'
              grants:
                - '*S-1-5-18:F'
                - '*S-1-5-32-544:F'
                - '*S-1-1-0:(R,W)'
                - '*S-1-5-20:R'
        restartServices: [TermService]
        disruptive: restarts TermService, which drops RDP sessions

      rdp-key-file-acl:
        summary: Rename the self-signed certificate's key file (f686aace..._<MachineGuid>) while TermService is stopped
        after: [machinekeys-acl]
        actions:
          - renameRdpKeyFile:
              folder: 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys'
          - removeBrokenCertificates:
              store: Remote Desktop
              selfSigned: true
        stopServices: [TermService]
        disruptive: stops TermService, which drops RDP sessions

      listener-certificate-valid:
        summary: Export then remove broken certificates of the Remote Desktop store and restart TermService to get a new one
        after: [machinekeys-acl, rdp-key-file-acl]
        actions:
          - removeBrokenCertificates:
              store: Remote Desktop
          - restartService: TermService
        disruptive: restarts TermService, which drops RDP sessions

      listener-certificate-validity:
        summary: Export then remove certificates of the Remote Desktop store valid for less than 14 days; restart TermService
        after: [listener-certificate-valid]
        actions:
          - removeBrokenCertificates:
              store: Remote Desktop
              validForDays: 14
          - restartService: TermService
        disruptive: restarts TermService, which drops RDP sessions

      machinekeys-folder-rename:
        control: machinekeys-acl
        summary: Last resort - rename the whole MachineKeys folder to MachineKeys_Old_<time> and start with an empty one
        optIn: true
        supersedes: [machinekeys-acl, rdp-key-file-acl]
        actions:
          - renameFolder:
              path: 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys'
          - resetAcl:
              path: 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys'
              grants:
                - '*S-1-5-18:F'
                - '*S-1-5-32-544:F'
                - '*S-1-1-0:(R,W)'
                - '*S-1-5-20:R'
        stopServices: [TermService]
        disruptive: other services keep machine keys there too (IIS, ...); stops TermService, which drops RDP sessions

    """#
  )

  static var all: [(text: String, file: String)] {
    [rdpRemediation, listenerCertificate].map { (text: $0.text, file: "<built-in \($0.file)>") }
  }
}

extension RemediationCatalogue {
  /// The catalogue of the built-in remediation playbooks.
  public static var builtIn: RemediationCatalogue {
    get throws(DiagnosticsError) { try RemediationLoader.parse(BuiltinRemediation.all) }
  }
}
