/// Every fix winaudit can plan, from the remediation playbooks (`Playbooks/rdp-remediation.yml`,
/// `Playbooks/listener-certificate.yml`), looked up by the control they remediate.
///
/// Several files merge into one catalogue; a fix id may appear only once across them.
public struct RemediationCatalogue: Sendable, Hashable {
  /// Fixes in file order.
  public var fixes: [Fix]

  public init(fixes: [Fix]) {
    self.fixes = fixes
  }

  public func fix(_ id: String) -> Fix? {
    fixes.first { $0.id == id }
  }
}

extension RemediationCatalogue {
  /// The built-in remediation playbooks, `Playbooks/rdp-remediation.yml` and `Playbooks/listener-certificate.yml`,
  /// compiled in, for `playbook`; used when `--remediation` is not given. Fixes for controls `playbook` lacks are left
  /// out (a playbook of one's own may keep only some of the baseline's controls).
  public static func builtIn(for playbook: Playbook) throws(DiagnosticsError) -> RemediationCatalogue {
    try RemediationLoader.parse(builtInFiles, playbook: playbook, onlyRelevant: true)
  }

  /// The built-in remediation playbooks' texts, labelled as in diagnostics.
  static var builtInFiles: [(text: String, file: String)] {
    [
      (PackageResources.rdp_remediation_yml, "rdp-remediation.yml"),
      (PackageResources.listener_certificate_yml, "listener-certificate.yml"),
    ].map { (text: String(decoding: $0.0, as: UTF8.self), file: "<built-in \($0.1)>") }
  }
}
