import PowerShellInterpreter

/// `takeown.exe /f PATH [/a] [/r [/d Y|N]]` over the lab file system: an elevated administrator takes ownership of a
/// file or folder (for the Administrators group with /a, for itself otherwise), whatever its ACL says, printing what
/// the real tool prints. Anything else it cannot do fails loudly.
enum Takeown {
  static func command(_ lab: LabContext) -> PSNativeCommandDefinition {
    PSNativeCommandDefinition(name: "takeown.exe") { context in
      run(arguments: context.arguments, lab: lab, output: context.writeLine, error: context.writeErrorLine)
    }
  }

  static func run(arguments: [String], lab: LabContext, output: (String) -> Void, error: (String) -> Void) -> Int32 {
    var target: String?
    var forAdministrators = false
    var recursive = false
    var index = 0
    while index < arguments.count {
      switch arguments[index].lowercased() {
      case "/f":
        index += 1
        guard index < arguments.count else { break }
        target = arguments[index]
      case "/a": forAdministrators = true
      case "/r": recursive = true
      case "/d":
        index += 1
      default:
        error("ERROR: Invalid argument/option - '\(arguments[index])'.")
        error("Type \"TAKEOWN /?\" for usage.")
        return 1
      }
      index += 1
    }
    guard let target, let path = FilePath.canonical(target), lab.state.files.exists(path) else {
      error("ERROR: The system cannot find the file specified.")
      return 1
    }
    guard lab.state.loginIsElevated else {
      error("ERROR: Access is denied.")
      return 1
    }
    let state = lab.state
    let owner =
      forAdministrators ? SecurityIdentifier.administrators : (state.login?.sid ?? HostState.builtInAdministratorSID)
    let root = state.files.displayPath(path)
    var paths = [root]
    if recursive { paths += state.files.descendants(of: root).map { state.files.displayPath($0) } }
    for item in paths {
      lab.box.mutate { state in
        var descriptor = state.files.securityDescriptor(of: item) ?? SecurityDescriptor(aces: [])
        descriptor.owner = owner
        if !descriptor.isProtected { descriptor.aces = descriptor.aces.filter { !$0.isInherited } }
        state.files.update(item) { $0.sddl = descriptor.sddl() }
      }
      let display = FilePath.displayPath(item)
      output(
        forAdministrators
          ? "SUCCESS: The file (or folder): \"\(display)\" now owned by the administrators group."
          : "SUCCESS: The file (or folder): \"\(display)\" now owned by user \"\(state.computerName)\\"
            + "\(state.login?.name ?? "Administrator")\".")
    }
    return 0
  }
}
