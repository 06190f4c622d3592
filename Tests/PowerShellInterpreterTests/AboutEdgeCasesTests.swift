import Testing

@testable import PowerShellInterpreter

// Further about_Parsing, about_Assignment_Operators, about_Hash_Tables, about_Type_Conversion and DateTime/TimeSpan
// cases, with the output Windows PowerShell 5.1 gives.

@Suite struct ArgumentModeTests {
  @Test func quotedAndExpandedPartsOfOneArgument() {
    #expect(
      output(
        "Write-Output a\"b c\"d; Write-Output a' 'b; $a = 'x'; Write-Output ${a}b; Write-Output a$(1+1)b; Write-Output pre$a"
      ) == "ab cd\na b\nxb\na2b\nprex\n")
    #expect(
      output(
        "$a = 'x'; Write-Output $a.ToString(); Write-Output $a[0]; Write-Output (1,2,3).Count; Write-Output @(1,2).Count"
      ) == "x\nx\n3\n2\n")
    #expect(
      output(
        "Write-Output -1.5; Write-Output .5; Write-Output 1e3; Write-Output a=b; Write-Output a#b; Write-Output a #b")
        == "-1.5\n0.5\n1000\na=b\na#b\na\n")
    #expect(
      output("Write-Output \"x\" \"y\"; Write-Output 'a','b'; Write-Output a`$b; Write-Output 'a$b'")
        == "x\ny\na\nb\na$b\na$b\n")
  }

  @Test func argumentsThatGoOnAfterAQuotedStringFailLoudly() {
    #expect(failsAsNotModelled("Write-Output \"a\"b"))
    #expect(failsAsNotModelled("Write-Output 'a'+'b'"))
  }
}

@Suite struct MoreAssignmentTests {
  @Test func chainedAndCompound() {
    #expect(
      output(
        "$a = $b = $c = 0; \"$a$b$c\"; [int]$x = $null; $x; $arr = 1,2; $arr[0] += 5; $arr -join ','; $h = @{a=1}; $h.a += 1; $h.a"
      ) == "000\n0\n6,2\n2\n")
    #expect(
      output("$null = 5; [void](1); $x = @(); $x += ,@(1,2); $x.Count; $o = [pscustomobject]@{P=1}; $o.P += 2; $o.P")
        == "1\n3\n")
  }

  @Test func nullIndexFails() {
    #expect(
      outputOrError("$h = @{}; $h[$null] = 1") == "ERR: Index operation failed; the array index evaluated to null.")
    #expect(
      outputOrError("$a = 1,2; $a[$null] = 1") == "ERR: Index operation failed; the array index evaluated to null.")
  }
}

@Suite struct MoreOperatorTests {
  @Test func joinReplaceSplitEdges() {
    #expect(
      output(
        "@(1,$null,2) -join ','; (@(1,$null) -ne $null) -join ','; 'abc' -replace '', '-'; ('' -split ',').Count; 1 -contains 1"
      ) == "1,,2\n1\n-a-b-c-\n1\nTrue\n")
    #expect(output("'a' * 0; ('x' * 3).Length; (1,2) -join $null") == "\n3\n12\n")
  }
}

@Suite struct MoreConversionTests {
  @Test func conversions() {
    #expect(
      output(
        "[string]@(); [char[]]'abc' -join '|'; ([byte[]]@(1,2)).GetType().Name; $null -eq [array]$null; ([int][string]'5').GetType().Name"
      ) == "\na|b|c\nByte[]\nTrue\nInt32\n")
    #expect(
      outputOrError("[int]'0b101'")
        == "ERR: Cannot convert value \"0b101\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\""
    )
    #expect(output("$null -eq ('2024-99-99' -as [datetime]); $null -eq ('x' -as [datetime])") == "True\nTrue\n")
  }
}

@Suite struct MoreDateTimeTests {
  @Test func dateFormatsAndArithmetic() {
    #expect(
      output(
        "$d = [datetime]'2024-01-15 06:00'; $d.AddDays(1.5).Hour; $d.ToString('MMMM yyyy'); $d.ToString('%d'); $d.ToString('d'); $d.ToString('g'); $d.ToString('tt'); $d.AddMonths(-1).Month"
      ) == "18\nJanuary 2024\n15\n1/15/2024\n1/15/2024 6:00 AM\nAM\n12\n")
    #expect(
      output(
        "$d1 = [datetime]'2024-01-01'; $d2 = [datetime]'2024-01-10 12:00'; ($d2 - $d1).ToString(); (New-TimeSpan -Start $d1 -End $d2).TotalDays; [timespan]::FromMinutes(90).TotalHours"
      ) == "9.12:00:00\n9.5\n1.5\n")
    #expect(
      output("$d = [datetime]'2024-01-15'; $d.ToString(); [datetime]::MinValue.Year; $d.Ticks")
        == "1/15/2024 12:00:00 AM\n1\n638408736000000000\n")
  }

  @Test func timeSpanFormats() {
    #expect(
      output("([timespan]'1:30:00').ToString('c'); '{0}' -f [timespan]'1:30:00'; [string][timespan]::FromSeconds(1.5)")
        == "01:30:00\n01:30:00\n00:00:01.5000000\n")
    #expect(failsAsNotModelled("'{0:hh\\:mm}' -f [timespan]::FromMinutes(90)"))
    #expect(failsAsNotModelled("([timespan]::FromMinutes(90)).ToString('hh\\:mm')"))
  }
}

@Suite struct MoreStringMethodTests {
  @Test func methods() {
    #expect(
      output(
        "'abc'.Replace('b', $null); 'abc'.IndexOf('B', [StringComparison]::OrdinalIgnoreCase); 'abc'.Contains(''); 'abc'.StartsWith('')"
      ) == "ac\n1\nTrue\nTrue\n")
    #expect(
      output("'a b'.Split($null).Count; 'a,b'.Split(',').GetType().Name; 'A B C'.Split(' ', 2) -join '|'")
        == "2\nString[]\nA|B C\n")
  }
}

@Suite struct MoreIntrinsicMemberTests {
  @Test func psobjectAndScalars() {
    #expect(
      output("(1,2).PSObject.TypeNames[0]; @{a=1}.ForEach({ $_.Count }); 'x'.ForEach('ToUpper')")
        == "System.Object[]\n1\nX\n")
  }
}

@Suite struct AboutArraysDocExamplesTests {
  @Test func slicingExamples() {
    #expect(
      output(
        "$a = 0..9; $a[2..-2] -join ','; $a[+0..2+4..6+8] -join ','; $t = $a[0,1 + 3..($a.length - 1)]; $t -join ','")
        == "2,1,0,9,8\n0,1,2,4,5,6,8\n0,1,3,4,5,6,7,8,9\n")
    #expect(output("$a = 0..9; for ($i = 0; $i -le ($a.length - 1); $i += 2) { $a[$i] }") == "0\n2\n4\n6\n8\n")
  }

  @Test func clearKeepsTheLength() {
    #expect(
      output("$a = 1, 2, 3; $a.Clear(); $a | % { $null -eq $_ }; [int[]] $intA = 1, 2, 3; $intA.Clear(); $intA")
        == "True\nTrue\nTrue\n0\n0\n0\n")
  }

  @Test func arraysOfZeroOrOne() {
    #expect(
      output("$a = $null; $a.Count; $a.Length; $a = 4; $a.Count; $a.Length; $a[0]; $a[-1]") == "0\n0\n1\n1\n4\n4\n")
    #expect(output("$o = [pscustomobject]@{ N = 1 }; $o[0].N; $o[-1].N") == "1\n1\n")
  }

  @Test func whereAndForEachDocExamples() {
    #expect(
      output(
        "(0..9).Where{ $_ % 2 } -join ','; ('hi', '', 'there').Where({$_.Length}) -join ','; (1..50).Where({$_ -gt 10}, 'Until').Count"
      ) == "1,3,5,7,9\nhi,there\n10\n")
    #expect(
      output("$a = @(0 .. 3); $a.ForEach({ $_ * $_}) -join ','; ('one', 'two', 'three').ForEach('ToUpper') -join ','")
        == "0,1,4,9\nONE,TWO,THREE\n")
    #expect(
      output("@('1/1/2017', '2/1/2017').ForEach([datetime]).ForEach({ $_.DayOfWeek }) -join ','")
        == "Sunday,Wednesday\n")
  }

  @Test func multidimensionalArraysAreNotModelled() {
    #expect(failsAsNotModelled("[string[,]]$rank2 = [string[,]]::New(3,2)"))
    #expect(failsAsNotModelled("$d = [System.Collections.Generic.Dictionary[string,int]]::new()"))
  }
}

@Suite struct AboutHashTablesDocExamplesTests {
  @Test func psbaseAndDynamicKeys() {
    #expect(output("$h = @{keys='x'}; $h.keys; $h.PSBase.Keys -join ','; $h.PSBase.Count") == "x\nkeys\n1\n")
    #expect(
      output("$p = @{a=@{n=5}; b=@{n=7}}; ($p.keys | sort | foreach {$p.$_.n}) -join ','; $k = 'a'; $p.($k).n")
        == "5,7\n5\n")
    #expect(
      output("[hashtable]$hash = [ordered]@{ Number = 1; Shape = 'Square' }; $hash.GetType().Name") == "Hashtable\n")
    #expect(
      outputOrError("$a = @{}; [ordered]$a")
        == "ERR: The ordered attribute can be specified only on a hash literal node.")
  }

  @Test func displayingHashTables() {
    #expect(
      output("[ordered]@{ Number = 1; Shape = 'Square' }")
        == "\nName                           Value\n----                           -----\nNumber                         1\nShape                          Square\n\n"
    )
    #expect(
      output("[ordered]@{ Hash2 = @{a=1}; Arr = @(1,2,3) }")
        == "\nName                           Value\n----                           -----\nHash2                          {a}\nArr                            {1, 2, 3}\n\n"
    )
  }
}

@Suite struct AboutTypeConversionDocExamplesTests {
  @Test func numericAndBooleanConversion() {
    #expect(output("$byte = [byte] 42.1; $byte; $byte.GetType().Name; [byte]21.5; [byte]22.5") == "42\nByte\n22\n22\n")
    #expect(
      output(
        "[boolean]0; [boolean]0.0; [boolean]-1; [boolean]1; [boolean]42.1; [boolean]''; [boolean]@(); [boolean]'Hello'")
        == "False\nFalse\nTrue\nTrue\nTrue\nFalse\nFalse\nTrue\n")
    #expect(output("[boolean]@(0); [boolean]@(0,0); [boolean]@{}; [string] @(1, 2, 3)") == "False\nTrue\nTrue\n1 2 3\n")
  }

  @Test func parameterBindingOfArraysToStrings() {
    #expect(output("function Test-String { param([string] $String) $String }; Test-String -String 1, 2") == "1 2\n")
    #expect(
      outputOrError(
        "function Test-String { [CmdletBinding()] param([string] $String) $String }; Test-String -String 1, 2")
        == "ERR: Cannot process argument transformation on parameter 'String'. Cannot convert value to type System.String."
    )
    #expect(
      output("([datetime]'2024-01-15').ToString(@(1, 2)); [int]$foo = '43'; $foo.GetType().Name") == "1 2\nInt32\n")
  }

  @Test func operatorConversions() {
    #expect(
      output(
        "[int]$a = 1; [int]$b = 2; $result = $a / $b; $result; $result.GetType().Name; ([int64]([int]::MaxValue + 1)).GetType().Name"
      ) == "0.5\nDouble\nInt64\n")
    #expect(
      output(
        "10 - ' 9 '; 10 -eq ' 10'; 10 -eq '0xa'; '10' - '2'; '10' / '2'; '10' + '2'; '10' * '2'; $false - $true; $true * 2"
      ) == "1\nTrue\nTrue\n8\n5\n102\n1010\n-1\n2\n")
    #expect(
      outputOrError("$false * $true") == "ERR: The operation '[System.Boolean] * [System.Boolean]' is not defined.")
    #expect(output("$true -in 'true', 'false'; 'true', 'false' -contains $true") == "True\nTrue\n")
  }

  @Test func enumsFromStrings() {
    #expect(output("[System.DayOfWeek]'monday'; [System.DayOfWeek]::Monday -eq 'MONDAY'") == "Monday\nTrue\n")
    #expect(failsAsNotModelled("[System.DayOfWeek]'Monday, Tuesday'"))
  }
}

@Suite struct AboutComparisonOperatorsDocExamplesTests {
  @Test func equalityWithNulls() {
    #expect(
      output("'zzz', 'def', 'zzz' -eq 'zzz'; $a = 1, 2, $null, 4, $null, 6; $null -ne $a; ($a -ne $null) -join ','")
        == "zzz\nzzz\nTrue\n1,2,4,6\n")
  }

  @Test func sortingOrder() {
    #expect(
      output(
        "[DateTime]'2001-11-12' -lt [DateTime]'2020-08-01'; 'a' -lt 'z'; 'macOS' -ilt 'MacOS'; 'MacOS' -ilt 'macOS'; 'macOS' -clt 'MacOS'"
      ) == "True\nTrue\nFalse\nFalse\nTrue\n")
    // No symbol on an American keyboard sorts after 'a'.
    #expect(
      output(
        "$a=' ','`','~','!','@','#','$','%','^','&','*','(',')','_','+','-','=','{','}','[',']',':',';','\"','''','\\','|','/','?','.','>',',','<'; ($a -gt 'a').Count"
      ) == "0\n")
    #expect(
      output("'a1' -lt 'aa'; 'a' -lt 'a1'; '9' -lt 'a'; '_' -lt '0'; ('b', '_x', 'A', '1' | Sort-Object) -join ','")
        == "True\nTrue\nTrue\nTrue\n_x,1,A,b\n")
  }

  @Test func matching() {
    #expect(
      output(
        "'PowerShell' -like 'Power?hell'; 'PowerShell' -like 'Power[p-w]hell'; 'PowerShell' -match 'shell'; 'PowerShell' -like 'shell'"
      ) == "True\nTrue\nTrue\nFalse\n")
    #expect(
      output(
        "('PowerShell', 'Super PowerShell', \"Power's hell\" -match '^Power\\w+') -join ','; ('Rhell', 'Chell', 'Mel', 'Smell', 'Shell' -match 'hell') -join ','"
      ) == "PowerShell\nRhell,Chell,Shell\n")
    #expect(
      output(
        "('Bag', 'Beg', 'Big', 'Bog', 'Bug' -match 'b[iou]g') -join ','; ('Bag', 'Beg', 'Big', 'Bog', 'Bug' -notmatch 'b[iou]g') -join ','; 'bag' -notmatch 'b[iou]g'"
      ) == "Big,Bog,Bug\nBag,Beg\nTrue\n")
    #expect(
      output(
        "$string = 'The last logged on user was CONTOSO\\jsmith'; $string -match 'was (?<domain>.+)\\\\(?<user>.+)'; $Matches.domain; $Matches.user"
      ) == "True\nCONTOSO\njsmith\n")
  }

  @Test func substitutions() {
    #expect(
      output(
        "'Contoso.local\\John.Doe' -replace '^(?<DomainName>[\\w-.]+)\\\\(?<Username>[\\w-.]+)$', '${Username}@${DomainName}'"
      ) == "John.Doe@Contoso.local\n")
    #expect(
      output(
        "'5.72' -replace '(.+)', '$ $1'; '5.72' -replace '(.+)', '$$$1'; '5.72' -replace '(.+)', '$$1'; 'Hello World' -replace '(\\w+) \\w+', '$1 Universe'"
      ) == "$ 5.72\n$5.72\n$1\nHello Universe\n")
    #expect(
      output(
        "$1 = 'Goodbye'; 'Hello World' -replace '(\\w+) \\w+', \"$1 Universe\"; ('B1', 'B2' -replace 'B', 'a') -join ','"
      ) == "Goodbye Universe\na1,a2\n")
    #expect(
      output(
        "'abc' -replace 'b', '[$_]'; 'abc' -replace 'b', '[$`]'; 'abc' -replace 'b', \"[`$']\"; 'abc' -replace '(b)', '[$+]'"
      ) == "a[abc]c\na[a]c\na[c]c\na[b]c\n")
  }

  @Test func containmentWithCollections() {
    #expect(
      output(
        "'abc', 'def', 'ghi' -contains 'abc', 'def'; $a = 'abc', 'def'; 'abc', 'def', 'ghi' -contains $a; $a, 'ghi' -contains $a; $a -in $a, 'ghi'; 'abc', 'def' -notin 'abc', 'def', 'ghi'"
      ) == "False\nFalse\nTrue\nTrue\nTrue\n")
  }
}

@Suite struct AboutNumericLiteralsDocExamplesTests {
  @Test func literalTable() {
    #expect(
      output(
        "100; (100l).GetType().Name; 1e2; 1.e2; (1.e2).GetType().Name; 0x1e2; (0x1e2L).GetType().Name; 0x1e2D; (0x1e2D).GetType().Name"
      ) == "100\nInt64\n100\n100\nDouble\n482\nInt64\n7725\nInt32\n")
    #expect(
      output("482gb; (482gb).GetType().Name; 0x1e2lgb; 1kb; 0x10Gb; 1.4e23tb; 0x12Lpb")
        == "517543559168\nInt64\n517543559168\n1024\n17179869184\n1.5393162788864E+35\n20266198323167232\n")
    #expect(output("1.2L; 1.2345e1L; 1.2345e-5L; (1.2L).GetType().Name") == "1\n12\n0\nInt64\n")
    #expect(failsAsNotModelled("100D"))
    #expect(failsAsNotModelled("1.30Dmb"))
  }

  @Test func membersOfLiterals() {
    #expect(output("2L.GetType().Name; 1.234.GetType().Name; (2).GetType().Name") == "Int64\nDouble\nInt32\n")
    #expect(runScript("2.GetType().Name").exitCode != 0)
  }
}

@Suite struct AboutParsingDocExamplesTests {
  @Test func argumentAndExpressionMode() {
    #expect(
      output("Write-Output !1; Write-Output (!1); Write-Output (2); Write-Output (2).GetType().Name")
        == "!1\nFalse\n2\nInt32\n")
  }
}

@Suite struct IntrinsicMembersTests {
  @Test func typeNames() {
    #expect(
      output(
        "'x'.pstypenames[0]; (1,2).pstypenames -join ','; (1,2).psobject.TypeNames -join ','; @{}.pstypenames -join ','"
      )
        == "System.String\nSystem.Object[],System.Array,System.Object\nSystem.Object[],System.Array,System.Object\nSystem.Collections.Hashtable,System.Object\n"
    )
    #expect(
      output("$o = [pscustomobject]@{a=1}; $o.pstypenames -join ','; (5).pstypenames -join ','")
        == "System.Management.Automation.PSCustomObject,System.Object\nSystem.Int32,System.ValueType,System.Object\n")
  }

  @Test func methodsAreEnumeratedOverElements() {
    #expect(
      output(
        "$x = 'a','b'; $x.ToUpper() -join ','; $x.Substring(0,1) -join ','; ('a,b', 'c').Split(',') -join '|'; @('x').ToUpper()"
      ) == "A,B\na,b\na|b|c\nX\n")
    #expect(outputOrError("@(1, 'a').ToUpper()").hasPrefix("ERR: "))
  }

  @Test func unmodelledIntrinsics() {
    #expect(failsAsNotModelled("'x'.psadapted"))
    #expect(failsAsNotModelled("'x'.psextended"))
    #expect(
      runScript("([pscustomobject]@{a=1}).psobject.Methods.Count").errors.first?.message.contains(
        "WinLab does not model .PSObject.Methods") == true)
  }
}
