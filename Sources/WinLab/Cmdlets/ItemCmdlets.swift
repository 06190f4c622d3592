import PowerShellInterpreter

/// The provider item cmdlets over the lab's registry, file system and certificate stores.
enum ItemCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [
      getItem(lab), getChildItem(lab), testPath(lab), newItem(lab), removeItem(lab), renameItem(lab), copyItem(lab),
      moveItem(lab),
    ]
  }

  /// Resolves each -Path/-LiteralPath, writing PathNotFound for a missing non-wildcard path.
  static func resolvedPaths(_ context: PSCommandContext, _ state: HostState, default defaultPath: String? = nil) throws
    -> [LabPath]
  {
    var paths = context.paths()
    if paths.isEmpty, let defaultPath { paths = [(defaultPath, true)] }
    var result: [LabPath] = []
    for (text, literal) in paths {
      guard let resolved = state.resolve(text, literal: literal) else {
        try context.writeError(HostErrors.pathNotFound(text))
        continue
      }
      if resolved.paths.isEmpty && !resolved.wildcard {
        try context.writeError(HostErrors.pathNotFound(LabPath.parse(text)?.display ?? text))
        continue
      }
      result += resolved.paths
    }
    return result
  }

  static func getItem(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-Item", type: "Microsoft.PowerShell.Commands.GetItemCommand", aliases: ["gi"],
      [CommonParameters.path(), CommonParameters.literalPath, CommonParameters.force]
    ) { context in
      let state = lab.state
      for path in try resolvedPaths(context, state) {
        try context.writeObject(ItemObjects.object(for: path, lab: lab, state: state))
      }
    }
  }

  static func getChildItem(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-ChildItem", type: "Microsoft.PowerShell.Commands.GetChildItemCommand", aliases: ["gci", "ls", "dir"],
      [
        CommonParameters.path(), CommonParameters.literalPath, CommonParameters.force, CommonParameters.recurse,
        PSParameterInfo("Filter", type: .string, position: 1), PSParameterInfo("Include", type: .stringArray),
        PSParameterInfo("Exclude", type: .stringArray), PSParameterInfo("Name", type: .switchParameter),
        PSParameterInfo("File", type: .switchParameter), PSParameterInfo("Directory", type: .switchParameter),
        PSParameterInfo("Depth", type: .int),
      ]
    ) { context in
      let state = lab.state
      let filter = context.parameters.string("Filter")
      for path in try resolvedPaths(context, state, default: LabPath.homeDirectory) {
        var items: [LabPath]
        if state.isContainer(path) {
          items = context.parameters.isSet("Recurse") ? state.descendants(path) : state.children(path)
        } else {
          items = [path]
        }
        if let filter { items = items.filter { PSWildcard.matches($0.leaf, pattern: filter) } }
        if let include = context.parameters.strings("Include") {
          items = items.filter { item in include.contains { PSWildcard.matches(item.leaf, pattern: $0) } }
        }
        if let exclude = context.parameters.strings("Exclude") {
          items = items.filter { item in !exclude.contains { PSWildcard.matches(item.leaf, pattern: $0) } }
        }
        if context.parameters.isSet("File") { items = items.filter { !state.isContainer($0) } }
        if context.parameters.isSet("Directory") { items = items.filter { state.isContainer($0) } }
        for item in items {
          if context.parameters.isSet("Name") {
            try context.writeObject(.string(item.leaf))
          } else {
            try context.writeObject(ItemObjects.object(for: item, lab: lab, state: state))
          }
        }
      }
    }
  }

  static func testPath(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Test-Path", type: "Microsoft.PowerShell.Commands.TestPathCommand",
      [
        CommonParameters.path(), CommonParameters.literalPath,
        PSParameterInfo("PathType", type: .string, aliases: ["Type"], validateSet: ["Any", "Container", "Leaf"]),
        PSParameterInfo("IsValid", type: .switchParameter),
      ]
    ) { context in
      let state = lab.state
      let kind = context.parameters.string("PathType")?.lowercased() ?? "any"
      for (text, literal) in context.paths() {
        if context.parameters.isSet("IsValid") {
          try context.writeObject(.bool(LabPath.parse(text) != nil))
          continue
        }
        let paths = state.resolve(text, literal: literal)?.paths ?? []
        let found = paths.contains { path in
          switch kind {
          case "container": state.isContainer(path)
          case "leaf": !state.isContainer(path)
          default: true
          }
        }
        try context.writeObject(.bool(found))
      }
    }
  }

  static func newItem(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "New-Item", type: "Microsoft.PowerShell.Commands.NewItemCommand", aliases: ["ni"],
      [
        CommonParameters.path(), PSParameterInfo("Name", type: .string),
        PSParameterInfo("ItemType", type: .string, aliases: ["Type"]), PSParameterInfo("Value", type: .object),
        CommonParameters.force,
      ], shouldProcess: true
    ) { context in
      let force = context.parameters.isSet("Force")
      let itemType = context.parameters.string("ItemType")?.lowercased() ?? "file"
      for text in context.parameters.strings("Path") ?? [LabPath.homeDirectory] {
        let full = context.parameters.string("Name").map { text + "\\" + $0 } ?? text
        guard let path = LabPath.parse(full) else {
          try context.writeError(HostErrors.pathNotFound(full))
          continue
        }
        guard context.shouldProcess(target: path.display, action: "Create \(itemType)") else { continue }
        let value = context.parameters["Value"]
        let result: Result<Void, PSErrorRecord> = lab.box.mutate { state in
          switch path {
          case .registry(let key):
            if state.registry.exists(key) && !force {
              return .failure(HostErrors.itemExists(path.display, registry: true))
            }
            if let parent = PathTreeNames.parent(of: key), !state.exists(.registry(parent)) && !force {
              return .failure(HostErrors.pathNotFound(LabPath.registry(parent).display))
            }
            // 5.1 recreates an existing key with -Force: its values are gone.
            state.registry.set(state.registry.exists(key) ? state.registry.displayPath(key) : key, .init())
            if let value, !value.isNull { state.registry.setValue(key, "", .string(PSConvert.toString(value))) }
            return .success(())
          case .file(let file):
            let isDirectory = itemType == "directory" || itemType == "container"
            if let existing = state.files.node(at: file) {
              if force && isDirectory && existing.isDirectory { return .success(()) }
              if !force || isDirectory || existing.isDirectory {
                return .failure(HostErrors.itemExists(FilePath.displayPath(file), registry: false))
              }
            }
            if let parent = PathTreeNames.parent(of: file), !state.exists(.file(parent)) && !force {
              return .failure(
                PSErrorRecord(
                  exceptionType: "System.IO.DirectoryNotFoundException",
                  message: "Could not find a part of the path '\(FilePath.displayPath(file))'.",
                  errorId: "NewItemIOError", category: .writeError, targetObject: .string(FilePath.displayPath(file))))
            }
            // A file where a folder of the path must be: .NET's CreateDirectory fails, -Force or not.
            var ancestor = PathTreeNames.parent(of: file)
            while let current = ancestor {
              if let node = state.files.node(at: current), !node.isDirectory {
                return .failure(
                  PSErrorRecord(
                    exceptionType: "System.IO.IOException",
                    message:
                      "Cannot create '\(FilePath.displayPath(current))' because a file or directory with the same name already exists.",
                    errorId: "NewItemIOError", category: .writeError, targetObject: .string(FilePath.displayPath(file)))
                )
              }
              ancestor = PathTreeNames.parent(of: current)
            }
            let inherited = FileNode(
              type: isDirectory ? .directory : .file, sddl: nil,
              content: isDirectory ? nil : value.map(PSConvert.toString) ?? "")
            state.files.set(file, inherited)
            return .success(())
          case .certificate:
            return .failure(
              HostErrors.notSupported(
                "Provider operation stopped because the provider does not support this operation."))
          }
        }
        switch result {
        case .failure(let error): try context.writeError(error)
        case .success:
          let state = lab.state
          try context.writeObject(ItemObjects.object(for: state.canonicalCase(path), lab: lab, state: state))
        }
      }
    }
  }

  static func removeItem(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Remove-Item", type: "Microsoft.PowerShell.Commands.RemoveItemCommand",
      aliases: ["ri", "rm", "del", "erase", "rd", "rmdir"],
      [
        CommonParameters.path(), CommonParameters.literalPath, CommonParameters.force, CommonParameters.recurse,
        PSParameterInfo("DeleteKey", type: .switchParameter),
      ], shouldProcess: true
    ) { context in
      for path in try resolvedPaths(context, lab.state) {
        guard context.shouldProcess(target: path.display, action: "Remove Item") else { continue }
        let recurse = context.parameters.isSet("Recurse")
        let failure: PSErrorRecord? = lab.box.mutate { state in
          if !recurse, state.isContainer(path), !state.children(path).isEmpty {
            return HostErrors.hasChildren(path.display)
          }
          switch path {
          case .registry(let key): state.registry.remove(key)
          case .file(let file): state.files.remove(file)
          case .certificate(let cert):
            guard case .certificate(let store, let certificate)? = state.certificateItem(cert) else {
              return HostErrors.notSupported("Remove-Item: the certificate provider can only remove certificates.")
            }
            state.certificates[store] = state.certificates(in: store).filter { $0.thumbprint != certificate.thumbprint }
            if context.parameters.isSet("DeleteKey"), let container = certificate.privateKeyContainer {
              state.files.remove(MachineKeys.path(of: container))
            }
          }
          return nil
        }
        if let failure { try context.writeError(failure) }
      }
    }
  }

  static func renameItem(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Rename-Item", type: "Microsoft.PowerShell.Commands.RenameItemCommand", aliases: ["rni", "ren"],
      [
        CommonParameters.path(), CommonParameters.literalPath,
        PSParameterInfo("NewName", type: .string, mandatory: true, position: 1), CommonParameters.force,
        CommonParameters.passThru,
      ], shouldProcess: true
    ) { context in
      let newName = context.parameters.string("NewName") ?? ""
      for path in try resolvedPaths(context, lab.state) {
        guard let parent = path.parent else { continue }
        let target = parent.child(PathTreeNames.leaf(of: newName))
        guard context.shouldProcess(target: path.display, action: "Rename Item") else { continue }
        let failure: PSErrorRecord? = lab.box.mutate { state in
          if state.exists(target) {
            return PSErrorRecord(
              exceptionType: "System.IO.IOException",
              message: "Cannot create a file when that file already exists.", errorId: "RenameItemIOError",
              category: .writeError, targetObject: .string(path.display))
          }
          switch (path, target) {
          case (.registry(let from), .registry(let to)): state.registry.move(from, to: to)
          case (.file(let from), .file(let to)): state.files.move(from, to: to)
          default: return HostErrors.notSupported("Rename-Item is not supported for certificates.")
          }
          return nil
        }
        if let failure {
          try context.writeError(failure)
        } else if context.parameters.isSet("PassThru") {
          let state = lab.state
          try context.writeObject(ItemObjects.object(for: target, lab: lab, state: state))
        }
      }
    }
  }

  static func copyOrMove(_ lab: LabContext, move: Bool) -> (PSCommandContext) throws -> Void {
    { context in
      guard let destinationText = context.parameters.string("Destination"),
        let destination = LabPath.parse(destinationText)
      else {
        try context.writeError(HostErrors.invalidArgument("Destination is missing or not a lab path."))
        return
      }
      for path in try resolvedPaths(context, lab.state) {
        let failure: PSErrorRecord? = lab.box.mutate { state in
          // Copying into an existing folder puts the item inside it, as on Windows.
          var target = destination
          if state.exists(destination) && state.isContainer(destination) { target = destination.child(path.leaf) }
          switch (path, target) {
          case (.registry(let from), .registry(let to)):
            if move {
              state.registry.move(from, to: to)
            } else {
              state.registry.copy(from, to: to, recursive: context.parameters.isSet("Recurse"))
            }
          case (.file(let from), .file(let to)):
            if move { state.files.move(from, to: to) } else { state.files.copy(from, to: to, recursive: true) }
          default:
            return HostErrors.notSupported("Copy-Item and Move-Item work within the registry or the file system.")
          }
          return nil
        }
        if let failure { try context.writeError(failure) }
      }
    }
  }

  static let copyParameters = [
    CommonParameters.path(), CommonParameters.literalPath, PSParameterInfo("Destination", type: .string, position: 1),
    CommonParameters.force, CommonParameters.recurse, CommonParameters.passThru,
  ]

  static func copyItem(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Copy-Item", type: "Microsoft.PowerShell.Commands.CopyItemCommand", aliases: ["cpi", "cp", "copy"],
      copyParameters, shouldProcess: true, body: copyOrMove(lab, move: false))
  }

  static func moveItem(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Move-Item", type: "Microsoft.PowerShell.Commands.MoveItemCommand", aliases: ["mi", "mv", "move"],
      copyParameters, shouldProcess: true, body: copyOrMove(lab, move: true))
  }
}
