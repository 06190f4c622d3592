import Testing

@testable import PowerShellInterpreter

// about_Numeric_Literals, about_Type_Conversion and DateTime examples, with the output Windows PowerShell 5.1 gives.

@Suite struct AboutNumericLiteralsTests {
  @Test func integerLiteralsAndTheirTypes() {
    // An integer too large for Int64 is a Decimal in 5.1 (about_Numeric_Literals), beyond Decimal a Double.
    #expect(
      output("(42).GetType().Name; (2147483648).GetType().Name; (79228162514264337593543950336).GetType().Name")
        == "Int32\nInt64\nDouble\n")
    #expect(failsAsNotModelled("(9223372036854775808).GetType().Name"))
    #expect(
      output("(1l).GetType().Name; 1L; (0x10).GetType().Name; 0x10; 0xFFFFFFFF; 0x80000000; -0x10")
        == "Int64\n1\nInt32\n16\n-1\n-2147483648\n-16\n")
    #expect(output("0x7FFFFFFFFFFFFFFF; (0x100000000).GetType().Name; 0xFFl") == "9223372036854775807\nInt64\n255\n")
  }

  @Test func realLiterals() {
    #expect(
      output("(1.0).GetType().Name; 1.0; 1e2; (1e2).GetType().Name; .5; 1.5e-3; 5e-10")
        == "Double\n1\n100\nDouble\n0.5\n0.0015\n5E-10\n")
  }

  @Test func multiplierSuffixes() {
    #expect(
      output("1kb; 1mb; 1gb; (1gb).GetType().Name; 1tb; (1tb).GetType().Name; 1pb")
        == "1024\n1048576\n1073741824\nInt32\n1099511627776\nInt64\n1125899906842624\n")
    #expect(output("1.5kb; (1.5kb).GetType().Name; 0x10kb") == "1536\nDouble\n16384\n")
    #expect(output("1KB -eq 1024; 10MB / 1MB") == "True\n10\n")
  }

  @Test func decimalIsNotModelled() {
    #expect(failsAsNotModelled("(1d).GetType().Name"))
    #expect(failsAsNotModelled("$x = 1.5d"))
    #expect(failsAsNotModelled("[decimal]1.5"))
    #expect(failsAsNotModelled("'2.5' -as [decimal]"))
  }

  @Test func otherIntegerTypesAreNotModelled() {
    #expect(failsAsNotModelled("[int16]5"))
    #expect(failsAsNotModelled("[uint32]5"))
    #expect(failsAsNotModelled("[uint64]5"))
    #expect(failsAsNotModelled("[sbyte]5"))
    #expect(failsAsNotModelled("[uint16]5"))
    #expect(failsAsNotModelled("[single]1.5"))
    #expect(failsAsNotModelled("[float]1.5"))
    #expect(failsAsNotModelled("5 -as [uint32]"))
  }

  @Test func powerShellSixSuffixesAreErrors() {
    #expect(runScript("1u").exitCode != 0)
    #expect(runScript("1y").exitCode != 0)
    #expect(runScript("1n").exitCode != 0)
  }
}

@Suite struct AboutTypeConversionTests {
  @Test func integerConversionRoundsToEven() {
    #expect(
      output("[int]1.5; [int]2.5; [int]-1.5; [int]-2.5; [int]0.5; [long]2.5; [int]'4.5'; [int]'5.5'")
        == "2\n2\n-2\n-2\n0\n2\n4\n6\n")
    #expect(output("[byte]22.5; [byte]23.5") == "22\n24\n")
  }

  @Test func stringsToNumbers() {
    #expect(
      output("[int]'0x10'; [int]' 42 '; [int]'1e2'; [int]''; [int]$null; [int]$true; [double]'1.5'; [int]'-7'")
        == "16\n42\n100\n0\n0\n1\n1.5\n-7\n")
    #expect(output("[long]'9223372036854775807'; [int]'+5'; [double]'1e-2'") == "9223372036854775807\n5\n0.01\n")
    #expect(
      outputOrError("[int]'12abc'")
        == "ERR: Cannot convert value \"12abc\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\""
    )
    #expect(
      outputOrError("[int]2147483648")
        == "ERR: Cannot convert value \"2147483648\" to type \"System.Int32\". Error: \"Value was either too large or too small for an Int32.\""
    )
    #expect(
      outputOrError("[byte]256")
        == "ERR: Cannot convert value \"256\" to type \"System.Byte\". Error: \"Value was either too large or too small for an unsigned byte.\""
    )
  }

  @Test func booleanConversion() {
    #expect(
      output(
        "[bool]'False'; [bool]''; [bool]' '; [bool]'0'; [bool]0; [bool]0.0; [bool]@(); [bool]@(0); [bool]@(0,0); [bool]$null"
      ) == "True\nFalse\nTrue\nTrue\nFalse\nFalse\nFalse\nFalse\nTrue\nFalse\n")
    #expect(output("[bool][pscustomobject]@{}; [bool]@{}; [bool]'x'") == "True\nTrue\nTrue\n")
  }

  @Test func stringConversion() {
    #expect(
      output(
        "[string]1.0; [string]1.5; [string]@(1,2); [string]$null -eq ''; [string][char]65; [int][char]'A'; [char]65")
        == "1\n1.5\n1 2\nTrue\nA\n65\nA\n")
    #expect(
      output("[string]$true; \"$(1.0)\"; \"$(1/4)\"; [string]1e16; [string][int]::MinValue")
        == "True\n1\n0.25\n1E+16\n-2147483648\n")
    #expect(
      outputOrError("[char]'ab'")
        == "ERR: Cannot convert value \"ab\" to type \"System.Char\". Error: \"String must be exactly one character long.\""
    )
  }

  @Test func arraysAndCollections() {
    #expect(
      output(
        "([int[]]'1').GetType().Name; ([int[]]('1','2'))[1] + 1; ([string[]](1,2)).GetType().Name; ([array]5).Count")
        == "Int32[]\n3\nString[]\n1\n")
    #expect(
      output("$l = [System.Collections.ArrayList](1,2); $l.GetType().Name; ([object[]]$l).GetType().Name")
        == "ArrayList\nObject[]\n")
  }

  @Test func hashtableToObject() {
    #expect(
      output("$o = [pscustomobject]@{ a = 1; b = 'x' }; $o.GetType().Name; $o.b; \"$o\"")
        == "PSCustomObject\nx\n@{a=1; b=x}\n")
  }

  @Test func enums() {
    #expect(
      output(
        "[System.DayOfWeek]'Monday'; [int][System.DayOfWeek]::Friday; [System.DayOfWeek]3; 'Monday' -eq [System.DayOfWeek]::Monday"
      ) == "Monday\n5\nWednesday\nTrue\n")
  }

  @Test func versionAndGuid() {
    #expect(
      output("\"$([version]'1.2.3.4')\"; ([version]'1.2').Build; [version]'1.10' -gt [version]'1.9'")
        == "1.2.3.4\n-1\nTrue\n")
  }
}

@Suite struct AboutDateTimeTests {
  @Test func parsingUsesTheInvariantCulture() {
    #expect(
      output(
        "([datetime]'2024-01-15').ToString('yyyy-MM-dd'); ([datetime]'01/02/2024').Month; ([datetime]'2024-01-15 13:45:00').Hour"
      ) == "2024-01-15\n1\n13\n")
    #expect(
      output("\"$([datetime]'2024-01-15')\"; [string][datetime]'2024-01-15 13:45:07'")
        == "01/15/2024 00:00:00\n01/15/2024 13:45:07\n")
    #expect(
      outputOrError("[datetime]'15/01/2024'").hasPrefix(
        "ERR: Cannot convert value \"15/01/2024\" to type \"System.DateTime\"."))
    #expect(
      outputOrError("[datetime]'2023-02-30'").hasPrefix(
        "ERR: Cannot convert value \"2023-02-30\" to type \"System.DateTime\"."))
    #expect(output("([datetime]'2024-01-15T10:20:30').Second; ([datetime]'1/2/2024 3:04 PM').Hour") == "30\n15\n")
  }

  @Test func unmodelledDateFormatsFailLoudly() {
    #expect(failsAsNotModelled("[datetime]'January 15, 2024'"))
    #expect(failsAsNotModelled("[datetime]'15 Jan 2024'"))
  }

  @Test func properties() {
    #expect(
      output(
        "$d = [datetime]'2024-01-15 13:45:07'; $d.Year; $d.Month; $d.Day; $d.DayOfWeek; $d.DayOfYear; $d.Date.Hour; $d.TimeOfDay.TotalMinutes"
      ) == "2024\n1\n15\nMonday\n15\n0\n825.116666666667\n")
  }

  @Test func arithmeticMethods() {
    #expect(
      output(
        "$d = [datetime]'2024-01-31'; $d.AddMonths(1).Day; $d.AddDays(-1).Day; $d.AddHours(25).Day; $d.AddYears(1).Year; ([datetime]'2024-02-29').AddYears(1).ToString('MM-dd')"
      ) == "29\n30\n1\n2025\n02-28\n")
    #expect(
      output(
        "[datetime]::DaysInMonth(2024, 2); [datetime]::IsLeapYear(2023); ([datetime]'2024-03-10' - [datetime]'2024-03-01').Days"
      ) == "29\nFalse\n9\n")
    #expect(
      output("[datetime]'2024-01-01' -lt [datetime]'2024-06-01'; [datetime]'2024-01-01' -eq '2024-01-01'")
        == "True\nTrue\n")
  }

  @Test func formatting() {
    #expect(
      output(
        "$d = [datetime]'2024-01-05 08:04:03'; $d.ToString('dddd, MMMM d, yyyy'); $d.ToString('yyyyMMddHHmmss'); $d.ToString('s'); $d.ToString('o')"
      ) == "Friday, January 5, 2024\n20240105080403\n2024-01-05T08:04:03\n2024-01-05T08:04:03.0000000\n")
    #expect(
      output(
        "$d = [datetime]'2024-01-05 20:04:03'; $d.ToString('hh:mm tt'); $d.ToString('H:m:s'); $d.ToString('ddd MMM dd yy'); '{0:yyyy-MM-dd}' -f $d"
      ) == "08:04 PM\n20:4:3\nFri Jan 05 24\n2024-01-05\n")
    #expect(
      output("$d = [datetime]'2024-01-05 20:04:03'; $d.ToShortDateString(); $d.ToString('u'); $d.ToString(\"'Day' d\")")
        == "1/5/2024\n2024-01-05 20:04:03Z\nDay 5\n")
  }

  @Test func timeSpans() {
    #expect(
      output(
        "([timespan]'1:30:00').TotalMinutes; [timespan]::FromHours(1.5).ToString(); (New-TimeSpan -Days 1 -Hours 2).TotalHours; [string][timespan]'2.03:04:05'"
      ) == "90\n01:30:00\n26\n2.03:04:05\n")
  }
}
