import Testing

@testable import PowerShellInterpreter

@Suite struct ParserTests {
  @Test func parsesBasicStatements() throws {
    _ = try Parser.parse("$x = 1; if ($x -eq 1) { 'one' } else { 'other' }")
  }

  @Test func missingClosingBraceReportsOpeningPosition() {
    let error = PSRunspace.parseError(in: "$a = 1\nif ($a) {\n  'x'\n")
    #expect(error?.line == 2)
    #expect(error?.column == 9)
    #expect(error?.message == "Missing closing '}' in statement block or type definition.")
    #expect(error?.isIncomplete == true)
  }
}
