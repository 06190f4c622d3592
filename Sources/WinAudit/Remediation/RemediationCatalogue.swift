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

  /// The fixes planned for a drifting control unless the user asks otherwise: those not marked opt-in.
  public func defaultFixes(for control: String) -> [Fix] {
    fixes.filter { $0.control == control && !$0.optIn }
  }

  /// Diagnostics for fixes whose control is not in the baseline (a typo would otherwise never be planned).
  public func diagnostics(controls: Set<String>) -> [Diagnostic] {
    fixes.filter { !controls.contains($0.control) }.map { fix in
      var diagnostic = fix.location
      diagnostic.message =
        "fix '\(fix.id)' remediates control '\(fix.control)', which the baseline playbook does not have"
      return diagnostic
    }
  }

  /// A diagnostic for every `fix:` name in `playbook` that this catalogue has no fix for.
  public func diagnostics(namedBy playbook: Playbook) -> [Diagnostic] {
    playbook.controls.flatMap { control in
      control.fixes.filter { fix($0.id) == nil }.map { named in
        Diagnostic(
          file: named.file, line: named.line, column: named.column,
          message:
            "control '\(control.id)' names fix '\(named.id)', which no remediation playbook has "
            + "(fixes: \(fixes.map(\.id).joined(separator: ", ")))")
      }
    }
  }
}

extension RemediationCatalogue {
  /// The built-in remediation playbooks, `Playbooks/rdp-remediation.yml` and `Playbooks/listener-certificate.yml`,
  /// compiled in; used when `--remediation` is not given.
  public static var builtIn: RemediationCatalogue {
    get throws(DiagnosticsError) { try RemediationLoader.parse(builtInFiles) }
  }

  /// The built-in remediation playbooks' texts, labelled as in diagnostics.
  static var builtInFiles: [(text: String, file: String)] {
    [
      (PackageResources.rdp_remediation_yml, "rdp-remediation.yml"),
      (PackageResources.listener_certificate_yml, "listener-certificate.yml"),
    ].map { (text: String(decoding: $0.0, as: UTF8.self), file: "<built-in \($0.1)>") }
  }
}
