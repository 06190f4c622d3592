/// `repairAcl`: Microsoft's additive repair of a folder's ACL (the MachineKeys procedure): Administrators take
/// ownership of the folder, deny entries against the listed SIDs are removed from it, `folderGrants` are added to the
/// folder alone and `grants` to the folder and every file and subfolder the administrator may change. Nothing is
/// replaced: grants and denies the folder had for others stay.
///
///     - repairAcl:
///         fact: machineKeys
///         removeDenies: ['*S-1-5-20', '*S-1-1-0']
///         folderGrants: ['*S-1-1-0:(R,W)']
///         grants: ['*S-1-5-18:F', '*S-1-5-20:R', '*S-1-5-32-544:F']
///
/// Undo sets the folder's owner back and restores every saved ACL (`icacls /restore`). The save is recursive and goes
/// on past files whose ACL refuses the administrator (other services' keys often do): such a file cannot be saved, and
/// for the same reason the grants cannot change it, so it is left exactly as it was. Ownership of the files is not
/// taken (Microsoft's `takeown /r`): a file's owner is not in `icacls /save`, so that could not be undone, and it
/// would give NETWORK SERVICE read access to keys whose service chose to lock out even the administrator.
struct RepairAclAction: FixAction {
  static let name = "repairAcl"

  var folder: PathFact
  var removeDenies: [String]
  var folderGrants: [String]
  var grants: [String]

  static func parse(_ parameters: ActionParameters) -> RepairAclAction? {
    let label = parameters.label
    let reader = parameters.reader
    guard
      let fields = parameters.mapping(
        allowed: ["fact", "removeDenies", "folderGrants", "grants"], required: ["fact", "grants"]),
      let factNode = fields["fact"],
      let folder = parameters.fact(at: factNode, "fact of \(label)", kind: PathFact.self),
      let grantsNode = fields["grants"], let grants = reader.stringList(grantsNode, "grants of \(label)")
    else { return nil }
    var folderGrants: [String] = []
    if let node = fields["folderGrants"] {
      guard let list = reader.stringList(node, "folderGrants of \(label)") else { return nil }
      folderGrants = list
    }
    var removeDenies: [String] = []
    if let node = fields["removeDenies"] {
      guard let list = reader.stringList(node, "removeDenies of \(label)") else { return nil }
      for sid in list where WellKnownAccount.sid(for: sid) == nil || !sid.hasPrefix("*S-1-") {
        parameters.report(
          "removeDenies of \(label) must list SIDs such as '*S-1-5-20', found '\(sid)': account names are localized",
          at: node)
      }
      removeDenies = list
    }
    if grants.isEmpty { parameters.report("grants of \(label) is empty: nothing would be repaired", at: grantsNode) }
    for (grant, node) in grants.map({ ($0, grantsNode) }) + folderGrants.map({ ($0, fields["folderGrants"]!) })
    where !ResetAclAction.isSIDGrant(grant) {
      parameters.report(
        "grant '\(grant)' in \(label) must name a SID such as '*S-1-5-18:F': account names are localized", at: node)
    }
    return RepairAclAction(folder: folder, removeDenies: removeDenies, folderGrants: folderGrants, grants: grants)
  }

  /// The folder, and %ProgramData% for the backup folder.
  var reads: [HostRead] { [.path(folder.path), .programData] }

  /// What the repair does, in words: `owner Administrators`, `no deny for NETWORK SERVICE, ...`, the grants.
  var summary: [String] {
    func name(_ sid: String) -> String {
      let plain = sid.hasPrefix("*") ? String(sid.dropFirst()) : sid
      return WellKnownAccount.accounts.first { $0.sid == plain }?.name ?? plain
    }
    func grant(_ text: String) -> String {
      guard let colon = text.firstIndex(of: ":") else { return text }
      return name(String(text[..<colon])) + text[colon...]
    }
    return ["owner Administrators"]
      + (removeDenies.isEmpty ? [] : ["no deny for " + removeDenies.map(name).joined(separator: ", ")])
      + (folderGrants.isEmpty ? [] : ["folder: " + folderGrants.map(grant).joined(separator: ", ")])
      + ["folder and contents: " + grants.map(grant).joined(separator: ", ")]
  }

  func plan(_ context: PlanContext) -> ActionPlan {
    let read = context.reads[.path(folder.path)] ?? .null
    guard read["exists"]?.bool == true, let path = read["path"]?.asText else {
      return .skipped(.precondition("\(folder.path) does not exist"))
    }
    let backup = AclBackup.file(context)
    let change = AclRepairChange(
      path: path, removeDenies: removeDenies, folderGrants: folderGrants, grants: grants, backup: backup,
      before: AclState(sddl: read["sddl"]?.asText),
      after: AclState(grants: summary))
    return .steps([Draft(.change, change)])
  }
}

/// Adding to a folder's ACL after saving it (and the ACLs under it); the undo restores the saved ACLs and the owner.
struct AclRepairChange: Change {
  static let kind = "aclRepair"

  var path: String
  var removeDenies: [String]
  var folderGrants: [String]
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
    func list(_ items: [String]) -> String { items.map { PowerShellValue.literal($0).code }.joined(separator: " ") }
    switch direction {
    case .apply:
      let folder = PowerShellValue.literal(WindowsPath.folder(of: self.backup)).code
      var lines = [
        "$null = New-Item -ItemType 'Directory' -Path \(folder) -Force",
        "# /t /c: files whose ACL refuses the administrator are skipped (and left unchanged below), not fatal.",
        "& icacls.exe \(path) '/save' \(backup) '/t' '/c' '/q' | Out-Null",
        "if (-not (Test-Path -LiteralPath \(backup))) { throw ('icacls /save failed with exit code ' + $LASTEXITCODE) }",
        "& takeown.exe '/f' \(path) '/a' | Out-Null",
        "if ($LASTEXITCODE -ne 0) { throw ('takeown failed with exit code ' + $LASTEXITCODE) }",
      ]
      if !removeDenies.isEmpty {
        lines += [
          "& icacls.exe \(path) '/remove:d' \(list(removeDenies)) | Out-Null",
          "if ($LASTEXITCODE -ne 0) { throw ('icacls /remove:d failed with exit code ' + $LASTEXITCODE) }",
        ]
      }
      if !folderGrants.isEmpty {
        lines += [
          "& icacls.exe \(path) '/grant' \(list(folderGrants)) | Out-Null",
          "if ($LASTEXITCODE -ne 0) { throw ('icacls /grant failed with exit code ' + $LASTEXITCODE) }",
        ]
      }
      lines += [
        "& icacls.exe \(path) '/grant' \(list(grants)) | Out-Null",
        "if ($LASTEXITCODE -ne 0) { throw ('icacls /grant failed with exit code ' + $LASTEXITCODE) }",
        "& icacls.exe \(path) '/grant' \(list(grants)) '/t' '/c' '/q' | Out-Null",
      ]
      return lines.joined(separator: "\n")
    case .undo:
      // `after` is the original state here: its owner is set back before the ACLs (takeown made Administrators own
      // the folder).
      return AclBackup.restore(
        path: self.path, backup: self.backup, owner: after.sddl.flatMap(SecurityDescriptor.owner(ofSDDL:)))
    }
  }

  static func describe(_ state: AclState) -> String {
    if let grants = state.grants { return grants.joined(separator: "; ") }
    return state.sddl ?? "missing"
  }
}
