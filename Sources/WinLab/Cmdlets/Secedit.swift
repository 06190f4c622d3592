import PowerShellInterpreter

/// `secedit.exe /export /areas USER_RIGHTS /cfg FILE [/quiet]` over the lab state: writes the user rights export.
/// Anything else secedit can do is not modelled and fails loudly.
enum Secedit {
  static func command(_ lab: LabContext) -> PSNativeCommandDefinition {
    PSNativeCommandDefinition(name: "secedit.exe") { context in
      run(arguments: context.arguments, lab: lab, output: context.writeLine, error: context.writeErrorLine)
    }
  }

  static func run(arguments: [String], lab: LabContext, output: (String) -> Void, error: (String) -> Void) -> Int32 {
    let lower = arguments.map { $0.lowercased() }
    guard lower.first == "/export", let areas = lower.firstIndex(of: "/areas"), areas + 1 < lower.count,
      lower[areas + 1] == "user_rights", let cfg = lower.firstIndex(of: "/cfg"), cfg + 1 < arguments.count
    else {
      error("winlab: the lab's secedit.exe models only /export /areas USER_RIGHTS /cfg FILE [/quiet]")
      return 87
    }
    guard lab.state.loginIsElevated else {
      error("Access is denied.")
      return 5
    }
    guard let file = FilePath.canonical(arguments[cfg + 1]), let parent = PathTreeNames.parent(of: file),
      lab.state.files.node(at: parent)?.isDirectory == true
    else {
      error("The system cannot find the path specified.")
      return 3
    }
    lab.box.mutate { state in state.files.set(file, FileNode(type: .file, content: state.userRightsExport)) }
    if !lower.contains("/quiet") { output("The task has completed successfully.") }
    return 0
  }
}
