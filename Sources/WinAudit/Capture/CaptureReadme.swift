/// The README.txt written next to capture.json: what the folder holds, what was replaced, what is missing, so the
/// administrator who sends it and the developer who receives it read the same thing.
enum CaptureReadme {
  static func text(_ result: Capturer.Result, playbook: String) -> String {
    var lines = [
      "winaudit capture (capture schema \(CaptureScript.schemaVersion), playbook \(playbook))",
      "",
      "capture.json holds the raw answers of the queries winaudit's collector makes for this playbook, as Windows",
      "returned them, before winaudit turned them into facts: the registry values the playbook reads (with their kind",
      "and their Group Policy twins), the firewall rules of the playbook's groups and names and every enabled inbound",
      "Block rule with their port, address, program and service filters, the firewall profiles in force",
      "(Get-NetFirewallProfile -PolicyStore ActiveStore), the network connection profiles, the services the playbook",
      "names (Get-Service and Win32_Service), the listening TCP sockets (Get-NetTCPConnection -State Listen),",
      "Win32_TSGeneralSetting, the certificate stores with where each private key lives and its key file's ACL (SDDL),",
      "the ACLs of the playbook's paths, the OS version, the MachineGuid, the user rights export of secedit,",
      "domain membership with the secure channel's state, the members of the playbook's local groups (by SID) and",
      "whether the login was elevated.",
      "",
      "It was made read-only: nothing on the host was changed. The only file written was secedit's export under",
      "%windir%\\Temp, deleted at once. No private key, password or file content was read.",
      "",
      "Replaced before it was written (consistently: the same original always became the same placeholder):",
      "  the computer name -> HOST-1; user names -> USER-n; other domains -> DOMAIN-n; network names -> NETWORK-n;",
      "  the domain part of account SIDs -> S-1-5-21-1000000001-2000000002-300000000n; IPv4 addresses -> 192.0.2.n",
      "  (then 198.51.100.n, 203.0.113.n); IPv6 addresses -> 2001:db8::n; certificate thumbprints -> 0BADC0DE00...0n",
      "  (also inside the registry's SSLCertificateSHA1Hash and key names); the MachineGuid -> 00000000-0000-4000-8000-n.",
      "Not replaced: certificate subjects and issuers other than the computer name in them (a DNS domain or",
      "organisation name stays), firewall rule names, service names, registry paths. Read capture.json before",
      "sending it if those matter to you.",
      "",
      "To replay it: winlab import <this folder> --output host.json, then start a lab with that host and audit it.",
      "",
    ]
    if result.failedQueries.isEmpty {
      lines.append("Every query answered.")
    } else {
      lines.append("Queries that failed on the host (the import reports what they leave unknown):")
      lines += result.failedQueries.map { "  " + $0 }
    }
    if !result.uncapturedKinds.isEmpty {
      lines.append(
        "Fact kinds of the playbook the capture cannot read raw: \(result.uncapturedKinds.joined(separator: ", ")).")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
