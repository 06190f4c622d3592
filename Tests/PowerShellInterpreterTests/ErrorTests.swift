import Testing

@testable import PowerShellInterpreter

/// A host cmdlet that writes ItemNotFoundException for paths starting with "missing", like Get-Item.
func registerFakeGetItem(_ runspace: PSRunspace) {
  runspace.register(
    PSCommandDefinition(
      name: "Get-Item", implementingType: "Microsoft.PowerShell.Commands.GetItemCommand", aliases: ["gi"],
      parameters: [
        PSParameterInfo(
          "Path", type: .stringArray, mandatory: true, position: 0, fromPipeline: true, fromPipelineByPropertyName: true
        )
      ]
    ) { ctx in
      for path in ctx.parameters.strings("Path") ?? [] {
        if path.hasPrefix("missing") {
          try ctx.writeError(.pathNotFound(path))
        } else {
          try ctx.writeObject(.customObject(["Name": .string(path)]))
        }
      }
    })
}

func runWithGetItem(_ script: String) -> PSRunResult { runScript(script, configure: registerFakeGetItem) }

@Suite struct ErrorSemanticsTests {
  @Test func nonTerminatingErrorContinues() {
    let result = runWithGetItem("Get-Item missing1; 'after'; $?")
    #expect(result.stdout == "after\nTrue\n")
    #expect(result.errors.count == 1)
    #expect(
      result.stderr.hasPrefix(
        "Get-Item : Cannot find path 'missing1' because it does not exist.\nAt line:1 char:1\n+ Get-Item missing1; 'after'; $?\n+ ~~~~~~~~~~~~~~~~~\n"
      ))
    #expect(
      result.stderr.contains(
        "    + CategoryInfo          : ObjectNotFound: (missing1:String) [Get-Item], ItemNotFoundException\n"))
    #expect(
      result.stderr.contains(
        "    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand\n"))
    #expect(result.exitCode == 0)
  }

  @Test func dollarQuestionAfterFailedCommandAndExitCode() {
    let result = runWithGetItem("Get-Item missing1")
    #expect(result.exitCode == 1)
    #expect(runWithGetItem("Get-Item missing1; $?").stdout == "False\n")
    #expect(runWithGetItem("Get-Item missing1 -ErrorAction SilentlyContinue; $?; $Error.Count").stdout == "False\n1\n")
    #expect(runWithGetItem("Get-Item missing1 -ErrorAction SilentlyContinue").stderr == "")
    #expect(runWithGetItem("Get-Item missing1 -ErrorAction Ignore; $Error.Count").stdout == "0\n")
  }

  @Test func errorActionStopIsCatchableWithTheOriginalType() {
    let script = """
      try { Get-Item missing2 -ErrorAction Stop; 'not here' }
      catch [System.Management.Automation.ItemNotFoundException] { "INF $($_.Exception.GetType().FullName) $($_.FullyQualifiedErrorId)" }
      catch { 'generic' }
      """
    #expect(
      runWithGetItem(script).stdout
        == "INF System.Management.Automation.ItemNotFoundException PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand\n"
    )
  }

  @Test func errorActionPreferenceStop() {
    let script = """
      $ErrorActionPreference = 'Stop'
      try { Get-Item missing3 } catch [System.Management.Automation.SessionStateException] { 'base type caught' }
      try { Get-Item missing3 } catch [Management.Automation.RuntimeException] { 'runtime caught' }
      try { Get-Item missing3 } catch [System.Exception] { $_.CategoryInfo.Category }
      Get-Item missing4
      'never'
      """
    let result = runWithGetItem(script)
    #expect(result.stdout == "base type caught\nruntime caught\nObjectNotFound\n")
    #expect(result.exitCode == 1)
    #expect(result.stderr.hasPrefix("Get-Item : Cannot find path 'missing4' because it does not exist."))
  }

  @Test func errorVariable() {
    let script = """
      Get-Item missing5 -ErrorAction SilentlyContinue -ErrorVariable ev
      $ev.Count; $ev[0].Exception.Message
      """
    #expect(runWithGetItem(script).stdout == "1\nCannot find path 'missing5' because it does not exist.\n")
  }

  @Test func throwAndTypedCatch() {
    let script = """
      try { throw 'boom' } catch [System.Management.Automation.RuntimeException] { "rt: $_" }
      try { throw 'x' } catch { $_.FullyQualifiedErrorId; $_.Exception.Message } finally { 'finally' }
      try { try { throw 'inner' } finally { 'f1' } } catch { "outer: $($_.Exception.Message)" }
      try { [int]'nope' } catch [System.Management.Automation.PSInvalidCastException] { 'cast' } catch { $_.Exception.GetType().Name }
      """
    #expect(output(script) == "rt: boom\nx\nx\nfinally\nf1\nouter: inner\nRuntimeException\n")
  }

  @Test func throwEndsTheScriptWithExitCode1() {
    let result = runScript("'a'; throw 'stop here'; 'b'")
    #expect(result.stdout == "a\n")
    #expect(result.exitCode == 1)
    #expect(
      result.stderr == """
        stop here
        At line:1 char:6
        + 'a'; throw 'stop here'; 'b'
        +      ~~~~~~~~~~~~~~~~~
            + CategoryInfo          : OperationStopped: (stop here:String) [], RuntimeException
            + FullyQualifiedErrorId : stop here
         \n
        """)
  }

  @Test func statementTerminatingErrorsContinueTheScript() {
    let result = runScript("[int]'abc'; 'after'")
    #expect(result.stdout == "after\n")
    #expect(
      result.stderr.hasPrefix(
        "Cannot convert value \"abc\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\""))
    #expect(result.exitCode == 0)
  }

  @Test func commandNotFound() {
    let result = runScript("Get-Bogus -Name x; 'next'")
    #expect(result.stdout == "next\n")
    #expect(
      result.stderr.hasPrefix(
        "Get-Bogus : The term 'Get-Bogus' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.\nAt line:1 char:1\n+ Get-Bogus -Name x; 'next'\n+ ~~~~~~~~~\n"
      ))
    #expect(result.stderr.contains("ObjectNotFound: (Get-Bogus:String) [], CommandNotFoundException"))
    #expect(
      output("try { Get-Bogus } catch [System.Management.Automation.CommandNotFoundException] { 'cnf' }") == "cnf\n")
  }

  @Test func parameterBindingErrors() {
    let unknown = runWithGetItem("Get-Item -Bogus 1")
    #expect(unknown.stderr.hasPrefix("Get-Item : A parameter cannot be found that matches parameter name 'Bogus'."))
    #expect(
      unknown.stderr.contains(
        "FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.PowerShell.Commands.GetItemCommand"))
    #expect(unknown.exitCode == 1)
    let missing = runWithGetItem("Get-Item")
    #expect(
      missing.stderr.hasPrefix(
        "Get-Item : Cannot process command because of one or more missing mandatory parameters: Path."))
    let typed = runWithGetItem(
      "try { Get-Item -Bogus 1 } catch [System.Management.Automation.ParameterBindingException] { 'pbe' }")
    #expect(typed.stdout == "pbe\n")
  }

  @Test func writeErrorAndErrorList() {
    let result = runScript(
      "Write-Error 'custom failure'; $Error[0].Exception.GetType().FullName; $Error[0].FullyQualifiedErrorId")
    #expect(
      result.stdout
        == "Microsoft.PowerShell.Commands.WriteErrorException\nMicrosoft.PowerShell.Commands.WriteErrorException\n")
    #expect(result.stderr.contains(": custom failure\n"))
    #expect(result.stderr.contains("NotSpecified: (:) [Write-Error], WriteErrorException"))
    #expect(
      output("try { Write-Error 'w' -ErrorAction Stop } catch { 'caught ' + $_.Exception.Message }") == "caught w\n")
  }

  @Test func methodInvocationErrors() {
    let result = runScript("$null.Foo(); 'a'.Bogus(); 'next'")
    #expect(result.stdout == "next\n")
    #expect(result.stderr.contains("You cannot call a method on a null-valued expression."))
    #expect(
      result.stderr.contains(
        "Method invocation failed because [System.String] does not contain a method named 'Bogus'."))
  }
}

@Suite struct ExitCodeTests {
  @Test func exitCodes() {
    #expect(runScript("'x'").exitCode == 0)
    #expect(runScript("exit 7").exitCode == 7)
    #expect(runScript("function f { exit 3 }; f; 'not reached'").exitCode == 3)
    #expect(runScript("& { exit 4 }").exitCode == 4)
    #expect(runScript("throw 'x'").exitCode == 1)
    #expect(runScript("Write-Error 'e'").exitCode == 1)
    #expect(runScript("Write-Error 'e'; 'fine'").exitCode == 0)
  }
}

@Suite struct ParseErrorTests {
  @Test func positionsAndMessages() {
    let unexpected = PSRunspace.parseError(in: "$a = 1\n$b = 2 3")
    #expect(unexpected?.line == 2)
    #expect(unexpected?.column == 8)
    #expect(unexpected?.message == "Unexpected token '3' in expression or statement.")
    #expect(unexpected?.errorId == "UnexpectedToken")
    let string = PSRunspace.parseError(in: "'abc")
    #expect(string?.message == "The string is missing the terminator: '.")
    #expect(string?.column == 1)
    let paren = PSRunspace.parseError(in: "if ($x -eq 1 { }")
    #expect(paren != nil)
  }

  @Test func parseErrorRunReport() {
    let result = runScript("'before'\nif ($true) {\n  'x'\n")
    #expect(result.stdout == "")
    #expect(result.exitCode == 1)
    #expect(
      result.stderr
        == "At line:2 char:12\n+ if ($true) {\n+            ~\nMissing closing '}' in statement block or type definition.\n    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n    + FullyQualifiedErrorId : MissingEndCurlyBrace\n \n"
    )
  }

  @Test func unsupportedSyntaxIsAParseError() {
    let error = PSRunspace.parseError(in: "class Foo { }")
    #expect(error?.message == "The 'class' keyword is not supported by this PowerShell interpreter.")
  }
}

@Suite struct StatusVariableTests {
  @Test func assignmentKeepsTheStatusOfItsPipeline() {
    #expect(runWithGetItem("$x = Get-Item missing9; $?").stdout == "False\n")
    #expect(runWithGetItem("$x = Get-Item present; $?").stdout == "True\n")
  }

  @Test func advancedFunctionErrorAction() {
    let script = """
      function Probe { [CmdletBinding()] param([string]$Path) Get-Item $Path; 'continued' }
      try { Probe -Path missing7 -ErrorAction Stop } catch { "stopped: $($_.Exception.Message)" }
      """
    #expect(runWithGetItem(script).stdout == "stopped: Cannot find path 'missing7' because it does not exist.\n")
  }

  @Test func countOnScalarsAndNull() {
    #expect(output("$null.Count; 'abc'.Count; (5).Count; ([pscustomobject]@{a=1}).Count") == "0\n1\n1\n1\n")
  }
}

@Suite struct CommonVariableTests {
  @Test func errorVariableStartsEmpty() {
    let script = """
      $ev = 'stale'
      $found = @(Get-Item present -ErrorAction SilentlyContinue -ErrorVariable ev)
      @($ev).Count
      Get-Item missing1, missing2 -ErrorAction SilentlyContinue -ErrorVariable +ev
      $ev.Count
      """
    #expect(runWithGetItem(script).stdout == "0\n2\n")
  }
}
