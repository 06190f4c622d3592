/// The built-in RDP baseline playbook, used when `--playbook` is not given.
///
/// This text must stay byte-identical to `Playbooks/rdp-baseline.yml` (a test compares them; run the tests with
/// WINAUDIT_UPDATE_REFERENCES=1 to regenerate this file from the YAML).
enum BuiltinPlaybook {
  static let fileName = "rdp-baseline.yml"

  static let text = #"""
    # winaudit RDP baseline: why does Remote Desktop refuse this machine?
    # Built into winaudit (Sources/WinAudit/Playbook/BuiltinPlaybook.swift holds an identical copy; a test checks it).
    # Format: README "Playbooks".
    playbook: 1
    name: rdp-baseline
    description: >-
      Remote Desktop is enabled and reachable: RDP allowed locally and by policy, its services running, a listener on
      PortNumber, the Remote Desktop firewall rules open on that port for every active network profile, NLA and the
      security layer as desired and not overridden by Group Policy, CredSSP and TLS 1.2 usable, and a listener certificate
      whose private key TermService can read.

    facts:
      denyConnections:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
          name: fDenyTSConnections
          policy: fDenyTSConnections
          default: 1
      tsEnabled:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
          name: TSEnabled
          default: 1
      drainMode:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
          name: TSServerDrainMode
          default: 0
      tsUserEnabled:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
          name: TSUserEnabled
          default: 0
      portNumber:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
          name: PortNumber
          default: 3389
      winStationEnabled:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
          name: fEnableWinStation
          default: 1
      logonDisabled:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
          name: fLogonDisabled
          default: 0
      nla:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
          name: UserAuthentication
          policy: UserAuthentication
          default: 1
      securityLayer:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
          name: SecurityLayer
          policy: SecurityLayer
          default: 1
      minEncryptionLevel:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
          name: MinEncryptionLevel
          policy: MinEncryptionLevel
          default: 2
      credsspOracle:
        registry:
          path: 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters'
          name: AllowEncryptionOracle
      tls12Enabled:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'
          name: Enabled
          default: 1
      tls12DisabledByDefault:
        registry:
          path: 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'
          name: DisabledByDefault
          default: 0
      termService:
        service: TermService
      umRdpService:
        service: UmRdpService
      rdpListener:
        tcpListener:
          port: {fact: portNumber, default: 3389}
      rdpFirewall:
        firewallRules:
          group: '@FirewallAPI.dll,-28752'
      networkProfiles:
        networkProfiles: {}
      listenerSettings:
        terminalSettings: RDP-Tcp
      rdpCertificates:
        certificates: 'Cert:\LocalMachine\Remote Desktop'
      personalCertificates:         # a custom listener certificate (SSLCertificateSHA1Hash) lives here
        certificates: 'Cert:\LocalMachine\My'
      machineKeys:
        path: 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys'
      rdpKeyFile:
        path: 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_{MachineGuid}'

    controls:
      - id: rdp-allowed
        title: Remote Desktop connections are allowed
        severity: critical
        rationale: >-
          fDenyTSConnections = 1 refuses every Remote Desktop connection. A Group Policy value wins over the local one and
          is re-applied at every policy refresh.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-general-error
        check:
          fact: denyConnections
          equals: 0

      - id: rdp-services-enabled
        title: Remote Desktop Services are enabled (TSEnabled)
        severity: high
        rationale: TSEnabled must be 1; 0 disables Remote Desktop Services connections altogether.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-general-error
        check:
          fact: tsEnabled
          equals: 1

      - id: rdp-drain-mode-off
        title: The server is not in drain mode (TSServerDrainMode)
        severity: high
        rationale: In drain mode the server refuses new logons.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-general-error
        check:
          fact: drainMode
          equals: 0

      - id: rdp-user-logons-allowed
        title: User logons are not restricted (TSUserEnabled)
        severity: medium
        rationale: TSUserEnabled must be 0.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-general-error
        check:
          fact: tsUserEnabled
          equals: 0

      - id: rdp-winstation-enabled
        title: The RDP-Tcp listener is enabled (fEnableWinStation)
        severity: high
        rationale: fEnableWinStation = 0 disables the RDP-Tcp listener.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-general-error
        check:
          fact: winStationEnabled
          equals: 1

      - id: rdp-logons-enabled
        title: Logons through RDP-Tcp are enabled (fLogonDisabled)
        severity: high
        rationale: fLogonDisabled = 1 refuses logons on the RDP-Tcp listener.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-general-error
        check:
          fact: logonDisabled
          equals: 0

      - id: termservice-running
        title: Remote Desktop Services (TermService) is running
        severity: critical
        rationale: Without TermService nothing listens for Remote Desktop connections.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-remote-desktop-services-issues
        check:
          fact: termService.status
          equals: Running

      - id: termservice-not-disabled
        title: TermService can start (start type is not Disabled)
        severity: high
        rationale: A disabled TermService cannot be started, by Windows or by an administrator.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-remote-desktop-services-issues
        check:
          fact: termService.startType
          notEquals: Disabled

      - id: umrdpservice-running
        title: Remote Desktop Services UserMode Port Redirector (UmRdpService) is running
        severity: medium
        rationale: TermService and UmRdpService must both run; starting TermService starts UmRdpService.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-remote-desktop-services-issues
        check:
          fact: umRdpService.status
          equals: Running

      - id: listener-on-port
        title: TermService listens on PortNumber
        severity: critical
        rationale: >-
          Clients connect to PortNumber. Nothing listening there means TermService is stopped, was not restarted after
          PortNumber changed, or another process holds the port.
        references:
        - https://learn.microsoft.com/windows-server/remote/remote-desktop-services/clients/change-listening-port
        requires: [termservice-running]
        check:
          fact: rdpListener.services
          contains: TermService

      - id: firewall-port-matches
        title: The Remote Desktop firewall rules allow TCP on PortNumber
        severity: critical
        rationale: >-
          The built-in rules (group @FirewallAPI.dll,-28752) open 3389; after changing PortNumber the rule's LocalPort must
          follow, or the firewall drops the connection.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-internal-error
        check:
          fact: rdpFirewall
          firewallAllows:
            rules: [RemoteDesktop-UserMode-In-TCP]
            protocol: TCP
            port: {fact: portNumber}

      - id: firewall-rdp-allowed
        title: The Remote Desktop firewall rules are enabled for every active network profile
        severity: critical
        rationale: >-
          A rule applies only to the profiles in its Profile field; a network in the Public profile with the rule enabled
          for Domain and Private only is blocked.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/enable-disable-firewall-rule-guest-os
        check:
          fact: rdpFirewall
          firewallAllows:
            rules: [RemoteDesktop-UserMode-In-TCP]
            protocol: TCP
            port: {fact: portNumber}
            profiles: networkProfiles

      - id: nla-required
        title: Network Level Authentication is required
        severity: high
        rationale: >-
          UserAuthentication = 1 authenticates users before a session is created. A Group Policy value overrides the local
          one: drift from policy must be fixed in the GPO.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-general-error
        check:
          fact: nla
          equals: 1

      - id: nla-policy-agrees
        title: Group Policy does not turn NLA off
        severity: medium
        rationale: >-
          A configured policy wins over the local value, and a local fix is undone at the next policy refresh (about every
          90 minutes): the policy must be absent or require NLA too.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-general-error
        check:
          fact: nla.policy
          allowAbsent: true
          equals: 1

      - id: security-layer
        title: The RDP security layer is Negotiate or TLS
        severity: high
        rationale: >-
          SecurityLayer 0 (RDP security) cannot carry NLA and is not encrypted with TLS; 1 negotiates, 2 requires TLS.
        references:
        - https://learn.microsoft.com/windows/win32/termserv/win32-tsgeneralsetting
        check:
          fact: securityLayer
          in: [1, 2]

      - id: min-encryption-level
        title: The minimum encryption level is at least Client Compatible
        severity: low
        rationale: MinEncryptionLevel 1 (Low) encrypts only client-to-server traffic.
        references:
        - https://learn.microsoft.com/windows/win32/termserv/win32-tsgeneralsetting
        check:
          fact: minEncryptionLevel
          atLeast: 2

      - id: credssp-not-vulnerable
        title: CredSSP does not allow the vulnerable encryption oracle
        severity: high
        rationale: >-
          AllowEncryptionOracle = 2 (Vulnerable) exposes CVE-2018-0886; 0 (Force updated clients) or 1 (Mitigated) are
          accepted. A mismatch between client and server settings is the classic "CredSSP encryption oracle" error.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/credssp-encryption-oracle-remediation
        check:
          fact: credsspOracle
          allowAbsent: true
          notEquals: 2

      - id: tls12-server-enabled
        title: TLS 1.2 is enabled for the server side of SCHANNEL
        severity: critical
        rationale: >-
          With TLS 1.2 disabled (Enabled = 0) the TLS handshake fails (Schannel event 36871). Absent keys mean the OS
          default, which is enabled.
        references:
        - https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
        check:
          fact: tls12Enabled
          notEquals: 0

      - id: tls12-not-disabled-by-default
        title: TLS 1.2 is not disabled by default for the server side
        severity: high
        rationale: DisabledByDefault = 1 keeps TLS 1.2 off unless an application asks for it explicitly.
        references:
        - https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
        check:
          fact: tls12DisabledByDefault
          equals: 0

      - id: listener-certificate-valid
        title: The listener certificate is in the machine's store with a readable private key
        severity: critical
        rationale: >-
          TermService (NETWORK SERVICE) must read the listener certificate's private key; otherwise the TLS handshake
          fails (events 1057/1058, Schannel 36870 0x8009030D) and clients see an internal error.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-internal-error
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/event-id-troubleshoot-vm-rdp-connecton
        check:
          fact: listenerSettings.certificateThumbprint
          certificateIn:
            fact: [rdpCertificates, personalCertificates]
            privateKeyReadable: true

      - id: listener-certificate-validity
        title: The listener certificate is valid for at least 14 days
        severity: medium
        rationale: An expired listener certificate makes clients warn or refuse; Windows renews the self-signed one.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/event-id-troubleshoot-vm-rdp-connecton
        requires: [listener-certificate-valid]
        check:
          fact: listenerSettings.certificateThumbprint
          certificateIn:
            fact: [rdpCertificates, personalCertificates]
            privateKeyReadable: false
            validForDays: 14

      - id: machinekeys-acl
        title: The MachineKeys folder grants Administrators full control and denies neither SYSTEM nor NETWORK SERVICE
        severity: high
        rationale: >-
          Machine private keys live in MachineKeys; a broken ACL there makes the listener's key unreadable. Accounts are
          checked by SID because names are localized.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-internal-error
        check:
          fact: machineKeys
          acl:
            fullControl: [S-1-5-32-544]
            notDenied: [S-1-5-18, S-1-5-20]

      - id: rdp-key-file-acl
        title: The RDP self-signed key file is readable by SYSTEM and NETWORK SERVICE
        severity: high
        rationale: >-
          The self-signed listener certificate's key (f686aace..._<MachineGuid>, container TSSecKeySet1) must be readable
          by TermService's account.
        references:
        - https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-rdp-internal-error
        applies:
          factPresent: rdpKeyFile.sddl
        check:
          fact: rdpKeyFile
          acl:
            canRead: [S-1-5-18, S-1-5-20]
            notDenied: [S-1-5-18, S-1-5-20]

    """#
}
