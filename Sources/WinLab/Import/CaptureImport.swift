import Foundation

/// `winlab import`: turns a capture folder (`winaudit capture`) into a lab host state, so the lab answers the audit's
/// queries as the captured host did.
///
/// Only stored facts are imported (registry values, rules, profiles, services, certificates, ACLs, user rights); what
/// the lab derives (the listener, Win32_TSGeneralSetting, effective ACLs) is then compared with what the host said,
/// and every difference is returned as a warning: each one is something the lab does not model as Windows behaves.
/// Nothing is invented: a part the capture lacks fails the import with `CaptureImportError` naming it, unless its
/// HostState field has a documented default (the locale, which is not captured, stays en-US).
public enum CaptureImport {
  /// What an import produced.
  public struct Result: Sendable {
    public var state: HostState
    /// Where the lab's derived behaviour differs from the captured host's.
    public var warnings: [String]
  }

  /// Imports `folder/capture.json`.
  public static func importFolder(_ folder: URL) throws(CaptureImportError) -> Result {
    let file = folder.appendingPathComponent("capture.json")
    let data: Data
    do {
      data = try Data(contentsOf: file)
    } catch {
      throw CaptureImportError("cannot read \(file.path): \(error.localizedDescription)")
    }
    do {
      return try importCapture(data)
    } catch {
      throw CaptureImportError("\(file.path): \(error.message)")
    }
  }

  /// Imports capture.json's bytes.
  public static func importCapture(_ data: Data) throws(CaptureImportError) -> Result {
    let document: CaptureDocument
    do {
      document = try JSONDecoder().decode(CaptureDocument.self, from: data)
    } catch {
      throw CaptureImportError("not a capture document: \(error)")
    }
    guard document.capture == 1 else {
      throw CaptureImportError("capture schema \(document.capture) is not supported (this winlab reads schema 1)")
    }
    var builder = CaptureStateBuilder(document: document)
    let state = try builder.build()
    return Result(state: state, warnings: CaptureConsistency.differences(document, state))
  }
}

/// Why a capture cannot become a host state: what is missing or not modelled, in words.
public struct CaptureImportError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Builds the HostState from a decoded capture, one part of the state per function.
struct CaptureStateBuilder {
  let document: CaptureDocument
  var state = HostState(
    computerName: "", os: OperatingSystemInfo(caption: "", version: "", buildNumber: ""))

  /// The folder the lab's key stores live under; a host whose %ProgramData% differs cannot be modelled.
  static let programData = "C:\\ProgramData"

  mutating func build() throws(CaptureImportError) -> HostState {
    let host = document.host
    guard let name = host.computerName, !name.isEmpty else { throw missing("the computer name (host.computerName)") }
    state.computerName = name
    if let programData = host.programData, programData.caseInsensitiveCompare(Self.programData) != .orderedSame {
      throw CaptureImportError(
        "%ProgramData% is \(programData): the lab models hosts whose key stores live under \(Self.programData)")
    }
    guard host.elevated != false else {
      throw CaptureImportError("the capture was made by a login whose token is not elevated: it holds no host state")
    }
    try importOperatingSystem()
    state.powerShellVersion = host.powershellVersion
    if let at = document.capturedAt {
      guard let date = CaptureDates.parse(at) else { throw CaptureImportError("capturedAt '\(at)' is not a date") }
      state.clock = date
    }
    if let user = host.user, let sid = host.userSid {
      let account = user.split(separator: "\\").last.map(String.init) ?? user
      state.login = LoginAccount(name: account, sid: sid, elevated: host.elevated ?? true)
    }
    try importRegistry()
    try importFirewall()
    try importServices()
    try importCertificates()
    try importPaths()
    try importUserRights()
    try importDomainMembership()
    try importLocalGroups()
    return state
  }

  /// Domain membership and the secure channel's state, as Win32_ComputerSystem and Test-ComputerSecureChannel said.
  mutating func importDomainMembership() throws(CaptureImportError) {
    guard let section = document.domainMembership else {
      if document.captured("domainMembership") {
        throw missing("domain membership (Win32_ComputerSystem)", query: "Win32_ComputerSystem")
      }
      return
    }
    guard section.PartOfDomain else {
      state.domain = nil
      return
    }
    guard let domain = section.Domain, let channel = section.SecureChannel else {
      throw missing("domain name or secure channel state of a domain member", query: "Win32_ComputerSystem")
    }
    state.domain = DomainMembership(name: domain, secureChannel: channel)
  }

  /// Members of the local groups the playbook reads, by the group's SID.
  mutating func importLocalGroups() throws(CaptureImportError) {
    guard let groups = document.localGroups else {
      if document.captured("localGroup") { throw missing("local group members (Win32_Group)", query: "Win32_Group") }
      return
    }
    var members: [String: [GroupMember]] = [:]
    for group in groups where group.Exists {
      let list = try (group.Members ?? []).map { member throws(CaptureImportError) in
        guard let sid = member.SID, let name = member.Name else {
          throw CaptureImportError("a member of group \(group.SID) has no SID or name in the capture")
        }
        return GroupMember(sid: sid, name: name, domain: member.Domain ?? "")
      }
      if !list.isEmpty { members[group.SID] = list }
    }
    state.localGroupMembers = members.isEmpty ? nil : members
  }

  func missing(_ what: String, query: String? = nil) -> CaptureImportError {
    let said = query.flatMap { document.failure($0) }
    return CaptureImportError(
      "the capture has no \(what)" + (said.map { ": the host said: \($0)" } ?? "")
        + "; the lab will not invent it")
  }

  mutating func importOperatingSystem() throws(CaptureImportError) {
    guard let os = document.os, let caption = os.Caption, let version = os.Version, let build = os.BuildNumber else {
      throw missing("operating system (Win32_OperatingSystem)", query: "Win32_OperatingSystem")
    }
    state.os = OperatingSystemInfo(
      caption: caption, version: version, buildNumber: build, osLanguage: os.OSLanguage ?? 1033)
  }

  mutating func importRegistry() throws(CaptureImportError) {
    for entry in document.registry ?? [] where entry.exists {
      let value: RegistryValue
      switch (entry.type, entry.value) {
      case ("DWord", .number(let number)?): value = .dword(UInt32(truncatingIfNeeded: number))
      case ("QWord", .number(let number)?): value = .qword(UInt64(bitPattern: number))
      case ("String", .text(let text)?): value = .string(text)
      case ("ExpandString", .text(let text)?): value = .expandString(text)
      case ("MultiString", .texts(let texts)?): value = .multiString(texts)
      case ("MultiString", .text(let text)?): value = .multiString([text])
      case ("Binary", .text(let hex)?):
        guard let bytes = Hex.bytes(hex) else {
          throw CaptureImportError("registry \(entry.path)\\\(entry.name): '\(hex)' is not hex")
        }
        value = .binary(bytes)
      case ("Binary", nil): value = .binary([])
      default:
        throw CaptureImportError(
          "registry \(entry.path)\\\(entry.name) is of kind \(entry.type ?? "unknown"), which the lab does not model")
      }
      state.registry.setValue(entry.path, entry.name, value)
    }
    if case .string(let codePage)? = state.registry.value(
      "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage", "OEMCP"),
      let number = Int(codePage)
    {
      state.oemCodePage = number
    }
  }

  mutating func importFirewall() throws(CaptureImportError) {
    if document.captured("firewallRules") {
      guard let rules = document.firewallRules?.rules else {
        throw missing("firewall rules (Get-NetFirewallRule)", query: "Get-NetFirewallRule")
      }
      state.firewallRules = try rules.map(Self.rule)
    }
    if document.captured("firewallProfiles") {
      guard let profiles = document.firewallProfiles else {
        throw missing("firewall profiles (Get-NetFirewallProfile)", query: "Get-NetFirewallProfile")
      }
      state.firewallProfiles = try profiles.map(Self.profile)
    }
    if document.captured("networkProfiles") || document.captured("firewallProfiles") {
      guard let connections = document.connectionProfiles else {
        throw missing("network connection profiles (Get-NetConnectionProfile)", query: "Get-NetConnectionProfile")
      }
      state.networkProfiles = try connections.map(Self.connection)
    }
  }

  static func rule(_ entry: CaptureDocument.FirewallRuleEntry) throws(CaptureImportError) -> FirewallRule {
    let label = "firewall rule \(entry.Name)"
    guard let displayName = entry.DisplayName, let enabled = entry.Enabled, let profileName = entry.Profile,
      let profile = FirewallProfiles(name: profileName),
      let direction = entry.Direction.flatMap(FirewallRule.Direction.init(rawValue:)),
      let action = entry.Action.flatMap(FirewallRule.Action.init(rawValue:)), let proto = entry.Protocol
    else {
      throw CaptureImportError(
        "\(label) lacks a display name, state, profile, direction, action or protocol the lab models "
          + "(\(entry.Enabled ?? "-"), \(entry.Profile ?? "-"), \(entry.Direction ?? "-"), \(entry.Action ?? "-"), "
          + "\(entry.Protocol ?? "-"))")
    }
    let store: FirewallRule.PolicyStore?
    switch entry.PolicyStoreSourceType {
    case "Local"?, nil: store = nil
    case "GroupPolicy"?: store = .gpo
    case let other?: throw CaptureImportError("\(label) comes from a \(other) store, which the lab does not model")
    }
    let ports = entry.LocalPort ?? []
    let remote = (entry.RemoteAddress ?? []).joined(separator: ", ")
    func filter(_ value: String?) -> String? { value == nil || value == "Any" ? nil : value }
    return FirewallRule(
      name: entry.Name, displayName: displayName, group: entry.Group, displayGroup: entry.DisplayGroup,
      enabled: enabled == "True", profile: profile, direction: direction, action: action, protocol: proto,
      localPort: ports.isEmpty ? "Any" : ports.joined(separator: ", "), program: filter(entry.Program),
      service: filter(entry.Service), policyStore: store, remoteAddress: remote.isEmpty ? nil : filter(remote))
  }

  /// A profile's setting; NotConfigured means Windows' default for it.
  static func profile(_ entry: CaptureDocument.FirewallProfile) throws(CaptureImportError) -> FirewallProfileSettings {
    func flag(_ value: String?, _ what: String) throws(CaptureImportError) -> Bool {
      switch value {
      case "True"?, "NotConfigured"?: return true
      case "False"?: return false
      default: throw CaptureImportError("firewall profile \(entry.Name): \(what) is \(value ?? "missing")")
      }
    }
    let action: FirewallRule.Action
    switch entry.DefaultInboundAction {
    case "Block"?, "NotConfigured"?: action = .block
    case "Allow"?: action = .allow
    default:
      throw CaptureImportError(
        "firewall profile \(entry.Name): DefaultInboundAction is \(entry.DefaultInboundAction ?? "missing")")
    }
    return FirewallProfileSettings(
      name: entry.Name, enabled: try flag(entry.Enabled, "Enabled"), defaultInboundAction: action,
      allowInboundRules: try flag(entry.AllowInboundRules, "AllowInboundRules"),
      allowLocalFirewallRules: try flag(entry.AllowLocalFirewallRules, "AllowLocalFirewallRules"))
  }

  static func connection(_ entry: CaptureDocument.ConnectionProfile) throws(CaptureImportError)
    -> NetworkConnectionProfile
  {
    guard let alias = entry.InterfaceAlias, let index = entry.InterfaceIndex,
      let category = entry.NetworkCategory.flatMap(NetworkConnectionProfile.NetworkCategory.init(rawValue:))
    else {
      throw CaptureImportError(
        "network profile \(entry.InterfaceAlias ?? "?") lacks its interface or has category "
          + "\(entry.NetworkCategory ?? "none"), which the lab does not model")
    }
    return NetworkConnectionProfile(
      interfaceAlias: alias, interfaceIndex: index, name: entry.Name ?? "", networkCategory: category,
      ipv4Connectivity: entry.IPv4Connectivity ?? "Internet")
  }

  /// The playbook's services with their logon account (Win32_Service), and the port TermService listens on.
  mutating func importServices() throws(CaptureImportError) {
    guard let services = document.services else {
      if document.captured("service") { throw missing("services (Get-Service)", query: "Get-Service") }
      return
    }
    let win32 = document.win32Services ?? []
    for entry in services where entry.exists {
      guard let name = entry.Name else { continue }
      guard let status = entry.Status.flatMap(Service.Status.init(rawValue:)) else {
        throw CaptureImportError(
          "service \(name) is \(entry.Status ?? "in no state"): the lab models only Running and Stopped")
      }
      guard let startType = entry.StartType.flatMap(Service.StartType.init(rawValue:)) else {
        throw CaptureImportError(
          "service \(name) starts \(entry.StartType ?? "somehow"): the lab models Automatic, Manual and Disabled")
      }
      guard let account = win32.first(where: { $0.Name.caseInsensitiveCompare(name) == .orderedSame })?.StartName
      else {
        throw missing("logon account of service \(name) (Win32_Service StartName)", query: "Win32_Service")
      }
      var service = Service(
        name: name, displayName: entry.DisplayName ?? name, status: status, startType: startType, account: account)
      if name.caseInsensitiveCompare(HostState.termService) == .orderedSame {
        service.listenerPort = try termServicePort(win32)
      }
      state.services.append(service)
    }
  }

  /// The one port TermService's process listens on, nil when it listens on none.
  func termServicePort(_ win32: [CaptureDocument.Win32Service]) throws(CaptureImportError) -> Int? {
    guard let listeners = document.tcpListeners,
      let pid = win32.first(where: { $0.Name.caseInsensitiveCompare(HostState.termService) == .orderedSame })?
        .ProcessId, pid != 0
    else { return nil }
    let ports = Set(listeners.filter { $0.OwningProcess == pid }.map(\.LocalPort))
    guard ports.count <= 1 else {
      throw CaptureImportError(
        "TermService listens on ports \(ports.sorted()): the lab models one RDP listener port")
    }
    return ports.first
  }

  mutating func importCertificates() throws(CaptureImportError) {
    guard let stores = document.certificateStores else {
      if document.captured("certificates") {
        throw missing("certificate stores (Get-ChildItem Cert:)", query: "Get-ChildItem Cert:")
      }
      return
    }
    for store in stores where store.exists {
      let name = store.store.split(separator: "\\").last.map(String.init) ?? store.store
      var list: [Certificate] = []
      for entry in store.certificates ?? [] {
        list.append(try certificate(entry, store: name))
      }
      state.certificates[name] = list
    }
  }

  mutating func certificate(_ entry: CaptureDocument.CertificateEntry, store: String) throws(CaptureImportError)
    -> Certificate
  {
    let label = "certificate \(entry.Thumbprint) in \(store)"
    guard let subject = entry.Subject, let issuer = entry.Issuer,
      let notBefore = entry.NotBefore.flatMap(CaptureDates.parse),
      let notAfter = entry.NotAfter.flatMap(CaptureDates.parse)
    else { throw CaptureImportError("\(label) lacks its subject, issuer or validity dates") }
    var certificate = Certificate(
      thumbprint: entry.Thumbprint, subject: subject, issuer: issuer, notBefore: notBefore, notAfter: notAfter,
      friendlyName: (entry.FriendlyName ?? "").isEmpty ? nil : entry.FriendlyName)
    guard entry.HasPrivateKey == true else { return certificate }
    guard let container = entry.keyContainer, let keyFile = entry.keyFile else {
      throw CaptureImportError(
        "\(label) has a private key the capture could not open (\(entry.keyError ?? "no reason given")), so its key "
          + "container is unknown; the lab will not invent it")
    }
    certificate.privateKeyContainer = container
    certificate.keyStorage = entry.keyStorage == "CNG" ? .cng : nil
    guard certificate.keyFile?.caseInsensitiveCompare(keyFile) == .orderedSame else {
      throw CaptureImportError(
        "\(label): its key file \(keyFile) is not where the lab keeps \(certificate.keyFile ?? "")")
    }
    if entry.keyFileExists == true {
      guard let sddl = entry.keyFileSddl else {
        throw CaptureImportError(
          "\(label): the ACL of its key file \(keyFile) could not be read (\(entry.keyFileAclError ?? "no reason")); "
            + "the lab will not invent it")
      }
      state.files.set(keyFile, FileNode(type: .file, sddl: sddl))
    }
    return certificate
  }

  mutating func importPaths() throws(CaptureImportError) {
    guard let paths = document.paths else {
      if document.captured("path") { throw missing("paths (Test-Path, Get-Acl)", query: "path ") }
      return
    }
    for entry in paths where entry.exists {
      guard let canonical = FilePath.canonical(entry.path), let isDirectory = entry.container, let sddl = entry.sddl
      else {
        throw CaptureImportError("path \(entry.path) exists but its kind or ACL was not captured")
      }
      state.files.set(canonical, FileNode(type: isDirectory ? .directory : .file, sddl: sddl))
    }
  }

  /// The rights secedit exported, stored as differences from a member server's defaults (as host files keep them);
  /// the folder secedit wrote its export to exists (the capture's export proves it).
  mutating func importUserRights() throws(CaptureImportError) {
    guard let export = document.userRights, let lines = export.lines else {
      if document.captured("userRights") {
        throw missing("user rights export (secedit /export)", query: "secedit")
      }
      return
    }
    if let folder = export.folder.flatMap(FilePath.canonical), !state.files.exists(folder) {
      state.files.set(folder, FileNode(type: .directory))
    }
    var exported: [String: [String]] = [:]
    var inRights = false
    for raw in lines {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("[") {
        inRights = line == "[Privilege Rights]"
        continue
      }
      guard inRights, let equals = line.firstIndex(of: "=") else { continue }
      let right = line[..<equals].trimmingCharacters(in: .whitespaces)
      exported[right] = line[line.index(after: equals)...].split(separator: ",").map {
        let holder = $0.trimmingCharacters(in: .whitespaces)
        return holder.hasPrefix("*") ? String(holder.dropFirst()) : holder
      }.filter { !$0.isEmpty }
    }
    var rights: [String: [String]] = [:]
    for right in Set(exported.keys).union(UserRights.memberServerDefaults.keys) {
      let value = exported[right] ?? []
      if value != UserRights.memberServerDefaults[right] { rights[right] = value }
    }
    state.userRights = rights.isEmpty ? nil : rights
  }
}

/// Dates as the capture writes them: ISO 8601 with up to seven fractional digits (.NET's round-trip format).
enum CaptureDates {
  static func parse(_ text: String) -> Date? {
    var whole = text
    var fraction = 0.0
    if let dot = text.firstIndex(of: ".") {
      let digitsEnd = text[text.index(after: dot)...].firstIndex { !$0.isNumber } ?? text.endIndex
      fraction = Double("0" + text[dot..<digitsEnd]) ?? 0
      whole = String(text[..<dot] + text[digitsEnd...])
    }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: whole).map { $0.addingTimeInterval(fraction) }
  }
}
