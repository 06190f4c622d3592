/// The part of cmd.exe the lab models: what `cmd.exe /c <command>` does with the command OpenSSH hands it when the
/// host's DefaultShell is cmd.exe (the Windows default).
///
/// It enforces cmd's 8191-character line limit, removes carets outside quotes, and recognizes a powershell.exe start;
/// any other program fails the way cmd fails for a program that is not installed.
public enum CmdExe {
  /// cmd.exe's maximum command-line length, in characters.
  public static let maximumLineLength = 8191

  /// What cmd.exe does with one `/c` command.
  public enum Outcome: Equatable, Sendable {
    /// Starts powershell.exe with this command line (program name first, as CreateProcess receives it).
    case startPowerShell(commandLine: String)
    /// cmd.exe itself fails: this text on stderr and this exit code.
    case fail(stderr: String, exitCode: Int32)
  }

  /// Interprets `command`, the text after `cmd.exe /c`. `powershellInstalled` false (the lab's `powershellMissing`
  /// fault) makes powershell.exe a program cmd cannot find.
  public static func run(_ command: String, powershellInstalled: Bool = true) -> Outcome {
    if command.count > maximumLineLength {
      return .fail(stderr: "The command line is too long.\r\n", exitCode: 1)
    }
    var line = stripSlashCQuotes(command)
    line = String(line.drop(while: { $0 == " " || $0 == "\t" || $0 == "@" }))
    if let op = unquotedOperator(in: line) {
      return .fail(stderr: "winlab: the lab's cmd.exe does not model the '\(op)' operator\r\n", exitCode: 1)
    }
    line = removeCarets(line)
    let (program, rest) = firstToken(line)
    if program.isEmpty {
      return .fail(stderr: "", exitCode: 0)
    }
    guard powershellInstalled && PowerShellExe.isPowerShellProgram(program) else {
      return .fail(
        stderr:
          "'\(program)' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
        exitCode: 9009)
    }
    return .startPowerShell(commandLine: "powershell.exe" + rest)
  }

  /// cmd's `/c` rule: a command starting with a quote keeps its quotes only when it has exactly two of them around the
  /// name of an executable file (powershell.exe is the only one the lab has); otherwise the first and the last quote
  /// are removed.
  static func stripSlashCQuotes(_ command: String) -> String {
    let trimmed = command.drop(while: { $0 == " " || $0 == "\t" })
    guard trimmed.first == "\"" else { return command }
    let quotes = trimmed.filter { $0 == "\"" }.count
    if quotes == 2, let close = trimmed.dropFirst().firstIndex(of: "\""),
      PowerShellExe.isPowerShellProgram(String(trimmed[trimmed.index(after: trimmed.startIndex)..<close]))
    {
      return String(trimmed)
    }
    var text = String(trimmed.dropFirst())
    if let last = text.lastIndex(of: "\"") { text.remove(at: last) }
    return text
  }

  private static func unquotedOperator(in line: String) -> String? {
    var quoted = false
    var escaped = false
    for char in line {
      if escaped {
        escaped = false
        continue
      }
      if char == "\"" { quoted.toggle() }
      if quoted { continue }
      if char == "^" {
        escaped = true
      } else if "&|<>".contains(char) {
        return String(char)
      }
    }
    return nil
  }

  private static func removeCarets(_ line: String) -> String {
    var result = ""
    var quoted = false
    var escaped = false
    for char in line {
      if escaped {
        result.append(char)
        escaped = false
      } else if char == "\"" {
        quoted.toggle()
        result.append(char)
      } else if char == "^" && !quoted {
        escaped = true
      } else {
        result.append(char)
      }
    }
    return result
  }

  /// The program name as cmd reads it (quotes removed) and the rest of the line after it.
  private static func firstToken(_ line: String) -> (String, String) {
    var program = ""
    var quoted = false
    var index = line.startIndex
    while index < line.endIndex {
      let char = line[index]
      if char == "\"" {
        quoted.toggle()
      } else if !quoted && (char == " " || char == "\t" || char == "," || char == ";" || char == "=") {
        break
      } else {
        program.append(char)
      }
      index = line.index(after: index)
    }
    return (program, String(line[index...]))
  }
}
