import Testing

@testable import PowerShellInterpreter

@Suite struct ConvertToJsonTests {
  @Test func prettyFormatIs51() {
    let text = output(
      "[ordered]@{ dan = 15; foo = [ordered]@{ second = 'b'; first = 'a' }; list = @(1, 2) } | ConvertTo-Json")
    #expect(
      text
        == "{\r\n    \"dan\":  15,\r\n    \"foo\":  {\r\n                \"second\":  \"b\",\r\n                \"first\":  \"a\"\r\n            },\r\n    \"list\":  [\r\n                 1,\r\n                 2\r\n             ]\r\n}\n"
    )
    #expect(output("@(1, 'a') | ConvertTo-Json") == "[\r\n    1,\r\n    \"a\"\r\n]\n")
    #expect(output("@{} | ConvertTo-Json") == "{\r\n\r\n}\n")
  }

  @Test func defaultDepthTwoTruncatesToTypeNames() {
    let script = "@{ a = @{ b = @{ c = @{ d = 1 } } } } | ConvertTo-Json -Compress"
    #expect(output(script) == "{\"a\":{\"b\":{\"c\":\"System.Collections.Hashtable\"}}}\n")
    #expect(
      output("@{ a = @{ b = @{ c = @(1, 2) } } } | ConvertTo-Json -Compress") == "{\"a\":{\"b\":{\"c\":\"1 2\"}}}\n")
    #expect(
      output("@{ a = @{ b = @{ c = @{ d = 1 } } } } | ConvertTo-Json -Compress -Depth 8")
        == "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}\n")
  }

  @Test func singleVersusMultipleItems() {
    #expect(output("1 | ConvertTo-Json") == "1\n")
    #expect(output("@(1) | ConvertTo-Json -Compress") == "1\n")
    #expect(output("1, 2 | ConvertTo-Json -Compress") == "[1,2]\n")
    #expect(output("ConvertTo-Json -InputObject @(1) -Compress") == "[1]\n")
    #expect(output(",@(1) | ConvertTo-Json -Compress") == "[1]\n")
    #expect(runScript("$null | ConvertTo-Json").stdout == "")
  }

  @Test func scalarsEnumsDatesAndEscapes() {
    #expect(
      output("'<a href=\"x\">&''</a>' | ConvertTo-Json")
        == "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u0027\\u003c/a\\u003e\"\n")
    #expect(output("'é ü 日本' | ConvertTo-Json") == "\"é ü 日本\"\n")
    #expect(output("\"a`tb`nc\\d\" | ConvertTo-Json") == "\"a\\tb\\nc\\\\d\"\n")
    #expect(
      output("@{ t = $true; n = $null; d = 1.5; l = 5000000000 } | ConvertTo-Json -Compress").contains(
        "\"l\":5000000000"))
    #expect(output("[DateTime]::UtcNow | ConvertTo-Json") == "\"\\/Date(1700000000000)\\/\"\n")
    #expect(
      output("(Get-Date) | ConvertTo-Json -Compress")
        == "{\"value\":\"\\/Date(1700000000000)\\/\",\"DisplayHint\":2,\"DateTime\":\"Tuesday, November 14, 2023 10:13:20 PM\"}\n"
    )
    let enums = runScript("$e = Get-TestEnum; $e; $e | ConvertTo-Json; \"$e\"") { runspace in
      let status = PSEnumType(
        fullName: "System.ServiceProcess.ServiceControllerStatus", members: [("Stopped", 1), ("Running", 4)])
      runspace.register(
        PSCommandDefinition(name: "Get-TestEnum", implementingType: "Test", parameters: []) { ctx in
          try ctx.writeObject(.enumValue(status.value(named: "Running")!))
        })
    }
    #expect(enums.stdout == "Running\n4\nRunning\n")
  }

  @Test func customObjectsKeepPropertyOrder() {
    #expect(
      output("[pscustomobject]@{ Z = 1; A = 'x'; M = @('p') } | ConvertTo-Json -Compress")
        == "{\"Z\":1,\"A\":\"x\",\"M\":[\"p\"]}\n")
    #expect(
      output(
        "$o = [pscustomobject]@{ In = [pscustomobject]@{ Deep = [pscustomobject]@{ X = 1 } } }; $o | ConvertTo-Json -Compress -Depth 1"
      ) == "{\"In\":{\"Deep\":\"@{X=1}\"}}\n")
  }
}

@Suite struct ConvertFromJsonTests {
  @Test func objectsArraysAndNumbers() {
    let script = """
      $o = '{"name":"x","n":5,"big":5000000000,"f":1.5,"ok":true,"none":null,"list":[1,"two"],"d":"\\/Date(1700000000000)\\/"}' | ConvertFrom-Json
      $o.name; $o.n.GetType().Name; $o.big.GetType().Name; $o.f; $o.ok; $null -eq $o.none; $o.list[1]; $o.d.Year
      ('[1,2,3]' | ConvertFrom-Json | Measure-Object).Count
      """
    #expect(output(script) == "x\nInt32\nInt64\n1.5\nTrue\nTrue\ntwo\n2023\n1\n")
  }

  @Test func invalidJson() {
    let result = runScript("'{bad' | ConvertFrom-Json")
    #expect(result.stderr.contains("Invalid JSON primitive"))
    #expect(
      result.stderr.contains(
        "FullyQualifiedErrorId : System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand"))
  }
}
