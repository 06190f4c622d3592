import Foundation

@testable import WinLab

/// Builds the sample lab hosts (Samples/lab/hosts/*.json) in code, so they can be regenerated after a schema change:
/// `WINLAB_WRITE_SAMPLES=1 swift test --filter SampleHostFiles`. The JSON files are what the lab reads; this is only
/// how they were first written.
enum SampleHostBuilder {
  /// Samples carry no fixed clock: the lab runs on real time, like winaudit, so certificate validity agrees between
  /// the two. Valid certificates therefore run until 2035; the expired one ended in 2025.
  static let clock: Date? = nil

  /// Every sample: file name (without .json) -> state.
  static var all: [(name: String, state: HostState)] {
    [
      ("healthy-2019", healthy(computerName: "HEALTHY-2019", windows: .server2019)),
      ("healthy-2022", healthy2022()),
      (
        "rdp-disabled",
        variant("RDP-DISABLED") { $0.registry.setValue(RegistryKeys.terminalServer, "fDenyTSConnections", .dword(1)) }
      ),
      ("nla-off", variant("NLA-OFF") { $0.registry.setValue(RegistryKeys.rdpTcp, "UserAuthentication", .dword(0)) }),
      (
        "nla-gpo-off",
        variant("NLA-GPO-OFF") {
          $0.registry.setValue(RegistryKeys.terminalServicesPolicy, "UserAuthentication", .dword(0))
          $0.registry.setValue(RegistryKeys.terminalServicesPolicy, "fPromptForPassword", .dword(1))
        }
      ),
      ("firewall-public-off", firewallPublicOff()),
      ("port-mismatch", portMismatch()),
      ("termservice-stopped", variant("TERMSVC-STOPPED") { try? $0.stopService("TermService", force: true) }),
      ("cert-expired", certificateExpired()),
      ("machinekeys-acl-broken", machineKeysBroken()),
      (
        "tls12-disabled",
        variant("TLS12-DISABLED") {
          $0.registry.setValue(RegistryKeys.tls12Server, "Enabled", .dword(0))
          $0.registry.setValue(RegistryKeys.tls12Server, "DisabledByDefault", .dword(1))
        }
      ),
      (
        "credssp-vulnerable",
        variant("CREDSSP-VULN") {
          $0.registry.setValue(RegistryKeys.credSSP, "AllowEncryptionOracle", .dword(2))
        }
      ),
      (
        "shell-powershell",
        variant("SHELL-PS") {
          $0.registry.setValue(
            RegistryKeys.openSSH, "DefaultShell",
            .string("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"))
          // sshd starts PowerShell with -c, so this all-users profile runs before winaudit's bootstrap and prints
          // on stdout ahead of the facts.
          $0.files.set(
            HostState.allUsersProfile,
            FileNode(
              type: .file,
              content: "Write-Output 'SHELL-PS: property of Contoso. Unauthorized access is prohibited.'\r\n"
                + "Write-Output '{ \"motd\": \"not the facts\" }'\r\n"))
        }
      ),
      ("locale-de", healthy(computerName: "SRV-MÜNCHEN", windows: .server2019, german: true)),
      ("slow-firewall", variant("SLOW-FIREWALL") { _ in }),
      (
        "not-elevated",
        variant("NOT-ELEVATED") {
          $0.login = LoginAccount(name: "ops", sid: "S-1-5-21-1004336348-1177238915-682003330-1001", elevated: false)
        }
      ),
      ("filters-out-of-order", variant("FILTERS-ORDER") { $0.portFiltersOutOfOrder = true }),
      // A CA-issued listener certificate whose key is a CNG key (a v3 template): $cert.PrivateKey cannot open it,
      // NETWORK SERVICE can read it: healthy.
      (
        "custom-cert-cng",
        customListenerCertificate(
          "CUSTOM-CERT-CNG", storage: .cng, keySDDL: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)")
      ),
      // The same with a CryptoAPI key only SYSTEM and Administrators can read: the administrator running the audit can
      // open it, TermService cannot (the 0x904 / extended 0x7 fault).
      (
        "winstations-disabled",
        variant("WINSTATIONS-OFF") {
          $0.registry.setValue(
            "HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon", "WinStationsDisabled", .string("1"))
        }
      ),
      (
        "lan-adapter-bound",
        variant("LAN-ADAPTER") { $0.registry.setValue(RegistryKeys.rdpTcp, "LanAdapter", .dword(2)) }
      ),
      (
        "max-instances-zero",
        variant("MAX-INSTANCES") { $0.registry.setValue(RegistryKeys.rdpTcp, "MaxInstanceCount", .dword(0)) }
      ),
      (
        "keyiso-disabled",
        variant("KEYISO-OFF") { state in
          state.updateService("KeyIso") {
            $0.status = .stopped
            $0.startType = .disabled
          }
        }
      ),
      (
        "setup-in-progress",
        variant("SETUP-UNFINISHED") { $0.registry.setValue("HKLM:\\SYSTEM\\Setup", "SystemSetupInProgress", .dword(1)) }
      ),
      (
        "dangling-listener-hash",
        variant("DANGLING-HASH") {
          $0.registry.setValue(
            RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash",
            .binary(Hex.bytes(Fingerprint.thumbprint(of: "a certificate that was deleted"))!))
        }
      ),
      (
        "custom-cert-key-admin-only",
        customListenerCertificate(
          "CUSTOM-CERT-ADMIN", storage: .csp, keySDDL: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)")
      ),
      // A hostile host: terminal escapes, a forged report line, U+2028 and U+0085 in a certificate subject and a
      // firewall rule's display name, which both reach the report (the key is admin-only, the rule blocks 3389).
      ("hostile-values", hostileValues()),
      // The same host after granting NETWORK SERVICE read access to the key: healthy.
      (
        "custom-cert-key-ns-read",
        customListenerCertificate(
          "CUSTOM-CERT-NS", storage: .csp, keySDDL: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)")
      ),
      // An enabled inbound Block rule for 3389 on every profile: it wins over the enabled Remote Desktop rules.
      (
        "firewall-block-rule",
        variant("FW-BLOCK-RULE") {
          $0.firewallRules.append(
            FirewallRule(
              name: "{4B1F0C7E-9A51-4D0B-8C1E-3389B10C0001}", displayName: "Block RDP (incident 4711)", enabled: true,
              action: .block, protocol: "TCP", localPort: "3389"))
        }
      ),
      // "Block all incoming connections" on the active Domain profile: no Allow rule counts.
      (
        "firewall-blocks-all-inbound",
        variant("FW-SHIELDS-UP") { state in
          state.firewallProfiles = domainProfile { $0.allowInboundRules = false }
        }
      ),
      // The active Domain profile's firewall is off, so 3389 is open although the Remote Desktop rules are for the
      // Private profile only: a medium finding (the firewall is off), not a blocked port.
      (
        "firewall-off",
        variant("FW-OFF") { state in
          for index in state.firewallRules.indices where state.firewallRules[index].group == rdpGroup {
            state.firewallRules[index].profile = .private
          }
          state.firewallProfiles = domainProfile { $0.enabled = false }
        }
      ),
      // Group Policy makes the Domain profile ignore local rules, and the Remote Desktop rules are local ones.
      (
        "firewall-local-rules-ignored",
        variant("FW-GPO-ONLY") { state in
          state.firewallProfiles = domainProfile { $0.allowLocalFirewallRules = false }
        }
      ),
      // Healthy: the Remote Desktop rule admits the local subnet only, and a Block rule covers one outside range;
      // both are reported, neither fails.
      (
        "firewall-scoped",
        variant("FW-SCOPED") { state in
          if let index = state.firewallRules.firstIndex(where: { $0.name == "RemoteDesktop-UserMode-In-TCP" }) {
            state.firewallRules[index].remoteAddress = "LocalSubnet"
          }
          state.firewallRules.append(
            FirewallRule(
              name: "{4B1F0C7E-9A51-4D0B-8C1E-3389B10C0002}", displayName: "Block RDP from the guest network",
              enabled: true, action: .block, protocol: "TCP", localPort: "3389", remoteAddress: "203.0.113.0/24"))
        }
      ),
      // A GPO took Administrators out of "Allow log on through Remote Desktop Services".
      (
        "remote-logon-admins-removed",
        variant("RDP-RIGHT-GONE") { $0.userRights = ["SeRemoteInteractiveLogonRight": ["S-1-5-32-555"]] }
      ),
      // "Deny log on through Remote Desktop Services" names Remote Desktop Users (and Local account, which is fine).
      (
        "remote-logon-denied",
        variant("RDP-DENIED") {
          $0.userRights = ["SeDenyRemoteInteractiveLogonRight": ["S-1-5-113", "S-1-5-32-555"]]
        }
      ),
      // Remote Desktop Users holds a named domain group and Domain Users: every domain account may use Remote Desktop.
      (
        "rdu-domain-users",
        variant("RDU-DOMAIN-USERS") { state in
          state.localGroupMembers = [
            "S-1-5-32-555": [
              GroupMember(sid: "S-1-5-21-3623811015-3361044348-30300820-1105", name: "RDP-Operators", domain: "CORP"),
              GroupMember(sid: "S-1-5-21-3623811015-3361044348-30300820-513", name: "Domain Users", domain: "CORP"),
            ]
          ]
        }
      ),
      // The machine account's password no longer matches the domain's (a restored snapshot): NLA cannot
      // authenticate domain users.
      ("secure-channel-broken", variant("CHANNEL-BROKEN") { $0.domain?.secureChannel = false }),
      // A workgroup server with the CIS domain-member setting "Deny log on through RDS: Local account".
      (
        "workgroup-local-accounts-denied",
        variant("WORKGROUP-DENY") { state in
          state.domain = nil
          state.networkProfiles = [
            NetworkConnectionProfile(
              interfaceAlias: "Ethernet", interfaceIndex: 6, name: "Network", networkCategory: .private)
          ]
          state.userRights = ["SeDenyRemoteInteractiveLogonRight": ["S-1-5-113"]]
        }
      ),
      (
        "firewall-service-stopped",
        variant("MPSSVC-STOPPED") { state in
          state.updateService("MpsSvc") {
            $0.status = .stopped
            $0.startType = .disabled
          }
        }
      ),
      // Healthy inside; the fleet file gives it `rdpNetwork: drop`, so connects to its listener time out.
      ("rdp-network-blocked", variant("RDP-NET-BLOCKED") { _ in }),
      // UserAuthentication 1 but SecurityLayer 0: CredSSP cannot run without TLS, so the wire accepts standard RDP.
      (
        "nla-off-on-wire-securitylayer-rdp",
        variant("NLA-WIRE-RDP") { $0.registry.setValue(RegistryKeys.rdpTcp, "SecurityLayer", .dword(0)) }
      ),
      // Healthy inside; the fleet file gives it `rdpNetwork: proxy`: the wire shows a middlebox's certificate.
      ("rdp-wire-certificate-differs", variant("RDP-WIRE-CERT") { _ in }),
    ]
  }

  enum Windows {
    case server2019, server2022

    var os: OperatingSystemInfo {
      switch self {
      case .server2019:
        OperatingSystemInfo(
          caption: "Microsoft Windows Server 2019 Datacenter", version: "10.0.17763", buildNumber: "17763")
      case .server2022:
        OperatingSystemInfo(
          caption: "Microsoft Windows Server 2022 Datacenter", version: "10.0.20348", buildNumber: "20348")
      }
    }

    var powerShellVersion: String {
      switch self {
      case .server2019: "5.1.17763.6414"
      case .server2022: "5.1.20348.2849"
      }
    }
  }

  static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

  static func guid(for name: String) -> String { Fleet.cloneGuid(prefix: "sample", index: name.hashValueStable) }

  static func variant(_ computerName: String, _ change: (inout HostState) -> Void) -> HostState {
    var state = healthy(computerName: computerName, windows: .server2019)
    change(&state)
    return state
  }

  static let rdpGroup = "@FirewallAPI.dll,-28752"

  /// Windows' default firewall profiles with the Domain profile (the sample hosts' network) changed.
  static func domainProfile(_ change: (inout FirewallProfileSettings) -> Void) -> [FirewallProfileSettings] {
    FirewallProfileSettings.defaults.map { profile in
      var copy = profile
      if copy.name == "Domain" { change(&copy) }
      return copy
    }
  }

  /// A healthy Server 2019/2022: RDP on, NLA, TLS security layer, High encryption, firewall open on every profile,
  /// a valid self-signed certificate with its key, MachineKeys with its default ACL.
  static func healthy(computerName: String, windows: Windows, german: Bool = false) -> HostState {
    let guid = guid(for: computerName)
    var registry = Registry()
    let ts = RegistryKeys.terminalServer
    registry.setValue(ts, "fDenyTSConnections", .dword(0))
    registry.setValue(ts, "TSEnabled", .dword(1))
    registry.setValue(ts, "TSServerDrainMode", .dword(0))
    registry.setValue(ts, "TSUserEnabled", .dword(0))
    registry.setValue(ts, "fSingleSessionPerUser", .dword(1))
    let rdp = RegistryKeys.rdpTcp
    registry.setValue(rdp, "PortNumber", .dword(3389))
    registry.setValue(rdp, "UserAuthentication", .dword(1))
    registry.setValue(rdp, "SecurityLayer", .dword(2))
    registry.setValue(rdp, "MinEncryptionLevel", .dword(3))
    registry.setValue(rdp, "fEnableWinStation", .dword(1))
    registry.setValue(rdp, "fLogonDisabled", .dword(0))
    registry.setValue(rdp, "fPromptForPassword", .dword(0))
    registry.setValue(RegistryKeys.cryptography, "MachineGuid", .string(guid))
    registry.set(RegistryKeys.openSSH, .init())
    registry.setValue(
      "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\SSL 2.0\\Client",
      "DisabledByDefault", .dword(1))
    registry.set("HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\Console", .init())

    let keyFile = MachineKeys.remoteDesktopKeyFile(machineGuid: guid)
    let subject = "CN=" + computerName
    let listenerCertificate = Certificate(
      thumbprint: Fingerprint.thumbprint(of: subject + "|" + guid), subject: subject, issuer: subject,
      notBefore: date("2025-03-01T08:00:00Z"), notAfter: date("2035-09-01T08:00:00Z"), privateKeyContainer: keyFile)

    var files = FileSystem()
    files.set(
      MachineKeys.directory, FileNode(type: .directory, sddl: MachineKeys.defaultDirectorySDDL))
    files.set(
      MachineKeys.path(of: keyFile),
      FileNode(type: .file, sddl: MachineKeys.keyFileSDDL, content: "RSA key TSSecKeySet1"))
    files.set(
      MachineKeys.path(of: "6de9cb26d2b98c01ec4e9e8b34824aa2_" + guid),
      FileNode(type: .file, sddl: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)", content: "RSA key iisConfigurationKey"))
    files.set("C:\\Windows\\Temp", FileNode(type: .directory))
    files.set(
      "C:\\ProgramData\\ssh\\administrators_authorized_keys",
      FileNode(
        type: .file, sddl: "O:BAG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)", content: "ssh-ed25519 AAAA... winlab"))

    var state = HostState(
      computerName: computerName, os: windows.os, powerShellVersion: windows.powerShellVersion,
      locale: german ? "de-DE" : "en-US", oemCodePage: german ? 850 : 437, clock: clock, registry: registry,
      firewallRules: firewallRules(german: german),
      networkProfiles: [
        NetworkConnectionProfile(
          interfaceAlias: "Ethernet", interfaceIndex: 6, name: "corp.example.com", networkCategory: .domainAuthenticated
        )
      ],
      services: services(german: german),
      certificates: CaseInsensitiveMap([(CertificateStoreName.remoteDesktop, [listenerCertificate])]),
      files: files)
    if german { state.os.osLanguage = 1031 }
    state.domain = DomainMembership(name: "corp.example.com")
    state.updateService("TermService") { $0.listenerPort = 3389 }
    return state
  }

  static func firewallRules(german: Bool) -> [FirewallRule] {
    let rdpGroupName = german ? "Remotedesktop" : "Remote Desktop"
    return [
      FirewallRule(
        name: "RemoteDesktop-UserMode-In-TCP",
        displayName: german ? "Remotedesktop - Benutzermodus (TCP eingehend)" : "Remote Desktop - User Mode (TCP-In)",
        group: rdpGroup, displayGroup: rdpGroupName, enabled: true, protocol: "TCP", localPort: "3389",
        program: "%SystemRoot%\\system32\\svchost.exe", service: "termservice"),
      FirewallRule(
        name: "RemoteDesktop-UserMode-In-UDP",
        displayName: german ? "Remotedesktop - Benutzermodus (UDP eingehend)" : "Remote Desktop - User Mode (UDP-In)",
        group: rdpGroup, displayGroup: rdpGroupName, enabled: true, protocol: "UDP", localPort: "3389",
        program: "%SystemRoot%\\system32\\svchost.exe", service: "termservice"),
      FirewallRule(
        name: "RemoteDesktop-Shadow-In-TCP",
        displayName: german ? "Remotedesktop - Spiegeln (TCP eingehend)" : "Remote Desktop - Shadow (TCP-In)",
        group: rdpGroup, displayGroup: rdpGroupName, enabled: true, protocol: "TCP", localPort: "Any",
        program: "%SystemRoot%\\system32\\RdpSa.exe"),
      FirewallRule(
        name: "FPS-SMB-In-TCP",
        displayName: german ? "Datei- und Druckerfreigabe (SMB eingehend)" : "File and Printer Sharing (SMB-In)",
        group: "@FirewallAPI.dll,-28502",
        displayGroup: german ? "Datei- und Druckerfreigabe" : "File and Printer Sharing",
        enabled: false, protocol: "TCP", localPort: "445", program: "System"),
      FirewallRule(
        name: "RemoteEventLogSvc-In-TCP",
        displayName: german ? "Remote-Ereignisprotokollverwaltung (RPC)" : "Remote Event Log Management (RPC)",
        group: "@FirewallAPI.dll,-29252",
        displayGroup: german ? "Remote-Ereignisprotokollverwaltung" : "Remote Event Log Management",
        enabled: false, protocol: "TCP", localPort: "RPC", program: "%SystemRoot%\\system32\\svchost.exe",
        service: "Eventlog"),
      FirewallRule(
        name: "WINRM-HTTP-In-TCP",
        displayName: german ? "Windows-Remoteverwaltung (HTTP eingehend)" : "Windows Remote Management (HTTP-In)",
        group: "@FirewallAPI.dll,-35001",
        displayGroup: german ? "Windows-Remoteverwaltung" : "Windows Remote Management",
        enabled: true, profile: [.domain, .private], protocol: "TCP", localPort: "5985", program: "System"),
      FirewallRule(
        name: "OpenSSH-Server-In-TCP", displayName: "OpenSSH SSH Server (sshd)", group: "OpenSSH Server",
        displayGroup: "OpenSSH Server", enabled: true, protocol: "TCP", localPort: "22",
        program: "%SystemRoot%\\system32\\OpenSSH\\sshd.exe"),
    ]
  }

  static func services(german: Bool) -> [Service] {
    [
      Service(
        name: "RpcSs", displayName: german ? "Remoteprozeduraufruf (RPC)" : "Remote Procedure Call (RPC)",
        status: .running, startType: .automatic, account: "NT AUTHORITY\\NetworkService"),
      Service(
        name: "TermService", displayName: german ? "Remotedesktopdienste" : "Remote Desktop Services",
        status: .running, startType: .manual, account: "NT Authority\\NetworkService", dependsOn: ["RPCSS"]),
      Service(
        name: "UmRdpService",
        displayName: german
          ? "Remotedesktopdienste-UserMode-Portumleitung" : "Remote Desktop Services UserMode Port Redirector",
        status: .running, startType: .manual, account: "localSystem", dependsOn: ["TermService", "RPCSS"],
        startsWith: ["TermService"]),
      Service(
        name: "SessionEnv", displayName: german ? "Remotedesktopkonfiguration" : "Remote Desktop Configuration",
        status: .running, startType: .manual, account: "localSystem", dependsOn: ["RPCSS"]),
      Service(
        name: "KeyIso", displayName: german ? "CNG-Schlüsselisolation" : "CNG Key Isolation", status: .running,
        startType: .manual, account: "LocalSystem", dependsOn: ["RPCSS"]),
      Service(
        name: "CryptSvc", displayName: german ? "Kryptografiedienste" : "Cryptographic Services", status: .running,
        startType: .automatic, account: "NT Authority\\NetworkService", dependsOn: ["RPCSS"]),
      Service(
        name: "CertPropSvc", displayName: german ? "Zertifikatverteilung" : "Certificate Propagation",
        status: .stopped, startType: .manual, account: "LocalSystem", dependsOn: ["RPCSS"]),
      Service(
        name: "BFE", displayName: german ? "Basisfiltermodul" : "Base Filtering Engine", status: .running,
        startType: .automatic, account: "NT AUTHORITY\\LocalService", dependsOn: ["RpcSs"]),
      Service(
        name: "MpsSvc", displayName: "Windows Defender Firewall",
        status: .running, startType: .automatic, account: "NT Authority\\LocalService", dependsOn: ["mpsdrv", "bfe"]),
      Service(
        name: "sshd", displayName: "OpenSSH SSH Server", status: .running, startType: .automatic,
        account: "LocalSystem"),
      Service(
        name: "WinRM",
        displayName: german ? "Windows-Remoteverwaltung (WS-Verwaltung)" : "Windows Remote Management (WS-Management)",
        status: .running, startType: .automatic, account: "NT AUTHORITY\\NetworkService", dependsOn: ["RPCSS"]),
    ]
  }

  static func healthy2022() -> HostState {
    var state = healthy(computerName: "HEALTHY-2022", windows: .server2022)
    state.localGroupMembers = [
      "S-1-5-32-555": [
        GroupMember(sid: "S-1-5-21-3623811015-3361044348-30300820-1105", name: "RDP-Operators", domain: "CORP")
      ]
    ]
    state.registry.setValue(RegistryKeys.tls12Server, "Enabled", .dword(1))
    state.registry.setValue(RegistryKeys.tls12Server, "DisabledByDefault", .dword(0))
    state.registry.setValue(RegistryKeys.credSSP, "AllowEncryptionOracle", .dword(1))
    state.networkProfiles = [
      NetworkConnectionProfile(
        interfaceAlias: "Ethernet0", interfaceIndex: 4, name: "Network", networkCategory: .private)
    ]
    // An unrelated web server certificate: not the listener's (SSLCertificateSHA1Hash is absent).
    let guid = state.machineGuid!
    state.certificates[CertificateStoreName.personal] = [
      Certificate(
        thumbprint: Fingerprint.thumbprint(of: "web|" + guid), subject: "CN=web.example.com",
        issuer: "CN=Example Issuing CA 01, DC=example, DC=com", notBefore: date("2025-01-15T00:00:00Z"),
        notAfter: date("2035-01-15T00:00:00Z"), privateKeyContainer: "9a4f1c2e0d8b7a6f5e4d3c2b1a0f9e8d_" + guid)
    ]
    state.files.set(
      MachineKeys.path(of: "9a4f1c2e0d8b7a6f5e4d3c2b1a0f9e8d_" + guid),
      FileNode(type: .file, sddl: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)", content: "RSA key web.example.com"))
    return state
  }

  /// A host whose RDP-Tcp SSLCertificateSHA1Hash names a CA-issued certificate in LocalMachine\My with its key in
  /// `storage` under `keySDDL`.
  static func customListenerCertificate(_ computerName: String, storage: KeyStorage, keySDDL: String) -> HostState {
    variant(computerName) { state in
      let guid = state.machineGuid!
      let container =
        storage == .cng ? "7d2c5e8f1a3b4c6d9e0f1a2b3c4d5e6f_" + guid : "3e8a1c5b7d9f2e4a6c8b0d1f3a5c7e9b_" + guid
      let certificate = Certificate(
        thumbprint: Fingerprint.thumbprint(of: "rdp|" + computerName + "|" + guid), subject: "CN=rdp.example.com",
        issuer: "CN=Example Issuing CA 01, DC=example, DC=com", notBefore: date("2025-02-01T00:00:00Z"),
        notAfter: date("2035-02-01T00:00:00Z"), privateKeyContainer: container,
        keyStorage: storage == .cng ? .cng : nil)
      state.certificates[CertificateStoreName.personal] = [certificate]
      if storage == .cng {
        state.files.set(
          KeyStorage.cng.directory,
          FileNode(type: .directory, sddl: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;0x12019f;;;WD)"))
      }
      state.files.set(
        certificate.keyFile!, FileNode(type: .file, sddl: keySDDL, content: "RSA key rdp.example.com"))
      state.registry.setValue(
        RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash", .binary(Hex.bytes(certificate.thumbprint)!))
    }
  }

  static let hostileText = "\u{1B}[2J\u{1B}]0;owned\u{07}\n  [critical] rdp-allowed: forged\u{2028}x\u{85}y\u{202E}"

  static func hostileValues() -> HostState {
    var state = customListenerCertificate(
      "HOSTILE", storage: .csp, keySDDL: "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)")
    if var list = state.certificates[CertificateStoreName.personal], !list.isEmpty {
      list[0].subject = "CN=" + hostileText
      state.certificates[CertificateStoreName.personal] = list
    }
    state.firewallRules.append(
      FirewallRule(
        name: "{4B1F0C7E-9A51-4D0B-8C1E-3389B10C0003}", displayName: hostileText, enabled: true, action: .block,
        protocol: "TCP", localPort: "3389"))
    return state
  }

  static func firewallPublicOff() -> HostState {
    variant("FW-PUBLIC-OFF") { state in
      for index in state.firewallRules.indices where state.firewallRules[index].group == rdpGroup {
        state.firewallRules[index].profile = .domain
      }
      state.networkProfiles = [
        NetworkConnectionProfile(
          interfaceAlias: "Ethernet", interfaceIndex: 6, name: "Unidentified network", networkCategory: .public,
          ipv4Connectivity: "LocalNetwork")
      ]
    }
  }

  static func portMismatch() -> HostState {
    variant("PORT-MISMATCH") { state in
      state.registry.setValue(RegistryKeys.rdpTcp, "PortNumber", .dword(3390))
      try? state.restartService("TermService", force: true)
    }
  }

  static func certificateExpired() -> HostState {
    variant("CERT-EXPIRED") { state in
      var certificates = state.certificates(in: CertificateStoreName.remoteDesktop)
      certificates[0].notBefore = date("2024-09-01T08:00:00Z")
      certificates[0].notAfter = date("2025-03-01T08:00:00Z")
      state.certificates[CertificateStoreName.remoteDesktop] = certificates
    }
  }

  static func machineKeysBroken() -> HostState {
    variant("MACHINEKEYS-ACL") { state in
      state.files.update(MachineKeys.directory) {
        $0.sddl = "O:SYG:SYD:P(D;;FA;;;NS)(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;;FA;;;SY)"
      }
      state.files.remove(MachineKeys.path(of: MachineKeys.remoteDesktopKeyFile(machineGuid: state.machineGuid!)))
      state.certificates[CertificateStoreName.remoteDesktop] = nil
      // A service's key that locks out even Administrators, as some services' keys do: a repair must neither fail on
      // it nor change it.
      state.files.set(
        MachineKeys.path(of: "d6d986f09a1ee04e24c949879fdb506c_" + state.machineGuid!),
        FileNode(type: .file, sddl: "O:SYG:SYD:P(D;;FA;;;BA)(A;;FA;;;SY)", content: "RSA key of a service"))
    }
  }
}

extension String {
  /// A hash that is the same in every run (Swift's `hashValue` is seeded per process).
  var hashValueStable: Int { utf8.reduce(7) { ($0 &* 31 &+ Int($1)) & 0x7fff_ffff } }
}
