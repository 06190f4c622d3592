import Testing

@testable import PowerShellInterpreter

// String ordering, number formatting (.NET Framework rounding), Double edge values and the .NET members the
// interpreter does not model, with the output Windows PowerShell 5.1 gives.

@Suite struct StringOrderingTests {
  @Test func comparisonOperatorsUseCultureOrder() {
    // Case-sensitive: lower case sorts before upper case, as in the culture-aware compare (not ordinal).
    #expect(
      output("'a' -clt 'A'; 'A' -cgt 'a'; 'a' -cge 'A'; 'abc' -clt 'abd'; 'B' -cgt 'a'; 'a' -ceq 'a'")
        == "True\nTrue\nFalse\nTrue\nTrue\nTrue\n")
    #expect(
      output("'a' -lt 'B'; 'B' -gt 'a'; 'a' -le 'A'; 'a' -ge 'A'; 'apple' -lt 'Banana'")
        == "True\nTrue\nTrue\nTrue\nTrue\n")
    #expect(output("('b', 'A', 'a', 'B' | Sort-Object -CaseSensitive) -join ','") == "a,A,b,B\n")
  }

  @Test func compareMethods() {
    #expect(
      output(
        "[string]::Compare('a', 'B'); [string]::Compare('a', 'B', $true); [string]::Compare('a', 'A'); [string]::Compare('a', 'A', $true)"
      ) == "-1\n-1\n-1\n0\n")
    #expect(
      output(
        "'a'.CompareTo('B'); 'B'.CompareTo('a'); 'a'.CompareTo($null); [string]::Compare('a', 'B', [StringComparison]::Ordinal)"
      ) == "-1\n1\n1\n31\n")
    #expect(
      output(
        "[string]::Compare('x', 'X', 'OrdinalIgnoreCase'); [string]::Compare('b', 'a', 'CurrentCultureIgnoreCase')")
        == "0\n1\n")
  }
}

@Suite struct NumberFormattingTests {
  @Test func roundingIsDotNetFrameworks() {
    // .NET Framework formats a Double from its 15 significant digits, then rounds half away from zero.
    #expect(
      output("'{0:F2}' -f 1.005; (1.005).ToString('0.00'); '{0:#.##}' -f 1.005; '{0:N2}' -f 1234.565")
        == "1.01\n1.01\n1.01\n1,234.57\n")
    #expect(
      output("'{0:N0}' -f 2.5; '{0:N0}' -f 0.5; '{0:F0}' -f 1.5; '{0:0}' -f -2.5; '{0:0.0}' -f 2.35; '{0:N1}' -f 0.05")
        == "3\n1\n2\n-3\n2.4\n0.1\n")
    #expect(
      output("'{0:F2}' -f -0.001; '{0:F3}' -f 0.0005; '{0:F2}' -f 123456789.125; '{0:N0}' -f 1234567.5")
        == "0.00\n0.001\n123456789.13\n1,234,568\n")
    // Unlike [Math]::Round and [int], which round half to even on the binary value.
    #expect(
      output(
        "[Math]::Round(1.005, 2); [Math]::Round(0.125, 2); [int]0.5; [Math]::Round(2.5, [MidpointRounding]::ToEven)")
        == "1\n0.12\n0\n2\n")
  }

  @Test func standardFormats() {
    #expect(
      output(
        "(255).ToString('X4'); (42).ToString('D4'); (1234.5).ToString('N1'); (0.5).ToString('P0'); (3).ToString('00')")
        == "00FF\n0042\n1,234.5\n50 %\n03\n")
    #expect(output("'{0:C}' -f 1234.5; '{0:G}' -f 1.5; '{0:R}' -f 0.1") == "$1,234.50\n1.5\n0.1\n")
  }

  @Test func invalidAndUnmodelledFormats() {
    #expect(outputOrError("'{0:D2}' -f 1.5") == "ERR: Error formatting a string: Format specifier was invalid..")
    #expect(failsAsNotModelled("'{0:0.0 MB}' -f 1.5"))
    #expect(failsAsNotModelled("'{0:#,}' -f 1234567"))
    #expect(failsAsNotModelled("'{0:0.0%}' -f 0.5"))
    #expect(failsAsNotModelled("'{0:#;(#)}' -f -5"))
    #expect(failsAsNotModelled("'{0:C}' -f -5"))
    #expect(failsAsNotModelled("'{0:G3}' -f 1.2345"))
  }
}

@Suite struct DoubleEdgeTests {
  @Test func doubleDivisionByZeroIsIeee() {
    // Only integer division throws; Double division gives Infinity or NaN.
    #expect(output("1/0.0; -1/0.0; 0/0.0; 5 % 0.0; 1.5 / 0") == "Infinity\n-Infinity\nNaN\nNaN\nInfinity\n")
    #expect(outputOrError("5 % 0") == "ERR: Attempted to divide by zero.")
  }

  @Test func staticValues() {
    #expect(
      output(
        "[double]::PositiveInfinity; [double]::NegativeInfinity; [double]::MinValue; [double]::NaN -eq [double]::NaN; [byte]::MinValue"
      ) == "Infinity\n-Infinity\n-1.79769313486232E+308\nFalse\n0\n")
  }

  @Test func doubleToString() {
    #expect(
      output("[string]0.00001; 1e-5; [string]123456789.123; 1/7; 1e15 + 1; 0.1 * 3; 1.1 + 2.2")
        == "1E-05\n1E-05\n123456789.123\n0.142857142857143\n1E+15\n0.3\n3.3\n")
  }
}

@Suite struct TypeLiteralTests {
  @Test func membersOfTypeLiterals() {
    #expect(
      output("[int].Name; [int].FullName; [string[]].Name; ([int[]]).IsArray; [System.IO.Path].Namespace")
        == "Int32\nSystem.Int32\nString[]\nTrue\nSystem.IO\n")
    #expect(output("$t = [datetime]; $t.Name; [int]::MaxValue.GetType().Name; [double].5") == "DateTime\nInt32\n0.5\n")
    #expect(failsAsNotModelled("[int].BaseType"))
    #expect(failsAsNotModelled("(1).GetType().IsValueType"))
  }
}

@Suite struct UnmodelledMembersTests {
  @Test func dotNetMethodsTheInterpreterDoesNotAnswer() {
    #expect(failsAsNotModelled("'hello'.IndexOfAny([char[]]'lo')"))
    #expect(failsAsNotModelled("'hello'.IsNormalized()"))
    #expect(failsAsNotModelled("(1,2,3).CopyTo(@(0,0,0), 0)"))
    #expect(failsAsNotModelled("$l = [System.Collections.ArrayList]@(3,1); $l.Sort()"))
    #expect(failsAsNotModelled("(Get-Date).ToOADate()"))
    #expect(failsAsNotModelled("(5).GetTypeCode()"))
    #expect(failsAsNotModelled("$h = @{}; $h.CopyTo(@(), 0)"))
    #expect(failsAsNotModelled("[datetime]::ParseExact('15.01.2024', 'dd.MM.yyyy', $null)"))
    #expect(failsAsNotModelled("[Math]::Cosh(1)"))
    #expect(failsAsNotModelled("[char]::IsDigit('1')"))
    #expect(failsAsNotModelled("[Environment]::Version"))
    #expect(failsAsNotModelled("[Math]::Cosh(1)"))
  }

  @Test func aMethodNoTypeHasIsStillMethodNotFound() {
    #expect(
      outputOrError("'x'.Bogus()")
        == "ERR: Method invocation failed because [System.String] does not contain a method named 'Bogus'.")
  }

  @Test func stringMembersNowAnswered() {
    #expect(output("'hello'.Chars(1); 'hello'.get_Length(); 'abc'.PadLeft(5, '*')") == "e\n5\n**abc\n")
    #expect(
      outputOrError("'abc'.PadLeft(5, 'xy')")
        == "ERR: Cannot convert argument \"paddingChar\", with value: \"xy\", for \"PadLeft\" to type \"System.Char\": \"Cannot convert value \"xy\" to type \"System.Char\". Error: \"String must be exactly one character long.\"\""
    )
  }
}
