import Testing

@testable import PowerShellInterpreter

@Suite struct SmokeTests {
  @Test func basics() {
    #expect(output("1 + 2") == "3\n")
    #expect(output("$x = 'a'; \"$x-b\"") == "a-b\n")
    #expect(output("function f($a) { $a * 2 }; f 21") == "42\n")
    #expect(output("@(1,2,3) | Where-Object { $_ -gt 1 } | ForEach-Object { $_ * 10 }") == "20\n30\n")
  }
}
