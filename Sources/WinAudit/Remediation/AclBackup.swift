/// The `icacls /save` copy the ACL fixes (`resetAcl`, `repairAcl`) keep of what they change, and its restore.
enum AclBackup {
  /// The save file for the current action, in the run's backup folder on the host.
  static func file(_ context: PlanContext) -> String {
    context.backupFolder + "\\" + "\(context.fix.id)-\(context.actionIndex).acl"
  }

  /// The undo: the owner set back first when it is given (it is not in the save, and the administrator may still
  /// own the folder only now), then `icacls /restore`, which runs on the saved folder's parent because `/save` names
  /// entries relative to it. No save file means the change never ran (the save comes first): nothing to restore.
  static func restore(path: String, backup: String, owner: String? = nil) -> String {
    let target = PowerShellValue.literal(path).code
    let saved = PowerShellValue.literal(backup).code
    let parent = PowerShellValue.literal(WindowsPath.folder(of: path)).code
    var lines = ["if (Test-Path -LiteralPath \(saved)) {"]
    if let owner {
      lines += [
        "  & icacls.exe \(target) '/setowner' \(PowerShellValue.literal("*" + owner).code) | Out-Null",
        "  if ($LASTEXITCODE -ne 0) { throw ('icacls /setowner failed with exit code ' + $LASTEXITCODE) }",
      ]
    }
    lines += [
      "  & icacls.exe \(parent) '/restore' \(saved) '/c' '/q' | Out-Null",
      "  if ($LASTEXITCODE -ne 0) { throw ('icacls /restore failed with exit code ' + $LASTEXITCODE) }",
      "}",
    ]
    return lines.joined(separator: "\n")
  }
}
