/// `rename`: renames a file or folder out of the way, to `<name>_Old_<time>` in the same folder, optionally leaving a
/// new empty folder in its place. Nothing is deleted; the undo renames it back, keeping whatever Windows created
/// meanwhile under a `_Replaced_` name.
///
///     - rename: {fact: rdpKeyFile}                          # a path fact; {MachineGuid} is resolved on the host
///     - rename: {fact: machineKeys, emptyFolderInPlace: true}
///
/// Renaming the RDP self-signed certificate's key file while TermService is stopped makes Windows create a new key;
/// renaming the whole MachineKeys folder is a last resort (other services such as IIS keep keys there).
struct RenameAction: FixAction {
  static let name = "rename"

  var path: PathFact
  var emptyFolderInPlace: Bool

  static func parse(_ parameters: ActionParameters) -> RenameAction? {
    guard let fields = parameters.mapping(allowed: ["fact", "emptyFolderInPlace"], required: ["fact"]),
      let node = fields["fact"],
      let path = parameters.fact(at: node, "fact of \(parameters.label)", kind: PathFact.self)
    else { return nil }
    let empty = fields["emptyFolderInPlace"].flatMap {
      parameters.reader.bool($0, "emptyFolderInPlace of \(parameters.label)")
    }
    return RenameAction(path: path, emptyFolderInPlace: empty ?? false)
  }

  var reads: [HostRead] { [.path(path.path)] }

  /// The rename of the path as the host resolved it; nothing when it does not exist.
  func plan(_ context: PlanContext) -> ActionPlan {
    let read = context.reads[.path(path.path)] ?? .null
    guard let resolved = read["path"]?.asText, read["exists"]?.bool == true else { return .steps([]) }
    let newName = WindowsPath.name(of: resolved) + "_Old_" + context.stamp
    let change = RenameChange(
      path: resolved, newName: newName, recreateFolder: emptyFolderInPlace, before: RenameState(exists: true),
      after: RenameState(exists: emptyFolderInPlace, renamedTo: newName, recreated: emptyFolderInPlace))
    return .steps([Draft(.change, change)])
  }
}

/// Whether a path exists, and where it went once renamed.
struct RenameState: Sendable, Hashable, Codable {
  var exists: Bool
  var renamedTo: String? = nil
  /// A new empty folder was created in the old place.
  var recreated: Bool? = nil
}

/// Renaming a file or folder within its folder (optionally creating an empty folder in its place); the undo renames
/// it back.
struct RenameChange: Change {
  static let kind = "rename"

  var path: String
  var newName: String
  var recreateFolder: Bool
  var before: RenameState
  var after: RenameState

  var targetID: String { path.lowercased() }
  var target: String { path }
  var readBack: HostRead { .path(path) }

  func script(_ direction: StepDirection, step: String) -> String {
    let q = { PowerShellValue.literal($0).code }
    let renamed = WindowsPath.folder(of: path) + "\\" + newName
    switch direction {
    case .apply:
      var text = """
        if (Test-Path -LiteralPath \(q(path))) {
          Rename-Item -LiteralPath \(q(path)) -NewName \(q(newName))
        } elseif (-not (Test-Path -LiteralPath \(q(renamed)))) {
          throw \(q("\(path) does not exist"))
        }
        """
      if recreateFolder {
        text +=
          "\nif (-not (Test-Path -LiteralPath \(q(path)))) { $null = New-Item -ItemType 'Directory' -Path \(q(path)) }"
      }
      return text
    case .undo:
      // Whatever Windows created in the old place meanwhile is kept under another name: rollback never deletes.
      let aside = WindowsPath.name(of: path) + "_Replaced_" + step.filter { $0.isLetter || $0.isNumber }
      return """
        if (Test-Path -LiteralPath \(q(renamed))) {
          if (Test-Path -LiteralPath \(q(path))) { Rename-Item -LiteralPath \(q(path)) -NewName \(q(aside)) }
          Rename-Item -LiteralPath \(q(renamed)) -NewName \(q(WindowsPath.name(of: path)))
        }
        """
    }
  }

  static func describe(_ state: RenameState) -> String {
    guard state.exists else { return state.renamedTo.map { "renamed to \($0)" } ?? "absent" }
    return state.recreated == true ? "new empty folder" : "present"
  }
}
