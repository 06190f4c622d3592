/// One rule of the desired state ("Remote Desktop connections are allowed"), with why it matters and how to check it.
public struct Control: Sendable, Hashable {
  /// Stable identifier used in reports and by `requires`, such as `rdp-allowed`.
  public var id: String
  public var title: String
  public var severity: Severity
  /// Why a failing control breaks Remote Desktop or weakens it: shown with drift so the reader knows what it means.
  public var rationale: String?
  /// Where the expectation comes from (documentation URLs, KB numbers).
  public var references: [String]
  /// The Remote Desktop client errors this control's drift can explain (`0x904`, `0x904/0x7`, `ext 0x7`, `credssp`):
  /// the playbook's `explains:` (old name `errorCodes:`), which `winaudit explain` ranks and checks.
  public var explains: [ErrorCodePattern]
  /// Which hosts the control applies to; others report it as skipped.
  var applicability: Applicability
  /// Controls that must pass first; if one does not, this control is skipped (its check would only repeat the cause).
  public var requires: [String]
  var check: Check
  /// Fixes (by id, from a remediation playbook) that repair this control when it drifts, in addition to the fixes
  /// that name this control themselves. Where each name was written, so a dangling name is reported at its place.
  var fixes: [NamedFix]

  init(
    id: String, title: String, severity: Severity, rationale: String? = nil, references: [String] = [],
    explains: [ErrorCodePattern] = [],
    applicability: Applicability = Applicability(), requires: [String] = [], check: Check, fixes: [NamedFix] = []
  ) {
    self.id = id
    self.title = title
    self.severity = severity
    self.rationale = rationale
    self.references = references
    self.explains = explains
    self.applicability = applicability
    self.requires = requires
    self.check = check
    self.fixes = fixes
  }

  /// Every fact id the control reads (its check, its relations and its applicability).
  var factReferences: [String] {
    var ids = check.facts.map(\.fact) + check.expectations.flatMap(\.factReferences)
    if let path = applicability.factPresent { ids.append(path.fact) }
    if let condition = applicability.when {
      ids += condition.facts.map(\.fact) + condition.expectations.flatMap(\.factReferences)
    }
    return ids
  }
}

/// A fix named by a control's `fix:` key, with the position of the name in the playbook.
struct NamedFix: Sendable, Hashable {
  var id: String
  var file: String
  var line: Int
  var column: Int

  init(id: String, file: String, line: Int, column: Int) {
    self.id = id
    self.file = file
    self.line = line
    self.column = column
  }
}
