import PowerShellInterpreter

/// `icacls.exe` over the lab file system: display, /save, /restore, /setowner, /grant[:r], /deny, /remove, /reset,
/// /inheritance:e|d|r, with /t (tree), /c (continue) and /q (quiet), printing what the real tool prints.
///
/// Every file is checked against the login's token as Windows checks it: showing or saving an ACL needs READ_CONTROL,
/// changing or restoring one WRITE_DAC (the owner has both); a file that refuses prints "Access is denied." and, with
/// /c, the others go on. The exit code is then 5 (ERROR_ACCESS_DENIED): icacls returns the last Win32 error, and
/// winaudit only relies on it being non-zero.
enum Icacls {
  static func command(_ lab: LabContext) -> PSNativeCommandDefinition {
    PSNativeCommandDefinition(name: "icacls.exe") { context in
      run(arguments: context.arguments, lab: lab, output: context.writeLine, error: context.writeErrorLine)
    }
  }

  struct Options {
    var target: String?
    var save: String?
    var restore: String?
    var setOwner: String?
    var grants: [(spec: String, replace: Bool)] = []
    var denies: [String] = []
    var removals: [(account: String, which: Character?)] = []
    var reset = false
    var inheritance: Character?
    var tree = false
    var continueOnError = false
    var quiet = false
  }

  static func parse(_ arguments: [String]) -> Options? {
    var options = Options()
    var index = 0
    var pending: String?
    while index < arguments.count {
      let argument = arguments[index]
      let lower = argument.lowercased()
      index += 1
      if lower.hasPrefix("/") {
        pending = nil
        switch lower {
        case "/t": options.tree = true
        case "/c": options.continueOnError = true
        case "/q": options.quiet = true
        case "/l": continue
        case "/reset": options.reset = true
        case "/save", "/restore", "/setowner":
          guard index < arguments.count else { return nil }
          switch lower {
          case "/save": options.save = arguments[index]
          case "/restore": options.restore = arguments[index]
          default: options.setOwner = arguments[index]
          }
          index += 1
        case "/grant", "/grant:r", "/deny", "/remove", "/remove:g", "/remove:d": pending = lower
        case "/inheritance:e", "/inheritance:d", "/inheritance:r": options.inheritance = lower.last
        default: return nil
        }
        continue
      }
      switch pending {
      case "/grant": options.grants.append((argument, false))
      case "/grant:r": options.grants.append((argument, true))
      case "/deny": options.denies.append(argument)
      case "/remove": options.removals.append((argument, nil))
      case "/remove:g": options.removals.append((argument, "g"))
      case "/remove:d": options.removals.append((argument, "d"))
      default:
        guard options.target == nil else { return nil }
        options.target = argument
      }
    }
    return options.target == nil ? nil : options
  }

  /// `*S-1-5-20`, `NT AUTHORITY\NETWORK SERVICE`, `SYSTEM`, `Administrators`... -> SID.
  static func sid(forAccount account: String, locale: String) -> String? {
    if account.hasPrefix("*") { return SecurityIdentifier.normalize(String(account.dropFirst())) }
    let known = [
      SecurityIdentifier.system, SecurityIdentifier.localService, SecurityIdentifier.networkService,
      SecurityIdentifier.administrators, SecurityIdentifier.users, SecurityIdentifier.everyone,
      SecurityIdentifier.authenticatedUsers, SecurityIdentifier.creatorOwner,
    ]
    for sid in known {
      for name in [
        SecurityIdentifier.accountName(sid, locale: "en-US"), SecurityIdentifier.accountName(sid, locale: "de-DE"),
      ] {
        let short = name.split(separator: "\\").last.map(String.init) ?? name
        if account.caseInsensitiveCompare(name) == .orderedSame || account.caseInsensitiveCompare(short) == .orderedSame
        {
          return sid
        }
      }
    }
    return nil
  }

  /// Parses `account:(OI)(CI)F` into an ACE.
  static func ace(_ spec: String, deny: Bool, locale: String) -> AccessControlEntry? {
    guard let colon = spec.firstIndex(of: ":"), let sid = sid(forAccount: String(spec[..<colon]), locale: locale)
    else { return nil }
    var flags: [String] = []
    var mask: UInt32 = 0
    let permission = spec[spec.index(after: colon)...]
    // `(OI)(CI)F`, `(R)`, `F`, `(OI)(CI)(RX)`, `(R,W)`: parenthesized groups and a bare trailing token.
    var tokens: [String] = []
    var rest = Substring(permission)
    while !rest.isEmpty {
      if rest.first == "(" {
        guard let close = rest.firstIndex(of: ")") else { return nil }
        tokens.append(String(rest[rest.index(after: rest.startIndex)..<close]))
        rest = rest[rest.index(after: close)...]
      } else {
        let end = rest.firstIndex(of: "(") ?? rest.endIndex
        tokens.append(String(rest[..<end]))
        rest = rest[end...]
      }
    }
    for token in tokens {
      switch token.uppercased() {
      case "OI", "CI", "IO", "NP": flags.append(token.uppercased())
      case "I": continue
      default:
        guard let parsed = AccessMask.parseIcacls(token) else { return nil }
        mask |= parsed
      }
    }
    guard mask != 0 else { return nil }
    return AccessControlEntry(
      isDeny: deny, flags: AccessControlEntry.flagOrder.filter(flags.contains), mask: mask, sid: sid)
  }

  static func run(arguments: [String], lab: LabContext, output: (String) -> Void, error: (String) -> Void) -> Int32 {
    guard let options = parse(arguments), let targetText = options.target else {
      error("Invalid parameter \"\(arguments.last ?? "")\"")
      return 87
    }
    guard
      let target = FilePath.canonical(targetText)
        ?? LabPath.parse(targetText).flatMap({
          if case .file(let file) = $0 { return file }
          return nil
        })
    else {
      error("\(targetText): The system cannot find the file specified.")
      output("Successfully processed 0 files; Failed processing 1 files")
      return 2
    }
    let locale = lab.state.locale
    var processed = 0
    var failed = 0
    var exitCode: Int32 = 0
    func summary() { output("Successfully processed \(processed) files; Failed processing \(failed) files") }
    /// One file that refuses the login: counted and reported; true when /c lets the others go on.
    func refuse(_ display: String) -> Bool {
      failed += 1
      exitCode = 5
      error("\(display): Access is denied.")
      return options.continueOnError
    }

    if let restoreFile = options.restore {
      guard let file = FilePath.canonical(restoreFile).flatMap({ lab.state.files.node(at: $0) }),
        let content = file.content
      else {
        error("\(restoreFile): The system cannot find the file specified.")
        failed += 1
        summary()
        return 2
      }
      let lines = content.components(separatedBy: .newlines).filter { !$0.isEmpty }
      var index = 0
      while index + 1 < lines.count {
        let path = PathTreeNames.join(target, lines[index])
        let sddl = lines[index + 1]
        index += 2
        if lab.state.files.exists(path) && !lab.state.loginMay(HostState.writeDAC, on: path) {
          if refuse(FilePath.displayPath(lab.state.files.displayPath(path))) { continue } else { break }
        }
        let applied: Bool = lab.box.mutate { state in
          guard state.files.exists(path), let parsed = SecurityDescriptor(sddl: sddl) else { return false }
          let current = state.files.securityDescriptor(of: path)
          var restored = parsed
          restored.owner = parsed.owner ?? current?.owner
          restored.group = parsed.group ?? current?.group
          restored.aces = restored.aces.filter { !$0.isInherited }
          state.files.update(path) { $0.sddl = restored.sddl() }
          return true
        }
        if applied {
          processed += 1
          if !options.quiet { output("processed file: \(FilePath.displayPath(lab.state.files.displayPath(path)))") }
        } else {
          failed += 1
          exitCode = 2
          error("\(FilePath.displayPath(path)): The system cannot find the file specified.")
          if !options.continueOnError { break }
        }
      }
      summary()
      return exitCode
    }

    let state = lab.state
    guard state.exists(.file(target)) else {
      error("\(targetText): The system cannot find the file specified.")
      output("Successfully processed 0 files; Failed processing 1 files")
      return 2
    }
    let rootDisplay = state.files.displayPath(target)
    var paths = [rootDisplay]
    if options.tree { paths += state.files.descendants(of: rootDisplay).map { state.files.displayPath($0) } }

    if let saveFile = options.save {
      guard let savePath = FilePath.canonical(saveFile), let parent = PathTreeNames.parent(of: savePath),
        state.files.node(at: parent)?.isDirectory == true || PathTreeNames.parent(of: parent) == nil
      else {
        error("\(saveFile): The system cannot find the path specified.")
        summary()
        return 3
      }
      let base = PathTreeNames.parent(of: rootDisplay).map { $0.count + 1 } ?? 0
      var lines: [String] = []
      for path in paths {
        guard let descriptor = state.files.securityDescriptor(of: path) else { continue }
        guard state.loginMay(HostState.readControl, on: path) else {
          if refuse(FilePath.displayPath(path)) { continue } else { break }
        }
        lines.append(String(path.dropFirst(base)))
        lines.append(descriptor.sddl(includeOwner: false))
        processed += 1
        if !options.quiet { output("processed file: \(FilePath.displayPath(path))") }
      }
      lab.box.mutate { state in
        state.files.set(savePath, FileNode(type: .file, content: lines.joined(separator: "\r\n") + "\r\n"))
      }
      summary()
      return exitCode
    }

    if let account = options.setOwner {
      // icacls enables the restore privilege an elevated administrator holds, so any owner may be set.
      guard let sid = sid(forAccount: account, locale: locale) else {
        error("\(account): No mapping between account names and security IDs was done.")
        return 1332
      }
      for path in paths {
        guard state.loginIsElevated else {
          if refuse(FilePath.displayPath(path)) { continue } else { break }
        }
        lab.box.mutate { state in
          var descriptor = state.files.securityDescriptor(of: path) ?? SecurityDescriptor(aces: [])
          descriptor.owner = sid
          if !descriptor.isProtected { descriptor.aces = descriptor.aces.filter { !$0.isInherited } }
          state.files.update(path) { $0.sddl = descriptor.sddl() }
        }
        processed += 1
        if !options.quiet { output("processed file: \(FilePath.displayPath(path))") }
      }
      summary()
      return exitCode
    }

    let modifies =
      options.reset || options.inheritance != nil || !options.grants.isEmpty || !options.denies.isEmpty
      || !options.removals.isEmpty
    if !modifies {
      for path in paths {
        guard let descriptor = state.files.securityDescriptor(of: path) else { continue }
        guard state.loginMay(HostState.readControl, on: path) else {
          if refuse(FilePath.displayPath(path)) { continue } else { break }
        }
        let prefix = FilePath.displayPath(path) + " "
        for (index, ace) in descriptor.aces.enumerated() {
          let lead = index == 0 ? prefix : String(repeating: " ", count: prefix.count)
          output(lead + describe(ace, locale: locale))
        }
        output("")
        processed += 1
      }
      summary()
      return exitCode
    }

    var newAces: [AccessControlEntry] = []
    for (spec, _) in options.grants {
      guard let ace = ace(spec, deny: false, locale: locale) else {
        error("Invalid parameter \"\(spec)\"")
        return 87
      }
      newAces.append(ace)
    }
    for spec in options.denies {
      guard let ace = ace(spec, deny: true, locale: locale) else {
        error("Invalid parameter \"\(spec)\"")
        return 87
      }
      newAces.append(ace)
    }
    var removals: [(String, Character?)] = []
    for (account, which) in options.removals {
      guard let sid = sid(forAccount: account, locale: locale) else {
        error("\(account): No mapping between account names and security IDs was done.")
        return 1332
      }
      removals.append((sid, which))
    }

    for path in paths {
      guard lab.state.loginMay(HostState.writeDAC, on: path) else {
        if refuse(FilePath.displayPath(path)) { continue } else { break }
      }
      lab.box.mutate { state in
        let effective = state.files.securityDescriptor(of: path) ?? SecurityDescriptor(aces: [])
        var descriptor = effective
        if options.reset {
          state.files.update(path) { $0.sddl = nil }
          descriptor = state.files.securityDescriptor(of: path) ?? descriptor
          descriptor.daclFlags = descriptor.daclFlags.replacingOccurrences(of: "P", with: "")
          descriptor.aces = []
        } else {
          descriptor.aces = descriptor.aces.filter { !$0.isInherited }
        }
        switch options.inheritance {
        case "e": descriptor.daclFlags = descriptor.daclFlags.replacingOccurrences(of: "P", with: "")
        case "d":
          descriptor.daclFlags = "P" + descriptor.daclFlags.replacingOccurrences(of: "P", with: "")
          descriptor.aces += effective.aces.filter(\.isInherited).map { ace in
            var copy = ace
            copy.flags.removeAll { $0 == "ID" }
            return copy
          }
        case "r": descriptor.daclFlags = "P" + descriptor.daclFlags.replacingOccurrences(of: "P", with: "")
        default: break
        }
        for (sid, which) in removals {
          descriptor.aces.removeAll { $0.sid == sid && (which == nil || (which == "d") == $0.isDeny) }
        }
        for (index, ace) in newAces.enumerated() {
          let replace = index < options.grants.count && options.grants[index].replace
          if replace { descriptor.aces.removeAll { $0.sid == ace.sid && !$0.isDeny } }
          if let existing = descriptor.aces.firstIndex(where: {
            $0.sid == ace.sid && $0.isDeny == ace.isDeny && $0.flags == ace.flags
          }) {
            descriptor.aces[existing].mask |= ace.mask
          } else {
            descriptor.aces.append(ace)
          }
        }
        // Canonical order: explicit deny before explicit allow.
        descriptor.aces = descriptor.aces.filter(\.isDeny) + descriptor.aces.filter { !$0.isDeny }
        if options.reset && newAces.isEmpty && removals.isEmpty && options.inheritance == nil { return }
        state.files.update(path) { $0.sddl = descriptor.sddl() }
      }
      processed += 1
      if !options.quiet { output("processed file: \(FilePath.displayPath(path))") }
    }
    summary()
    return exitCode
  }

  /// `NT AUTHORITY\SYSTEM:(OI)(CI)(F)`, `Everyone:(R,W)`, `NT AUTHORITY\NETWORK SERVICE:(DENY)(F)`.
  static func describe(_ ace: AccessControlEntry, locale: String) -> String {
    var text = SecurityIdentifier.accountName(ace.sid, locale: locale) + ":"
    if ace.isDeny { text += "(DENY)" }
    if ace.flags.contains("ID") { text += "(I)" }
    for flag in ["OI", "CI", "IO", "NP"] where ace.flags.contains(flag) { text += "(\(flag))" }
    return text + "(\(AccessMask.icaclsName(ace.mask)))"
  }
}
