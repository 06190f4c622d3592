import Foundation

/// What a Windows PowerShell 5.1 `powershell.exe` makes of its command line: its switches (with the same shortest
/// prefixes as the real one, `-` or `/`), and where its script comes from.
///
/// The lab must accept exactly what a real host accepts, so that a client that works against the lab also works
/// against Windows: a misspelt switch starts the command text (as in 5.1), bad values fail with 5.1's text and exit 64.
public struct PowerShellExe: Equatable, Sendable {
  /// Where the script comes from.
  public enum Source: Equatable, Sendable {
    /// `-Command <text...>` (or the first argument that is not a switch): the remaining arguments joined by spaces.
    case command(String)
    /// `-EncodedCommand <base64 of UTF-16LE>`, already decoded.
    case encodedCommand(String)
    /// `-Command -` (or no command): statements read from standard input like a prompt.
    case standardInput
  }

  /// The value of `-OutputFormat` / `-InputFormat`.
  public enum Format: String, Equatable, Sendable {
    case text = "Text"
    case xml = "XML"
  }

  public var noLogo = false
  public var noProfile = false
  public var nonInteractive = false
  public var noExit = false
  public var executionPolicy: String?
  public var outputFormat = Format.text
  public var inputFormat = Format.text
  public var source = Source.standardInput

  /// True when the command was given with -EncodedCommand: Windows PowerShell 5.1 then writes its error and progress
  /// streams to a redirected stderr as CLIXML, whatever -OutputFormat says.
  public var wasCommandEncoded: Bool {
    if case .encodedCommand = source { return true }
    return false
  }

  /// The exit code powershell.exe 5.1 uses for a command line it cannot use.
  public static let badCommandLineExitCode: Int32 = 64

  /// A command line powershell.exe refuses: the error line goes to stderr, the usage text to stdout.
  public struct CommandLineError: Error, Equatable, Sendable {
    public var message: String
    public var showsUsage = true
  }

  /// True for the names cmd.exe or PowerShell resolve to powershell.exe: `powershell`, `powershell.exe`, with or
  /// without a directory (`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`).
  public static func isPowerShellProgram(_ name: String) -> Bool {
    let lower = programName(name).lowercased()
    return lower == "powershell" || lower == "powershell.exe"
  }

  /// The file name of a program path (`C:\\Windows\\System32\\cmd.exe` -> `cmd.exe`).
  static func programName(_ path: String) -> String {
    path.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last.map(String.init) ?? path
  }

  /// Parses the arguments after the program name, as `WindowsArgv.split` gives them.
  public static func parse(_ arguments: [String]) -> Result<PowerShellExe, CommandLineError> {
    var invocation = PowerShellExe()
    var commandSeen = false
    var index = 0

    func value(_ missing: String) throws(CommandLineError) -> String {
      index += 1
      guard index < arguments.count else { throw CommandLineError(message: missing) }
      return arguments[index]
    }

    /// The rest of the line is the command (5.1's ParseCommand).
    func takeCommand(from start: Int) throws(CommandLineError) {
      if commandSeen {
        throw CommandLineError(
          message: "Cannot process command because a command is already specified with -Command or -EncodedCommand.")
      }
      guard start < arguments.count else {
        throw CommandLineError(
          message: "Cannot process the command because of a missing parameter. A command must follow -Command.")
      }
      commandSeen = true
      if arguments[start] == "-" {
        if start + 1 != arguments.count {
          throw CommandLineError(
            message: "'-' was specified with the -Command parameter; no other arguments to -Command are permitted.")
        }
        invocation.source = .standardInput
      } else {
        invocation.source = .command(arguments[start...].joined(separator: " "))
      }
      index = arguments.count
    }

    do throws(CommandLineError) {
      while index < arguments.count {
        let argument = arguments[index].trimmingCharacters(in: .whitespaces).lowercased()
        if argument.isEmpty {
          index += 1
          continue
        }
        guard let first = argument.first, first == "-" || first == "/" || first == "\u{2013}" || first == "\u{2014}"
        else {
          try takeCommand(from: index)
          break
        }
        var key = String(argument.dropFirst())
        if key.first == "-" { key.removeFirst() }
        func matches(_ name: String, _ shortest: String) -> Bool {
          !key.isEmpty && name.hasPrefix(key) && key.count >= shortest.count
        }

        if matches("help", "h") || key == "?" {
          throw CommandLineError(message: "", showsUsage: true)
        } else if matches("noexit", "noe") {
          invocation.noExit = true
        } else if matches("noprofile", "nop") {
          invocation.noProfile = true
        } else if matches("nologo", "nol") {
          invocation.noLogo = true
        } else if matches("noninteractive", "noni") {
          invocation.nonInteractive = true
        } else if matches("configurationname", "config") {
          _ = try value(
            "Cannot process the command because -Configuration requires an argument that is a remote endpoint "
              + "configuration name. Specify this argument and try again.")
        } else if matches("command", "c") {
          try takeCommand(from: index + 1)
          break
        } else if matches("windowstyle", "w") {
          _ = try value(
            "Cannot process the command because -WindowStyle requires an argument that is normal, hidden, minimized or "
              + "maximized. Specify one of these argument values and try again.")
        } else if matches("file", "f") {
          let path = index + 1 < arguments.count ? arguments[index + 1] : ""
          throw CommandLineError(
            message: path.isEmpty
              ? "The command cannot be run because the File parameter requires a file path. Supply a path for the "
                + "File parameter and then try the command again."
              : "The argument '\(path)' to the -File parameter does not exist. Provide the path to an existing '.ps1' "
                + "file as an argument to the -File parameter.")
        } else if matches("outputformat", "o") || matches("of", "o") {
          invocation.outputFormat = try format(
            try value(
              "The command cannot be run because no argument has been supplied for the OutputFormat parameter. "
                + "Specify one of the following formats for this parameter.\r\n" + formatList))
        } else if matches("inputformat", "i") || matches("if", "i") {
          invocation.inputFormat = try format(
            try value(
              "Cannot process the command because the -InputFormat parameter requires an argument. Specify a valid "
                + "format argument for this parameter.  Valid formats are:\r\n" + formatList))
        } else if matches("executionpolicy", "ex") || matches("ep", "ep") {
          invocation.executionPolicy = try value(
            "Cannot process the execution policy because of a missing policy name. A policy name must follow "
              + "-ExecutionPolicy.")
        } else if matches("encodedcommand", "e") || matches("ec", "e") {
          if commandSeen {
            throw CommandLineError(
              message:
                "Cannot process command because a command is already specified with -Command or -EncodedCommand.")
          }
          let encoded = try value(
            "Cannot process the command because of a missing parameter. A command must follow -Command.")
          guard let text = decodeEncodedCommand(encoded) else {
            throw CommandLineError(
              message: "Cannot process the command because the value specified with -EncodedCommand is not properly "
                + "encoded. The value must be Base64 encoded.")
          }
          commandSeen = true
          invocation.source = .encodedCommand(text)
        } else if matches("encodedarguments", "encodeda") || matches("ea", "ea") {
          _ = try value(
            "Cannot process the command because -EncodedArguments requires a value. Specify a value for the "
              + "-EncodedArguments parameter.")
        } else if matches("sta", "s") || matches("mta", "mta") {
          // Apartment state changes nothing the lab models.
        } else if matches("psconsolefile", "psc") || matches("version", "v") {
          _ = try value("Cannot process the command because of a missing parameter.")
        } else {
          // 5.1: the first argument it does not recognize starts the command text.
          try takeCommand(from: index)
          break
        }
        index += 1
      }
    } catch {
      return .failure(error)
    }
    return .success(invocation)
  }

  private static let formatList = "    Text\r\n    XML"

  private static func format(_ value: String) throws(CommandLineError) -> Format {
    let lower = value.lowercased()
    if !lower.isEmpty && "text".hasPrefix(lower) { return .text }
    if !lower.isEmpty && "xml".hasPrefix(lower) { return .xml }
    throw CommandLineError(
      message: "Cannot process the command because of an incorrect parameter value. \"\(value)\" is not a valid "
        + "format.  Valid formats are:\r\n" + formatList)
  }

  /// Decodes `-EncodedCommand`'s value like .NET's Convert.FromBase64String + Encoding.Unicode: whitespace is ignored,
  /// anything else that is not base64 fails.
  public static func decodeEncodedCommand(_ value: String) -> String? {
    let compact = value.filter { !$0.isWhitespace }
    guard compact.count % 4 == 0, let data = Data(base64Encoded: compact) else { return nil }
    var units: [UInt16] = []
    units.reserveCapacity(data.count / 2)
    var iterator = data.makeIterator()
    while let low = iterator.next() {
      guard let high = iterator.next() else {
        units.append(0xFFFD)
        break
      }
      units.append(UInt16(low) | UInt16(high) << 8)
    }
    return String(decoding: units, as: UTF16.self)
  }

  /// powershell.exe 5.1's usage text, printed to stdout after a command-line error.
  public static let usage = """
    \r
    PowerShell[.exe] [-PSConsoleFile <file> | -Version <version>]\r
        [-NoLogo] [-NoExit] [-Sta] [-Mta] [-NoProfile] [-NonInteractive]\r
        [-InputFormat {Text | XML}] [-OutputFormat {Text | XML}]\r
        [-WindowStyle <style>] [-EncodedCommand <Base64EncodedCommand>]\r
        [-ConfigurationName <string>]\r
        [-File <filePath> <args>] [-ExecutionPolicy <ExecutionPolicy>]\r
        [-Command { - | <script-block> [-args <arg-array>]\r
                      | <string> [<CommandParameters>] } ]\r
    \r
    PowerShell[.exe] -Help | -? | /?\r

    """
}
