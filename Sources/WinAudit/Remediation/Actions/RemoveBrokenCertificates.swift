import Foundation

/// `removeBrokenCertificates`: exports, then removes, the certificates of a store that are broken: expired by the host's
/// clock, without a private key NETWORK SERVICE can read, expiring within `validForDays`, or (after the RDP key file
/// was renamed) every self-signed one, whose key is gone. When the store has certificates and none is broken, the fix
/// is not planned. Restarting TermService then makes Windows create a new self-signed one.
///
/// Before removing, the certificate's registry key (`HKLM\SOFTWARE\Microsoft\SystemCertificates\<store>\
/// Certificates\<thumbprint>`, whose Blob holds the certificate with its properties, the private key link among
/// them) is saved with `reg export`, and undo puts it back with `reg import`: a rollback restores a certificate that
/// still finds its key. A `.cer` copy (`Export-Certificate -Type CERT`, which keeps no key link) is kept next to it
/// for people.
///
///     - removeBrokenCertificates: {fact: rdpCertificates}                      # a certificates fact
///     - removeBrokenCertificates: {fact: rdpCertificates, validForDays: 14}
///     - removeBrokenCertificates: {fact: rdpCertificates, selfSigned: true}
struct RemoveBrokenCertificatesAction: FixAction {
  static let name = "removeBrokenCertificates"

  var store: CertificatesFact
  /// Also remove certificates that expire within this many days.
  var validForDays: Int?
  /// Remove the self-signed certificates (Subject equals Issuer) whatever their dates.
  var selfSigned: Bool

  static func parse(_ parameters: ActionParameters) -> RemoveBrokenCertificatesAction? {
    let label = parameters.label
    let reader = parameters.reader
    guard
      let fields = parameters.mapping(allowed: ["fact", "validForDays", "selfSigned"], required: ["fact"]),
      let factNode = fields["fact"],
      let store = parameters.fact(at: factNode, "fact of \(label)", kind: CertificatesFact.self)
    else { return nil }
    let days = fields["validForDays"].flatMap { reader.int($0, "validForDays of \(label)", range: 0...3650) }
    let selfSigned = fields["selfSigned"].flatMap { reader.bool($0, "selfSigned of \(label)") } ?? false
    return RemoveBrokenCertificatesAction(store: store, validForDays: days, selfSigned: selfSigned)
  }

  /// The store, the host's clock, and %ProgramData% for the exports.
  var reads: [HostRead] { [.certificates(store.store), .clock, .programData] }

  func plan(_ context: PlanContext) -> ActionPlan {
    let now = context.reads[.clock]?["now"]?.asText.flatMap(ISODate.parse) ?? context.now
    var drafts: [Draft] = []
    let all = (context.reads[.certificates(store.store)]?["certificates"] ?? .null).list
    for certificate in all {
      guard let thumbprint = certificate["thumbprint"]?.asText, isBroken(certificate, now: now) else { continue }
      let export = context.backupFolder + "\\" + thumbprint + ".cer"
      let change = CertificateRemovalChange(
        store: store.store, thumbprint: thumbprint, export: export,
        registryExport: context.backupFolder + "\\" + thumbprint + ".reg",
        before: CertificateState(
          present: true, subject: certificate["subject"]?.asText, notAfter: certificate["notAfter"]?.asText),
        after: CertificateState(present: false, exportedTo: export))
      drafts.append(Draft(.change, change))
    }
    // Certificates there and none broken: the fix's other actions (a TermService restart) would interrupt people for
    // nothing. An empty store is different: the restart is what makes Windows create a certificate.
    if drafts.isEmpty && !all.isEmpty {
      return .skipped(.precondition("no certificate of \(store.store) is broken (\(all.count) there)"))
    }
    return .steps(drafts)
  }

  /// Whether `certificate` (a record of the certificates read) is one this action removes.
  func isBroken(_ certificate: FactValue, now: Date) -> Bool {
    if selfSigned {
      return certificate["subject"]?.asText == certificate["issuer"]?.asText
    }
    if case .notReadable = ExpectationCheck.networkServiceAccess(certificate) { return true }
    guard let notAfter = certificate["notAfter"]?.asText.flatMap(ISODate.parse) else { return false }
    return notAfter < now.addingTimeInterval(Double(validForDays ?? 0) * 86_400)
  }
}

/// Whether a certificate is in its store, and where its export went once it was removed.
struct CertificateState: Sendable, Hashable, Codable {
  var present: Bool
  var subject: String? = nil
  var notAfter: String? = nil
  var exportedTo: String? = nil
}

/// Exporting then removing one certificate; the undo imports the export when the certificate is missing.
struct CertificateRemovalChange: Change {
  static let kind = "certificateRemoval"

  /// The store as a PowerShell path (`Cert:\LocalMachine\Remote Desktop`).
  var store: String
  var thumbprint: String
  /// The `.cer` file the certificate is exported to first (for people: it keeps no private key link).
  var export: String
  /// The `.reg` file its registry key is exported to, which undo imports (absent in journals of winaudit versions that
  /// only kept the `.cer`).
  var registryExport: String? = nil
  var before: CertificateState
  var after: CertificateState

  var targetID: [String] { [store.lowercased(), thumbprint.lowercased()] }
  var target: String { "certificate \(thumbprint) in \(store)" }
  var readBack: HostRead { .certificate(store: store, thumbprint: thumbprint) }

  func script(_ direction: StepDirection, step: String) -> String {
    let storePath = PowerShellValue.literal(store).code
    let thumb = PowerShellValue.literal(thumbprint).code
    let file = PowerShellValue.literal(export).code
    let find = "$waCert = @(Get-ChildItem -LiteralPath \(storePath) | Where-Object { $_.Thumbprint -eq \(thumb) })"
    let key = PowerShellValue.literal(registryKey).code
    switch direction {
    case .apply:
      let folder = PowerShellValue.literal(WindowsPath.folder(of: export)).code
      let item = PowerShellValue.literal(store + "\\" + thumbprint).code
      var lines = [
        find,
        "if ($waCert.Count -gt 0) {",
        "  $null = New-Item -ItemType 'Directory' -Path \(folder) -Force",
        "  $null = Export-Certificate -Cert $waCert[0] -FilePath \(file) -Type 'CERT'",
      ]
      if let registryExport {
        lines += [
          "  $null = & reg.exe 'export' \(key) \(PowerShellValue.literal(registryExport).code) '/y'",
          "  if ($LASTEXITCODE -ne 0) { throw ('reg export failed with exit code ' + $LASTEXITCODE) }",
        ]
      }
      lines += ["  Remove-Item -LiteralPath \(item)", "}"]
      return lines.joined(separator: "\n")
    case .undo:
      guard let registryExport else {
        return """
          \(find)
          if ($waCert.Count -eq 0 -and (Test-Path -LiteralPath \(file))) {
            $null = Import-Certificate -FilePath \(file) -CertStoreLocation \(storePath)
          }
          """
      }
      // reg import reports success on stderr, which 5.1 turns into an error under 'Stop': it runs under 'Continue'
      // and its exit code decides.
      let saved = PowerShellValue.literal(registryExport).code
      return """
        \(find)
        if ($waCert.Count -eq 0 -and (Test-Path -LiteralPath \(saved))) {
          & { $ErrorActionPreference = 'Continue'; $null = & reg.exe 'import' \(saved) 2>&1 }
          if ($LASTEXITCODE -ne 0) { throw ('reg import failed with exit code ' + $LASTEXITCODE) }
        }
        """
    }
  }

  /// The certificate's key in reg.exe's form: LocalMachine stores live under `HKLM\SOFTWARE\Microsoft\SystemCertificates`.
  var registryKey: String {
    let storeName = store.split(separator: "\\").last.map(String.init) ?? store
    return #"HKLM\SOFTWARE\Microsoft\SystemCertificates\"# + storeName + #"\Certificates\"# + thumbprint
  }

  static func describe(_ state: CertificateState) -> String {
    guard state.present else { return state.exportedTo.map { "removed (exported to \($0))" } ?? "absent" }
    return "present (\(state.subject ?? "?"), expires \(state.notAfter ?? "?"))"
  }
}
