import Testing

@testable import PowerShellInterpreter

// Examples from the about_* help topics of Windows PowerShell 5.1, with the output 5.1 gives.

/// Stdout, or "ERR: <message>" of the first error when the script wrote one.
func outputOrError(_ script: String) -> String {
  let result = runScript(script)
  if let error = result.errors.first { return result.stdout + "ERR: " + error.message }
  return result.stdout
}

/// True when the script failed with WinLab's "not modelled" error instead of answering.
func failsAsNotModelled(_ script: String) -> Bool {
  let result = runScript(script)
  return result.errors.contains {
    $0.fullyQualifiedErrorId.hasPrefix("NotModelled") && $0.message.contains("WinLab does not model")
  }
}

@Suite struct AboutArithmeticOperatorsTests {
  @Test func basicOperatorsAndPrecedence() {
    #expect(output("6 + 2; 6 - 2; - -6; 6 * 2; 6 / 2; 7 % 2") == "8\n4\n6\n12\n3\n1\n")
    #expect(output("3+6/3*4; 3+6/(3*4); (3+6)/3*4") == "11\n3.5\n12\n")
    #expect(output("-7 % 2; 7 % -2; 5.5 % 2") == "-1\n1\n1.5\n")
    #expect(output("\"file\" + \"name\"; (@(1, 'one') + @(2.0, 'two')) -join ','") == "filename\n1,one,2,two\n")
    #expect(output("(@('!') * 4) -join ''; '!' * 3; '3' * 2; 2 * '3'") == "!!!!\n!!!\n33\n6\n")
    #expect(output("$array = 1,2,3; ($array + 16) -join ','; ($array * 2) -join ','") == "1,2,3,16\n1,2,3,1,2,3\n")
    #expect(output("'file' + 16; '4' / '2'; '10' - 3") == "file16\n2\n7\n")
  }

  @Test func leftmostOperandDecides() {
    #expect(
      outputOrError("16 + 'file'")
        == "ERR: Cannot convert value \"file\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\""
    )
    #expect(
      outputOrError("$hash1 = @{a=1}; $hash1 + 2") == "ERR: A hash table can only be added to another hash table.")
    #expect(
      outputOrError("@{a=1; c=3} + @{c1='x'; c='y'}")
        == "ERR: Item has already been added. Key in dictionary: 'c'  Key being added: 'c'")
    #expect(output("$h = @{a=1; b=2} + @{c=3}; $h.Count; $h.c") == "3\n3\n")
  }

  @Test func divisionRoundsToEvenWhenCastToInt() {
    #expect(output("[int]( 5 / 2 ); [int]( 7 / 2 )") == "2\n4\n")
    #expect(
      output(
        "[int][Math]::Round(5 / 2,[MidpointRounding]::AwayFromZero); [int][Math]::Ceiling(5 / 2); [int][Math]::Floor(5 / 2)"
      ) == "3\n3\n2\n")
    #expect(
      output("(5 / 2).GetType().Name; (6 / 2).GetType().Name; 1 / 3; 10 / 4")
        == "Double\nInt32\n0.333333333333333\n2.5\n")
    #expect(
      output("[Math]::Round(2.5); [Math]::Round(3.5); [Math]::Round(-2.5); [Math]::Round(2.567, 2)")
        == "2\n4\n-2\n2.57\n")
    #expect(outputOrError("1 / 0") == "ERR: Attempted to divide by zero.")
  }

  @Test func typeWidensToAccommodateResult() {
    #expect(
      output("2 + 3.1; (2).GetType().FullName; (2 + 3.1).GetType().FullName") == "5.1\nSystem.Int32\nSystem.Double\n")
    #expect(output("(512MB).GetType().FullName; (512MB * 512MB).GetType().FullName") == "System.Int32\nSystem.Double\n")
    #expect(output("[int]::MaxValue + 1; ([int]::MaxValue + 1).GetType().Name") == "2147483648\nDouble\n")
    #expect(output("([long]::MaxValue + 1).GetType().Name; [long]::MaxValue + 1") == "Double\n9.22337203685478E+18\n")
    #expect(output("(2147483647L + 1).GetType().Name; (1L + 1).GetType().Name") == "Int64\nInt64\n")
    #expect(
      output("0.1 + 0.2; (0.1 + 0.2) -eq 0.3; 1e20; 1e15; 123456789012345")
        == "0.3\nFalse\n1E+20\n1E+15\n123456789012345\n")
  }

  @Test func bitwiseOperators() {
    #expect(output("10 -band 3; 10 -bor 3; 10 -bxor 3; -bNot 10; 102 -shl 2; 102 -shr 1") == "2\n11\n9\n-11\n408\n51\n")
    #expect(output("5 -band 3; -bnot 5; 5 -bor 0x03; 5 -bxor 3; -bnot 0; -bnot -1") == "1\n-6\n7\n6\n-1\n0\n")
    // Int32 operands stay Int32: the shift count is taken modulo 32 and the sign bit can be set.
    #expect(
      output("1 -shl 31; (1 -shl 31).GetType().Name; 1 -shl 32; 1L -shl 32; -8 -shr 1")
        == "-2147483648\nInt32\n1\n4294967296\n-4\n")
    #expect(output("0xFFFFFFFF -band 0xFF; (0x10 -bor 1L).GetType().Name") == "255\nInt64\n")
  }

  @Test func incrementAndDecrement() {
    #expect(output("$a = 0; $b = @(1,2); $c = @(-1,-2); $b[$a] = $c[$a++]; $b -join ','") == "1,-1\n")
    #expect(output("$x = $null; $x++; $x; $y = 5; $y--; $y; $z = 1; ++$z; $z") == "1\n4\n2\n")
    #expect(output("$i = 1; $j = $i++; \"$i $j\"; $k = ++$i; \"$i $k\"") == "2 1\n3 3\n")
  }

  @Test func dateArithmetic() {
    #expect(output("(([datetime]'2024-01-15') + (New-TimeSpan -Days 1)).Day") == "16\n")
    #expect(output("(([datetime]'2024-03-01') - ([datetime]'2024-02-01')).TotalDays") == "29\n")
  }
}

@Suite struct AboutComparisonOperatorsTests {
  @Test func equality() {
    #expect(
      output("2 -eq 2; 2 -eq 3; 1,2,3 -eq 2; 'abc' -eq 'abc'; 'abc' -eq 'abc', 'def'; 'abc', 'def' -eq 'abc'")
        == "True\nFalse\n2\nTrue\nFalse\nabc\n")
    #expect(
      output("'abc' -ne 'def'; 'abc' -ne 'abc'; 'abc' -ne 'abc', 'def'; ('abc', 'def' -ne 'abc')")
        == "True\nFalse\nTrue\ndef\n")
    #expect(output("'abc' -ceq 'ABC'; 'abc' -ieq 'ABC'; 'abc' -cne 'ABC'") == "False\nTrue\nTrue\n")
    #expect(
      output("1 -eq '1.0'; '1.0' -eq 1; 0 -eq ''; '' -eq 0; $true -eq 'false'; 1 -eq $null")
        == "True\nFalse\nTrue\nFalse\nTrue\nFalse\n")
    #expect(
      output("$null -eq $null; $null -eq @(); (@(1, $null, 2) -eq $null).Count; (@() -eq 1).Count")
        == "True\nFalse\n1\n0\n")
    #expect(output("[char]'a' -eq 'A'; [char]'a' -ceq 'A'") == "True\nFalse\n")
  }

  @Test func ordering() {
    #expect(output("8 -gt 6; 7, 8, 9 -gt 8; 8 -ge 8; 7, 8, 9 -ge 8 | ForEach-Object { $_ }") == "True\n9\nTrue\n8\n9\n")
    #expect(output("8 -lt 6; 7, 8, 9 -lt 8; 6 -le 8; (7, 8, 9 -le 8) -join ','") == "False\n7\nTrue\n7,8\n")
    #expect(
      output("'10' -lt '9'; 10 -lt '9'; 'a' -lt 'B'; 'abc' -gt $null; 'b' -gt 'A'") == "True\nFalse\nTrue\nTrue\nTrue\n"
    )
    #expect(
      outputOrError("5 -lt 'x'")
        == "ERR: Cannot convert value \"x\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\""
    )
  }

  @Test func likeAndMatch() {
    #expect(output("'PowerShell' -like '*shell'; 'PowerShell', 'Server' -like '*shell'") == "True\nPowerShell\n")
    #expect(output("'PowerShell' -notlike '*shell'; 'PowerShell', 'Server' -notlike '*shell'") == "False\nServer\n")
    #expect(
      output("'PowerShell' -clike '*Shell'; 'PowerShell' -clike '*shell'; 'abc' -like 'a?c'; 'abc' -like '[a-c]b?'")
        == "True\nFalse\nTrue\nTrue\n")
    #expect(
      output("'Sunday' -match 'sun'; ('Sunday', 'Monday', 'Tuesday' -match 'sun'); 'Sunday' -notmatch 'sun'")
        == "True\nSunday\nFalse\n")
    #expect(output("'Sunday' -cmatch 'sun'; 'Sunday' -cmatch 'Sun'; 'Sunday' -imatch 'SUN'") == "False\nTrue\nTrue\n")
    #expect(
      output("$null = 'Sunday' -match 'S(?<rest>.+)'; $Matches.rest; $Matches[0]; $Matches.Count")
        == "unday\nSunday\n2\n")
    // .NET numbers unnamed groups first, then named ones.
    #expect(
      output("$null = 'ab' -match '(?<x>a)(b)'; $Matches[1]; $Matches.x; $null -eq $Matches[2]") == "b\na\nTrue\n")
    #expect(output("'ab' -replace '(?<x>a)(b)', '$1$2'; 'ab' -replace '(?<x>a)(b)', '${x}-${1}'") == "ba\na-b\n")
    // An array on the left filters and leaves $Matches alone.
    #expect(output("$null = 'x1' -match '\\d'; $null = 'a', 'b' -match 'a'; $Matches[0]") == "1\n")
    // A failed match leaves $Matches as it was.
    #expect(output("$null = 'x1' -match '\\d'; $null = 'y' -match '\\d'; $Matches[0]") == "1\n")
  }

  @Test func containment() {
    #expect(
      output("'abc', 'def' -contains 'def'; 'Windows', 'PowerShell' -contains 'Shell'; 'abc', 'def' -notcontains 'def'")
        == "True\nFalse\nFalse\n")
    #expect(
      output("'def' -in 'abc', 'def'; 'Shell' -in 'Windows', 'PowerShell'; 'DEF' -cin 'abc', 'def'; 'x' -notin 'a'")
        == "True\nFalse\nFalse\nTrue\n")
    #expect(output("1,2,3 -contains '2'; '2' -in 1,2,3; 'ABC', 'x' -ccontains 'abc'") == "True\nTrue\nFalse\n")
  }

  @Test func replaceOperator() {
    #expect(
      output("'Get-Process' -replace 'Get', 'Stop'; 'book' -replace 'B', 'C'; 'book' -creplace 'B', 'C'")
        == "Stop-Process\nCook\nbook\n")
    #expect(output("'abc' -replace 'b'; 'aaa' -replace 'a', '$0$0'; 'a1' -replace '\\d', '$$'") == "ac\naaaaaa\na$\n")
    #expect(output("'John D' -replace '(?<first>\\w+) (?<last>\\w+)', '${last}, ${first}'") == "D, John\n")
    #expect(
      output("(1,2,3 -replace 2, 'x') -join ','; ('a.b' -replace '\\.', '-'); 'ABC' -ireplace 'b', '_'")
        == "1,x,3\na-b\nA_C\n")
    #expect(output("'Hello World' -replace '(\\w+) (\\w+)', '$2 $1'; 'x' -replace '(?i)X', 'y'") == "World Hello\ny\n")
  }

  @Test func typeComparison() {
    #expect(
      output("$a = 1; $b = '1'; $a -is [int]; $a -is $b.GetType(); $b -isnot [int]; $a -isnot $b.GetType()")
        == "True\nFalse\nTrue\nTrue\n")
    #expect(
      output("5 -is [ValueType]; 'x' -is [object]; $null -is [object]; @() -is [object[]]; [int] -is [type]")
        == "True\nTrue\nFalse\nTrue\nTrue\n")
    #expect(
      output("2147483648 -is [long]; 1.5 -is [double]; 'x' -is [char]; [char]'x' -is [char]")
        == "True\nTrue\nFalse\nTrue\n")
  }
}

@Suite struct AboutOperatorsTests {
  @Test func asOperator() {
    #expect(
      output("'5' -as [int]; 1.5 -as [int]; 2.5 -as [int]; $null -eq ('abc' -as [int]); '0x10' -as [int]")
        == "5\n2\n2\nTrue\n16\n")
    #expect(
      output("(1 -as [string]).GetType().Name; (5 -as [double]).GetType().Name; ('3' -as [long]).GetType().Name")
        == "String\nDouble\nInt64\n")
    #expect(output("$t = [int]; '7' -as $t; '8' -as 'System.Int32'") == "7\n8\n")
  }

  @Test func unaryAndComma() {
    #expect(
      output("(,1).Count; (,(1,2)).Count; (1,2 + 3).Count; ,(1,2) | ForEach-Object { $_.GetType().Name }")
        == "1\n1\n3\nObject[]\n")
    #expect(output("-not $true; !0; -not @(); -not @(0); -not 'False'") == "False\nTrue\nTrue\nTrue\nFalse\n")
    #expect(output("$true -and $false; $true -or $false; $true -xor $true; 1 -and 'x'") == "False\nTrue\nFalse\nTrue\n")
  }

  @Test func joinAndSplitUnary() {
    #expect(
      output("-join ('a', 'b', 'c'); -join (1,2,3); (1,2,3) -join ', '; 'x' -join '-'") == "abc\n123\n1, 2, 3\nx\n")
    #expect(output("(-split ' red  yellow blue ') -join '|'; (-split \"a`tb`nc\").Count") == "red|yellow|blue\n3\n")
  }

  @Test func rangeOperator() {
    #expect(
      output("(1..4) -join ','; (4..1) -join ','; (-2..2) -join ','; (1..1).Count; ('1'..'3') -join ','")
        == "1,2,3,4\n4,3,2,1\n-2,-1,0,1,2\n1\n1,2,3\n")
    #expect(outputOrError("'a'..'c'").hasPrefix("ERR: Cannot convert value \"a\" to type \"System.Int32\"."))
    #expect(output("(1.6..3.4) -join ','") == "2,3\n")
  }

  @Test func subexpressionsAndCallOperators() {
    #expect(output("\"Sum: $(1 + 2)\"; $(1; 2) -join ','") == "Sum: 3\n1,2\n")
    #expect(output("& { 'in block' }; $sb = { param($x) $x * 2 }; & $sb 4; . { $q = 3 }; $q") == "in block\n8\n3\n")
  }

  @Test func staticMembers() {
    #expect(
      output("[int]::MaxValue; [int]::MinValue; [long]::MaxValue; [byte]::MaxValue; [math]::PI")
        == "2147483647\n-2147483648\n9223372036854775807\n255\n3.14159265358979\n")
    #expect(
      output(
        "[Math]::Abs(-3); [Math]::Pow(2, 10); [Math]::Max(3, 7); [Math]::Min(3, 7); [Math]::Sqrt(16); [Math]::Truncate(-2.7)"
      ) == "3\n1024\n7\n3\n4\n-2\n")
    #expect(
      output("[Math]::Floor(-2.5); [Math]::Ceiling(-2.5); [double]::MaxValue") == "-3\n-2\n1.79769313486232E+308\n")
  }

  @Test func powerShellSevenOperatorsAreParseErrors() {
    #expect(runScript("$x = $null ?? 1").exitCode != 0)
    #expect(runScript("$true ? 1 : 2").exitCode != 0)
    #expect(runScript("Write-Output a && Write-Output b").exitCode != 0)
    #expect(runScript("2 ** 3").exitCode != 0)
  }
}

@Suite struct AboutAssignmentOperatorsTests {
  @Test func compoundAssignment() {
    #expect(output("$a = 10; $a += 5; $a; $a -= 3; $a; $a *= 2; $a; $a /= 8; $a; $a %= 2; $a") == "15\n12\n24\n3\n1\n")
    #expect(
      output("$a = 10; $a /= 4; $a; $s = 'ab'; $s *= 3; $s; $t = 'a'; $t += 'b'; $t; $u += 1; $u")
        == "2.5\nababab\nab\n1\n")
    #expect(output("$arr = 1,2; $arr += 3; $arr.Count; $arr += 4,5; $arr -join ','") == "3\n1,2,3,4,5\n")
    #expect(output("$h = @{a=1}; $h += @{b=2}; $h.Count; $h['c'] += 1; $h.c") == "2\n1\n")
  }

  @Test func multipleAssignment() {
    #expect(output("$a, $b, $c = 1, 2, 3; \"$a $b $c\"; $d, $e = 1, 2, 3; $d; $e -join ','") == "1 2 3\n1\n2,3\n")
    #expect(output("$x, $y = 'only'; \"[$x][$y]\"; $p = $q = 7; \"$p $q\"") == "[only][]\n7 7\n")
    #expect(output("$a = 1; $b = 2; $a, $b = $b, $a; \"$a $b\"") == "2 1\n")
  }

  @Test func typeConstrainedVariables() {
    #expect(
      output("[int]$n = '5'; $n.GetType().Name; $n = 2.7; $n; $n = '8'; $n.GetType().Name") == "Int32\n3\nInt32\n")
    #expect(
      outputOrError("[int]$n = 1; $n = 'abc'")
        == "ERR: Cannot convert value \"abc\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\""
    )
    #expect(output("[string]$s = 5; $s.GetType().Name; $s += 1; $s") == "String\n51\n")
    #expect(
      output("[int[]]$b = 1, '2'; $b[1].GetType().Name; $b += '3'; $b[2].GetType().Name; $b.GetType().Name")
        == "Int32\nInt32\nInt32[]\n")
  }

  @Test func assignmentValueInParentheses() {
    #expect(output("($a = 5); $b = ($c = 2) + 1; $b") == "5\n3\n")
  }
}
