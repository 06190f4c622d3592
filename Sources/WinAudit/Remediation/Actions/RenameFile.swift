/// `renameFile`: renames a file out of the way (to `<name>_Old_<time>` in the same folder): the RDP self-signed
/// certificate's key file, renamed while TermService is stopped so Windows makes a new key. Nothing is deleted; the
/// undo renames it back, keeping whatever Windows created meanwhile under a `_Replaced_` name.
///
///     - renameFile: {fact: rdpKeyFile}            # a path fact; {MachineGuid} is resolved on the host
struct RenameFileAction: FixAction {
  static let name = "renameFile"

  var file: PathFact

  static func parse(_ parameters: ActionParameters) -> RenameFileAction? {
    RenameChange.parsePath(parameters).map(RenameFileAction.init)
  }

  var reads: [HostRead] { [.path(file.path)] }

  func plan(_ context: PlanContext) -> ActionPlan {
    RenameChange.plan(file, recreateFolder: false, context)
  }
}

/// Whether a path exists, and where it went once renamed.
struct RenameState: Sendable, Hashable, Codable {
  var exists: Bool
  var renamedTo: String?
  /// A new empty folder was created in the old place.
  var recreated: Bool?

  init(exists: Bool, renamedTo: String? = nil, recreated: Bool? = nil) {
    self.exists = exists
    self.renamedTo = renamedTo
    self.recreated = recreated
  }
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

  /// `{fact: <path fact>}`, as `renameFile` and `renameFolder` take it.
  static func parsePath(_ parameters: ActionParameters) -> PathFact? {
    guard let fields = parameters.mapping(allowed: ["fact"], required: ["fact"]), let node = fields["fact"] else {
      return nil
    }
    return parameters.fact(at: node, "fact of \(parameters.label)", kind: PathFact.self)
  }

  /// The rename of `fact`'s path as the host resolved it; nothing when it does not exist.
  static func plan(_ fact: PathFact, recreateFolder: Bool, _ context: PlanContext) -> ActionPlan {
    let read = context.reads[.path(fact.path)] ?? .null
    guard let path = read["path"]?.asText, read["exists"]?.bool == true else { return .steps([]) }
    let newName = WindowsPath.name(of: path) + "_Old_" + context.stamp
    let change = RenameChange(
      path: path, newName: newName, recreateFolder: recreateFolder, before: RenameState(exists: true),
      after: RenameState(exists: recreateFolder, renamedTo: newName, recreated: recreateFolder))
    return .steps([Draft(.change, change)])
  }
}
