/// `renameFolder`: renames a whole folder to `<name>_Old_<time>` and creates an empty one in its place: the last
/// resort for MachineKeys, which other services (IIS) keep keys in too, so fixes using it should be opt-in. Undone by
/// renaming it back.
///
///     - renameFolder: {fact: machineKeys}          # a path fact
struct RenameFolderAction: FixAction {
  static let name = "renameFolder"

  var folder: PathFact

  static func parse(_ parameters: ActionParameters) -> RenameFolderAction? {
    RenameChange.parsePath(parameters).map(RenameFolderAction.init)
  }

  var reads: [HostRead] { [.path(folder.path)] }

  func plan(_ context: PlanContext) -> ActionPlan {
    RenameChange.plan(folder, recreateFolder: true, context)
  }
}
