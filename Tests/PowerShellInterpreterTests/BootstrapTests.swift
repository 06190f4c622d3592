import Foundation
import Testing

@testable import PowerShellInterpreter

@Suite struct BootstrapTests {
  static let bootstrap =
    "$ProgressPreference='SilentlyContinue';[Console]::OutputEncoding=[Text.Encoding]::UTF8;$s=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String([Console]::In.ReadToEnd()));& ([scriptblock]::Create($s))"

  func stdin(_ script: String) -> String { Data(script.utf8).base64EncodedString() }

  @Test func runsTheBase64ScriptFromStdin() {
    let script =
      "$ErrorActionPreference = 'Stop'\n$facts = [ordered]@{ host = [Environment]::MachineName; name = 'Zoë' }\n$facts | ConvertTo-Json -Compress\n"
    let result = runScript(BootstrapTests.bootstrap, stdin: stdin(script))
    #expect(result.stdout == "{\"host\":\"LAB-01\",\"name\":\"Zoë\"}\n")
    #expect(result.exitCode == 0)
    #expect(result.outputEncodingIsUTF8)
  }

  @Test func exitAndThrowInsideTheScript() {
    #expect(runScript(BootstrapTests.bootstrap, stdin: stdin("'a'\nexit 3\n")).exitCode == 3)
    let thrown = runScript(BootstrapTests.bootstrap, stdin: stdin("'a'\nthrow 'bad state'\n'b'\n"))
    #expect(thrown.exitCode == 1)
    #expect(thrown.stdout == "a\n")
    #expect(thrown.stderr.hasPrefix("bad state\nAt line:2 char:1\n+ throw 'bad state'\n"))
  }

  @Test func aScriptWithAParseErrorFails() {
    let result = runScript(BootstrapTests.bootstrap, stdin: stdin("if ($true) {\n'x'\n"))
    #expect(result.exitCode == 1)
    #expect(result.stderr.contains("Exception calling \"Create\" with \"1\" argument(s): \"At line:1 char:12"))
    #expect(result.stderr.contains("Missing closing '}' in statement block or type definition."))
  }

  @Test func outputEncodingIsNotUTF8UnlessSet() {
    #expect(runScript("'x'").outputEncodingIsUTF8 == false)
  }

  @Test func commandFromStdinRunsStatementByStatement() {
    let runspace = PSRunspace(host: PSHostEnvironment(clock: PSManualClock(), newline: "\n"))
    let text = "'one'\nif ($true) {\n  'two'\n}\n\n'three'\nif ($true) {\n  'never'\n}\n"
    let result = runspace.runStandardInputCommands(text)
    #expect(result.stdout == "one\ntwo\nthree\n")
    #expect(result.exitCode == 0)
  }

  @Test func commandFromStdinExitAndErrors() {
    let runspace = PSRunspace(host: PSHostEnvironment(clock: PSManualClock(), newline: "\n"))
    #expect(runspace.runStandardInputCommands("'a'\nexit 4\n'b'\n").exitCode == 4)
    let failing = PSRunspace(host: PSHostEnvironment(clock: PSManualClock(), newline: "\n")).runStandardInputCommands(
      "Get-Nope\n")
    #expect(failing.exitCode == 1)
    #expect(failing.stderr.contains("Get-Nope : The term 'Get-Nope' is not recognized"))
  }
}
