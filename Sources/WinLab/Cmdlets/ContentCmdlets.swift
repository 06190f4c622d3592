import PowerShellInterpreter

/// Get-Content, Set-Content, Add-Content and Out-File on the lab file system (backups, exported data).
enum ContentCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [
      getContent(lab), write(lab, "Set-Content", aliases: ["sc"], append: false),
      write(lab, "Add-Content", aliases: ["ac"], append: true), outFile(lab),
    ]
  }

  static func getContent(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-Content", type: "Microsoft.PowerShell.Commands.GetContentCommand", aliases: ["gc", "cat", "type"],
      [
        CommonParameters.path(), CommonParameters.literalPath, PSParameterInfo("Raw", type: .switchParameter),
        PSParameterInfo("Encoding", type: .string),
        PSParameterInfo("TotalCount", type: .long, aliases: ["First", "Head"]),
      ]
    ) { context in
      let state = lab.state
      for path in try ItemCmdlets.resolvedPaths(context, state) {
        guard case .file(let file) = path, let node = state.files.node(at: file), !node.isDirectory else {
          try context.writeError(
            PSErrorRecord(
              exceptionType: "System.UnauthorizedAccessException",
              message: "Access to the path '\(path.display)' is denied.",
              errorId: "GetContentReaderUnauthorizedAccessError", category: .permissionDenied,
              targetObject: .string(path.display)))
          continue
        }
        let content = node.content ?? ""
        if context.parameters.isSet("Raw") {
          try context.writeObject(content.isEmpty ? .null : .string(content))
          continue
        }
        // "\r\n" is one Character in Swift: split on any newline character.
        var lines = content.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if let count = context.parameters.int("TotalCount"), count >= 0 { lines = Array(lines.prefix(count)) }
        for line in lines { try context.writeObject(.string(line)) }
      }
    }
  }

  /// Stores text in a file, creating it (the folder must exist) or replacing/appending.
  static func store(_ text: String, at pathText: String, append: Bool, lab: LabContext, context: PSCommandContext)
    throws
  {
    guard case .file(let file)? = LabPath.parse(pathText) else {
      throw HostErrors.notSupported("The lab writes content to file system paths only.")
    }
    let failure: PSErrorRecord? = lab.box.mutate { state in
      if let node = state.files.node(at: file), node.isDirectory {
        return PSErrorRecord(
          exceptionType: "System.UnauthorizedAccessException",
          message: "Access to the path '\(FilePath.displayPath(file))' is denied.",
          errorId: "GetContentWriterUnauthorizedAccessError", category: .permissionDenied)
      }
      guard let parent = PathTreeNames.parent(of: file), state.exists(.file(parent)) else {
        return PSErrorRecord(
          exceptionType: "System.IO.DirectoryNotFoundException",
          message: "Could not find a part of the path '\(FilePath.displayPath(file))'.",
          errorId: "GetContentWriterDirectoryNotFoundError",
          category: .objectNotFound)
      }
      let existing = append ? state.files.node(at: file)?.content ?? "" : ""
      let sddl = state.files.node(at: file)?.sddl
      state.files.set(
        state.files.exists(file) ? state.files.displayPath(file) : file,
        FileNode(type: .file, sddl: sddl, content: existing + text))
      return nil
    }
    if let failure { try context.writeError(failure) }
  }

  static func write(_ lab: LabContext, _ name: String, aliases: [String], append: Bool) -> PSCommandDefinition {
    .host(
      name, type: "Microsoft.PowerShell.Commands.\(name.replacingOccurrences(of: "-", with: ""))Command",
      aliases: aliases,
      [
        PSParameterInfo("Path", type: .stringArray, position: 0), CommonParameters.literalPath,
        PSParameterInfo("Value", type: .object, position: 1, fromPipeline: true),
        PSParameterInfo("Encoding", type: .string),
        PSParameterInfo("NoNewline", type: .switchParameter), CommonParameters.force, CommonParameters.passThru,
      ], shouldProcess: true, inputMode: .all
    ) { context in
      let values = context.expectingInput ? context.inputObjects : (context.parameters.list("Value") ?? [])
      let separator = context.parameters.isSet("NoNewline") ? "" : "\r\n"
      let text = values.flatMap { $0.enumeratedItems ?? [$0] }.map { PSConvert.toString($0) + separator }.joined()
      for (path, _) in context.paths() {
        guard context.shouldProcess(target: path, action: name) else { continue }
        try store(text, at: path, append: append, lab: lab, context: context)
      }
    }
  }

  static func outFile(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Out-File", type: "Microsoft.PowerShell.Commands.OutFileCommand",
      [
        PSParameterInfo("FilePath", type: .string, aliases: ["Path"], mandatory: true, position: 0),
        CommonParameters.literalPath, PSParameterInfo("InputObject", type: .object, fromPipeline: true),
        PSParameterInfo("Encoding", type: .string, position: 1), PSParameterInfo("Append", type: .switchParameter),
        CommonParameters.force, PSParameterInfo("NoNewline", type: .switchParameter),
        PSParameterInfo("Width", type: .int),
      ], shouldProcess: true, inputMode: .all
    ) { context in
      let values = context.expectingInput ? context.inputObjects : (context.parameters.list("InputObject") ?? [])
      let separator = context.parameters.isSet("NoNewline") ? "" : "\r\n"
      let text = values.map { PSConvert.toString($0) + separator }.joined()
      let path = context.parameters.string("LiteralPath") ?? context.parameters.string("FilePath") ?? ""
      try store(text, at: path, append: context.parameters.isSet("Append"), lab: lab, context: context)
    }
  }
}
