import PropertyBased
import RemotePowerShell
import Testing

@Suite struct PowerShellQuoteTests {
  @Test(arguments: [
    ("", "''"),
    ("abc", "'abc'"),
    ("it's", "'it''s'"),
    ("$(rm -rf /)", "'$(rm -rf /)'"),
    ("`n", "'`n'"),
    (
      "a\u{2018}b\u{2019}c\u{201A}d\u{201B}e",
      "'a\u{2018}\u{2018}b\u{2019}\u{2019}c\u{201A}\u{201A}d\u{201B}\u{201B}e'"
    ),
    ("''", "''''''"),
  ])
  func literalExamples(input: String, expected: String) {
    #expect(PowerShellQuote.literal(input) == expected)
  }

  @Test func arrayLiteral() {
    #expect(PowerShellQuote.array([]) == "@()")
    #expect(PowerShellQuote.array(["a"]) == "@('a')")
    #expect(PowerShellQuote.array(["a", "b'c"]) == "@('a','b''c')")
  }

  @Test func hostileStringsRoundTrip() async {
    await propertyCheck(count: 500, input: HostileStrings.generator) { value in
      let literal = PowerShellQuote.literal(value)
      let parsed = SingleQuotedStringReader.read(literal)
      #expect(parsed?.value == value)
      #expect(parsed?.rest.isEmpty == true, "the literal must be exactly one token")
    }
  }

  @Test func literalStaysOneTokenWhenFollowedByCode() async {
    await propertyCheck(count: 300, input: HostileStrings.generator) { value in
      let code = PowerShellQuote.literal(value) + "; Remove-Item 'x'"
      let parsed = SingleQuotedStringReader.read(code)
      #expect(parsed?.value == value)
      #expect(parsed?.rest == "; Remove-Item 'x'")
    }
  }

  @Test func arrayElementsRoundTrip() async {
    await propertyCheck(count: 200, input: HostileStrings.generator.array(of: 0...5)) { values in
      let literal = PowerShellQuote.array(values)
      #expect(literal.hasPrefix("@(") && literal.hasSuffix(")"))
      var rest = Substring(literal.dropFirst(2).dropLast())
      var decoded: [String] = []
      while let element = SingleQuotedStringReader.read(String(rest)) {
        decoded.append(element.value)
        rest = Substring(element.rest)
        if rest.hasPrefix(",") { rest = rest.dropFirst() } else { break }
      }
      #expect(decoded == values)
      #expect(rest.isEmpty)
    }
  }
}
