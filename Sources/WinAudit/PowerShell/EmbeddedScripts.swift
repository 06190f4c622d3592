/// The fixed PowerShell text compiled into the binary from `PowerShell/Scripts/*.ps1`: everything a script needs that
/// does not depend on the playbook. Generated parts only add literals around it (`PowerShellCode`).
enum EmbeddedScripts {
  /// Conversions every collector function uses (enums and dates to text, "not found" errors told apart).
  static let collectorCommon = text(PackageResources.CollectorCommon_ps1)
  /// The collector's main block: host identity, then each requested fact through its kind's function.
  static let collectorMain = text(PackageResources.CollectorMain_ps1)
  /// Reads of one firewall rule, one firewall group or one certificate, built on the audit's collector functions.
  static let fixReads = CollectorFunction(name: "Read-WinAuditFirewallRule", embedded: PackageResources.FixReads_ps1)
  /// The body of `winaudit capture`'s read-only script: the raw answers of the collector's queries.
  static let captureMain = text(PackageResources.CaptureMain_ps1)
  /// What every remediation script shares: result lines, the host clock, the host lock.
  static let remediationCommon = text(PackageResources.RemediationCommon_ps1)

  static func text(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
  }
}
