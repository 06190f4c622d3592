/// `resetAcl`: saves a folder's ACL with `icacls /save`, then replaces it with exactly `grants` (icacls grant strings
/// naming SIDs, never localized account names). Undone with `icacls /restore` from the saved file. Only the folder's
/// own ACL is saved and reset: what its children inherit follows from it, and a recursive save would fail on the keys
/// whose ACL refuses the administrator.
///
///     - resetAcl:
///         fact: machineKeys            # a path fact
///         grants: ['*S-1-5-18:F', '*S-1-5-32-544:F', '*S-1-1-0:(R,W)', '*S-1-5-20:R']
struct ResetAclAction: FixAction {
  static let name = "resetAcl"

  var folder: PathFact
  var grants: [String]

  static func parse(_ parameters: ActionParameters) -> ResetAclAction? {
    let label = parameters.label
    guard let fields = parameters.mapping(allowed: ["fact", "grants"], required: ["fact", "grants"]),
      let factNode = fields["fact"],
      let folder = parameters.fact(at: factNode, "fact of \(label)", kind: PathFact.self),
      let grantsNode = fields["grants"], let grants = parameters.reader.stringList(grantsNode, "grants of \(label)")
    else { return nil }
    if grants.isEmpty {
      parameters.report("grants of \(label) is empty: the folder would be left with no access", at: grantsNode)
    }
    for grant in grants where !isSIDGrant(grant) {
      parameters.report(
        "grant '\(grant)' in \(label) must name a SID such as '*S-1-5-18:(OI)(CI)F': account names are localized",
        at: grantsNode)
    }
    return ResetAclAction(folder: folder, grants: grants)
  }

  /// `*S-1-5-18:(OI)(CI)F`: a SID (not a localized account name) followed by the permissions.
  static func isSIDGrant(_ grant: String) -> Bool {
    guard grant.hasPrefix("*S-1-"), let colon = grant.firstIndex(of: ":") else { return false }
    let sid = grant[grant.index(grant.startIndex, offsetBy: 3)..<colon]
    return !sid.isEmpty && sid.allSatisfy { $0.isNumber || $0 == "-" } && grant.index(after: colon) < grant.endIndex
  }

  /// The folder, and %ProgramData% for the backup folder.
  var reads: [HostRead] { [.path(folder.path), .programData] }

  func plan(_ context: PlanContext) -> ActionPlan {
    let read = context.reads[.path(folder.path)] ?? .null
    guard read["exists"]?.bool == true, let path = read["path"]?.asText else {
      return .skipped(.precondition("\(folder.path) does not exist"))
    }
    let backup = AclBackup.file(context)
    let change = AclResetChange(
      path: path, grants: grants, backup: backup, before: AclState(sddl: read["sddl"]?.asText),
      after: AclState(grants: grants))
    return .steps([Draft(.change, change)])
  }
}

/// A folder's ACL: the SDDL read on the host, or the grants a reset leaves.
struct AclState: Sendable, Hashable, Codable {
  var sddl: String? = nil
  var grants: [String]? = nil
}

/// Replacing a folder's ACL after saving it; the undo restores the saved ACL.
struct AclResetChange: Change {
  static let kind = "aclReset"

  var path: String
  var grants: [String]
  /// The `icacls /save` file on the host.
  var backup: String
  var before: AclState
  var after: AclState

  var targetID: String { path.lowercased() }
  var target: String { "ACL of \(path)" }
  var readBack: HostRead { .path(path) }

  func script(_ direction: StepDirection, step: String) -> String {
    let path = PowerShellValue.literal(path).code
    let backup = PowerShellValue.literal(backup).code
    switch direction {
    case .apply:
      let folder = PowerShellValue.literal(WindowsPath.folder(of: self.backup)).code
      let grantList = grants.map { PowerShellValue.literal($0).code }.joined(separator: " ")
      return """
        $null = New-Item -ItemType 'Directory' -Path \(folder) -Force
        & icacls.exe \(path) '/save' \(backup) '/c' | Out-Null
        if ($LASTEXITCODE -ne 0) { throw ('icacls /save failed with exit code ' + $LASTEXITCODE) }
        & icacls.exe \(path) '/reset' | Out-Null
        if ($LASTEXITCODE -ne 0) { throw ('icacls /reset failed with exit code ' + $LASTEXITCODE) }
        & icacls.exe \(path) '/inheritance:r' '/grant' \(grantList) | Out-Null
        if ($LASTEXITCODE -ne 0) { throw ('icacls /grant failed with exit code ' + $LASTEXITCODE) }
        """
    case .undo:
      return AclBackup.restore(path: self.path, backup: self.backup)
    }
  }

  static func describe(_ state: AclState) -> String {
    if let grants = state.grants { return grants.joined(separator: " ") }
    return state.sddl ?? "missing"
  }
}
