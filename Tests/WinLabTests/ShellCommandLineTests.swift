import RemotePowerShell
import Testing
import WinLab

@Suite("Windows command lines (CommandLineToArgvW)")
struct ShellWindowsArgvTests {
  @Test(
    "splits like CommandLineToArgvW",
    arguments: [
      ("a b c", ["a", "b", "c"]),
      ("\"a b\" c", ["a b", "c"]),
      ("a\\\\b c", ["a\\\\b", "c"]),
      ("a\\\"b c", ["a\"b", "c"]),
      ("a\\\\\"b c\" d", ["a\\b c", "d"]),
      ("a\\\\\\\"b c", ["a\\\"b", "c"]),
      ("\"a\"\"b\" c", ["a\"b c"]),
      ("\"\" x", ["", "x"]),
      ("\"a\"\"\"b\" c", ["a\"b", "c"]),
      ("  spaced\t\targs  ", ["spaced", "args"]),
      ("C:\\dir\\ \"x\\\\\"", ["C:\\dir\\", "x\\"]),
    ])
  func splits(line: String, expected: [String]) {
    #expect(WindowsArgv.splitArguments(line) == expected)
  }

  @Test func programNameEndsAtQuoteOrSpace() {
    #expect(WindowsArgv.split("\"C:\\Program Files\\p.exe\" -a") == ["C:\\Program Files\\p.exe", "-a"])
    #expect(WindowsArgv.split("powershell.exe -c \"x y\"") == ["powershell.exe", "-c", "x y"])
  }

  @Test(arguments: ["plain", "with space", "quote\"inside", "trailing\\", "back\\\"slash", "", "a\\\\ b"])
  func quoteRoundTrips(argument: String) {
    #expect(WindowsArgv.splitArguments(WindowsArgv.quote(argument)) == [argument])
  }
}

@Suite("cmd.exe /c")
struct ShellCmdExeTests {
  @Test func startsPowerShell() {
    #expect(
      CmdExe.run("powershell.exe -NoProfile -c 1") == .startPowerShell(commandLine: "powershell.exe -NoProfile -c 1"))
    #expect(
      CmdExe.run("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.EXE -c 1")
        == .startPowerShell(commandLine: "powershell.exe -c 1"))
    #expect(CmdExe.run("powershell -c 1") == .startPowerShell(commandLine: "powershell.exe -c 1"))
  }

  @Test func unknownProgramFailsLikeCmd() {
    #expect(
      CmdExe.run("whoami /all")
        == .fail(
          stderr:
            "'whoami' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
          exitCode: 9009))
    #expect(CmdExe.run("pwsh -c 1") != .startPowerShell(commandLine: "powershell.exe -c 1"))
  }

  @Test func enforcesTheLineLimit() {
    let atLimit = "powershell.exe -c " + String(repeating: "a", count: CmdExe.maximumLineLength - 18)
    #expect(atLimit.count == CmdExe.maximumLineLength)
    #expect(CmdExe.run(atLimit) == .startPowerShell(commandLine: atLimit))
    #expect(CmdExe.run(atLimit + "a") == .fail(stderr: "The command line is too long.\r\n", exitCode: 1))
  }

  @Test func removesCaretsAndOuterQuotes() {
    #expect(CmdExe.run("powershell -c a^b") == .startPowerShell(commandLine: "powershell.exe -c ab"))
    #expect(CmdExe.run("powershell -c \"a^b\"") == .startPowerShell(commandLine: "powershell.exe -c \"a^b\""))
    #expect(CmdExe.run("\"powershell -c 1\"") == .startPowerShell(commandLine: "powershell.exe -c 1"))
  }

  @Test func refusesOperatorsItDoesNotModel() {
    guard case .fail(_, let code) = CmdExe.run("powershell -c 1 | more") else {
      Issue.record("a pipe must not start powershell")
      return
    }
    #expect(code == 1)
    #expect(CmdExe.run("powershell -c \"1 | more\"") == .startPowerShell(commandLine: "powershell.exe -c \"1 | more\""))
  }
}

@Suite("powershell.exe command line")
struct ShellPowerShellExeTests {
  private func parse(_ line: String) -> Result<PowerShellExe, PowerShellExe.CommandLineError> {
    PowerShellExe.parse(Array(WindowsArgv.split("powershell.exe " + line).dropFirst()))
  }

  @Test func contractOneCommandLine() throws {
    let encoded = RemotePowerShellCommand.encodedCommand("'héllo ✓'")
    let parsed = try parse(
      "-NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -OutputFormat Text -EncodedCommand \(encoded)"
    ).get()
    #expect(parsed.noLogo && parsed.noProfile && parsed.nonInteractive)
    #expect(parsed.executionPolicy == "Bypass")
    #expect(parsed.outputFormat == .text)
    #expect(parsed.source == .encodedCommand("'héllo ✓'"))
    #expect(parsed.wasCommandEncoded)
  }

  @Test(
    "accepts the same prefixes as 5.1",
    arguments: ["-enc", "-ec", "-e", "-EncodedCommand", "/enc", "--encodedcommand", "-ENCODEDC"])
  func encodedPrefixes(name: String) throws {
    let parsed = try parse("\(name) \(RemotePowerShellCommand.encodedCommand("1"))").get()
    #expect(parsed.source == .encodedCommand("1"))
  }

  @Test func switchPrefixes() throws {
    let parsed = try parse("-nop -noni -nol -ep RemoteSigned -c Get-Date").get()
    #expect(parsed.noProfile && parsed.nonInteractive && parsed.noLogo)
    #expect(parsed.executionPolicy == "RemoteSigned")
    #expect(parsed.source == .command("Get-Date"))
  }

  @Test func commandTakesTheRestOfTheLine() throws {
    #expect(try parse("-c Write-Output \"a b\" -NoProfile").get().source == .command("Write-Output a b -NoProfile"))
    #expect(try parse("-Command -").get().source == .standardInput)
    #expect(try parse("-NoProfile").get().source == .standardInput)
    #expect(try parse("Get-Date -Format o").get().source == .command("Get-Date -Format o"))
  }

  @Test func unknownSwitchStartsTheCommandLikeFiveOne() throws {
    #expect(try parse("-NoProfile -Bogus 1").get().source == .command("-Bogus 1"))
    #expect(try parse("-n x").get().source == .command("-n x"))
  }

  @Test func commandLineErrors() {
    func message(_ line: String) -> String? {
      if case .failure(let error) = parse(line) { return error.message }
      return nil
    }
    #expect(
      message("-Command")
        == "Cannot process the command because of a missing parameter. A command must follow -Command.")
    #expect(message("-Command - extra")?.hasPrefix("'-' was specified with the -Command parameter") == true)
    #expect(message("-EncodedCommand ***")?.contains("is not properly encoded") == true)
    #expect(message("-OutputFormat Json -c 1")?.contains("\"Json\" is not a valid format") == true)
    #expect(
      message("-EncodedCommand MQA= -Command 2")?.hasPrefix("Cannot process command because a command is already")
        == true)
    #expect(message("-File x.ps1")?.contains("'x.ps1' to the -File parameter does not exist") == true)
    #expect(message("-?") == "")
  }

  @Test func outputFormatPrefixes() throws {
    #expect(try parse("-of x -c 1").get().outputFormat == .xml)
    #expect(try parse("-OutputFormat t -c 1").get().outputFormat == .text)
  }

  @Test func encodedCommandDecodesLikeDotNet() {
    #expect(PowerShellExe.decodeEncodedCommand("MQAyAA==") == "12")
    #expect(PowerShellExe.decodeEncodedCommand("MQAy AA==") == "12")
    #expect(PowerShellExe.decodeEncodedCommand("MQAyAA=") == nil)
    #expect(PowerShellExe.decodeEncodedCommand(RemotePowerShellCommand.encodedCommand("😀 ü")) == "😀 ü")
  }
}

@Suite("nested powershell.exe in a PowerShell DefaultShell")
struct ShellNestedPowerShellTests {
  @Test func recognizesALonePowerShellStart() {
    #expect(
      NestedPowerShell.commandLine(in: "powershell.exe -NoProfile -EncodedCommand QQA=")
        == "powershell.exe -NoProfile -EncodedCommand QQA=")
    #expect(
      NestedPowerShell.commandLine(in: "& 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' -c 'a b'")
        == "powershell.exe -c \"a b\"")
  }

  @Test func leavesScriptsToTheInterpreter() {
    #expect(NestedPowerShell.commandLine(in: "Get-Date") == nil)
    #expect(NestedPowerShell.commandLine(in: "powershell.exe -c 1; Get-Date") == nil)
    #expect(NestedPowerShell.commandLine(in: "powershell.exe -c $x") == nil)
  }
}
