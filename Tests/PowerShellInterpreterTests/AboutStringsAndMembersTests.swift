import Testing

@testable import PowerShellInterpreter

// String methods, the -f and -split operators (about_Split), intrinsic members (about_Intrinsic_Members) and
// argument mode (about_Parsing), with the output Windows PowerShell 5.1 gives.

@Suite struct AboutSplitTests {
  @Test func delimiters() {
    #expect(
      output("(-split 'red yellow blue green') -join '|'; ('Lastname:FirstName:Address' -split ':') -join '|'")
        == "red|yellow|blue|green\nLastname|FirstName|Address\n")
    #expect(
      output("('Lastname:FirstName:Address' -split '(:)') -join '|'; ('abcdefghi' -split '(d)(e)') -join '|'")
        == "Lastname|:|FirstName|:|Address\nabc|d|e|fghi\n")
    #expect(output("('a1b2c3' -split '\\d') -join '|'; ('a1b2c3' -split '\\d').Count") == "a|b|c|\n4\n")
  }

  @Test func maxSubstrings() {
    #expect(
      output("$c = 'Mercury,Venus,Earth,Mars,Jupiter,Saturn,Uranus,Neptune'; ($c -split ',', 5) -join '|'")
        == "Mercury|Venus|Earth|Mars|Jupiter,Saturn,Uranus,Neptune\n")
    #expect(output("('a,b,c' -split ',', 0) -join '|'; ('a,b,c' -split ',', 1) -join '|'") == "a|b|c\na,b,c\n")
    #expect(failsAsNotModelled("'a,b,c' -split ',', -2"))
  }

  @Test func capturedDelimitersDoNotCount() {
    #expect(
      output("('Chocolate-Vanilla-Strawberry-Blueberry' -split '(-)', 3) -join '|'")
        == "Chocolate|-|Vanilla|-|Strawberry-Blueberry\n")
    #expect(output("(\"a,b,c,d\", \"e,f,g,h\" -split \",\", 3) -join '|'") == "a|b|c,d|e|f|g,h\n")
    #expect(output("$r = -split \"1 2\", \"a b\"; $r.Count; $r[0] -join '|'; $r[1]") == "2\n1|2\na b\n")
    #expect(
      output("('This.is.a.test' -split '\\.') -join '|'; ('Lastname/:/FirstName' -split '/(:)/') -join '|'")
        == "This|is|a|test\nLastname|:|FirstName\n")
  }

  @Test func caseSensitivity() {
    #expect(
      output(
        "('aBcBd' -split 'b') -join '|'; ('aBcBd' -csplit 'b') -join '|'; ('aBcbd' -csplit 'b') -join '|'; ('aBcBd' -isplit 'b') -join '|'"
      ) == "a|c|d\naBcBd\naBc|d\na|c|d\n")
  }

  @Test func options() {
    #expect(
      output("('a.b.c' -split '.', 0, 'SimpleMatch') -join '|'; ('a.b.c' -split '.', 2, 'SimpleMatch') -join '|'")
        == "a|b|c\na|b.c\n")
    #expect(
      output(
        "('a*b' -split '*', 0, 'SimpleMatch,IgnoreCase') -join '|'; ('aXbxc' -csplit 'x', 0, 'IgnoreCase') -join '|'")
        == "a|b\na|b|c\n")
    #expect(
      output(
        "('a b' -split 'a b', 0, 'RegexMatch').Count; ('a1 b2' -split '\\d # digit', 0, 'IgnorePatternWhitespace') -join '|'"
      ) == "2\na| b|\n")
    #expect(output("$s = \"one`ntwo\"; ($s -split '^t', 0, 'Multiline') -join '|'") == "one\n|wo\n")
    #expect(
      runScript("'a' -split 'a', 0, 'SimpleMatch,Multiline'").errors.first?.fullyQualifiedErrorId
        == "InvalidSplitOptionCombination")
    #expect(
      runScript("'a' -split 'a', 0, 'Singleline,Multiline'").errors.first?.fullyQualifiedErrorId
        == "InvalidSplitOptionCombination")
    #expect(failsAsNotModelled("'a' -split 'a', 0, 'ExplicitCapture'"))
  }

  @Test func scriptBlockDelimiter() {
    #expect(
      output("$c = 'Mercury,Venus,Earth'; ($c -split { $_ -eq 'e' -or $_ -eq 'u' }) -join '|'")
        == "M|rc|ry,V|n|s,|arth\n")
    #expect(output("('a1b2c' -split { $_ -match '\\d' }, 2) -join '|'") == "a|b2c\n")
  }
}

@Suite struct StringMethodTests {
  @Test func split() {
    #expect(
      output(
        "'a,b,,c'.Split(',').Count; 'a,b,,c'.Split(',', [StringSplitOptions]::RemoveEmptyEntries).Count; 'a b'.Split().Count"
      ) == "4\n3\n2\n")
    #expect(
      output(
        "'a1b2c'.Split('12') -join '|'; 'a,b,c'.Split(',', 2) -join '|'; 'a--b'.Split([string[]]@('--'), 'None') -join '|'"
      ) == "a|b|c\na|b,c\na|b\n")
    #expect(
      output("'a,b;c'.Split([char[]]',;') -join '|'; 'a,,b'.Split(',', 'RemoveEmptyEntries') -join '|'")
        == "a|b|c\na|b\n")
  }

  @Test func padAndTrim() {
    #expect(
      output("'5'.PadLeft(3, '0'); 'ab'.PadRight(4) + '|'; 'abc'.PadLeft(2); '7'.PadLeft(3)")
        == "005\nab  |\nabc\n  7\n")
    #expect(
      output("'  x  '.TrimStart() + '|'; 'xxhixx'.Trim('x'); '--a--'.TrimEnd('-'); 'abcba'.Trim('a', 'b')")
        == "x  |\nhi\n--a\nc\n")
  }

  @Test func searchAndSlice() {
    #expect(
      output(
        "'Hello'.Substring(1, 3); 'hello'.IndexOf('l'); 'hello'.LastIndexOf('l'); 'hello'.IndexOf('l', 3); 'hello'.IndexOf('z')"
      ) == "ell\n2\n3\n3\n-1\n")
    #expect(
      output("'hello'.Replace('l', 'L'); 'hello'.Insert(2, '--'); 'hello'.Remove(1, 2); 'hello'.Remove(2)")
        == "heLLo\nhe--llo\nhlo\nhe\n")
    #expect(
      output(
        "'Hello'.StartsWith('he'); 'Hello'.StartsWith('he', 'CurrentCultureIgnoreCase'); 'hello'.EndsWith('LO'); 'hello'.Contains('ell'); 'hello'.Contains('ELL')"
      ) == "False\nTrue\nFalse\nTrue\nFalse\n")
    #expect(
      output(
        "'abc'.ToCharArray().Count; 'abc'.Equals('ABC'); 'abc'.Equals('ABC', 'OrdinalIgnoreCase'); 'Tab'.ToLower(); 'abc'.Length"
      ) == "3\nFalse\nTrue\ntab\n3\n")
    #expect(output("'abc'.CompareTo('abd'); 'b'.CompareTo('a'); 'a'.CompareTo('a')") == "-1\n1\n0\n")
    #expect(
      outputOrError("'abc'.Substring(5)").hasPrefix(
        "ERR: Exception calling \"Substring\" with \"1\" argument(s): \"startIndex cannot be larger than length of string."
      ))
  }

  @Test func staticStringMethods() {
    #expect(
      output(
        "[string]::Format('{0}-{1}', 'a', 'b'); [string]::Join(',', @(1, 2)); [string]::IsNullOrEmpty(''); [string]::IsNullOrWhiteSpace(' '); [string]::Concat('a', 'b')"
      ) == "a-b\n1,2\nTrue\nTrue\nab\n")
    #expect(
      output("[string]::IsNullOrEmpty($null); [string]::Empty -eq ''; [string]::Equals('a', 'A')")
        == "True\nTrue\nFalse\n")
  }
}

@Suite struct FormatOperatorTests {
  @Test func alignmentAndNumbers() {
    #expect(
      output("'{0,5}|{1,-5}|' -f 'ab', 'cd'; '{0:N0}' -f 1234567; '{0:X}' -f 255; '{0:x4}' -f 255; '{0:D5}' -f 42")
        == "   ab|cd   |\n1,234,567\nFF\n00ff\n00042\n")
    #expect(
      output("'{0:F2}' -f 3.14159; '{0:0.00}' -f 2.5; '{0:#,##0}' -f 1234; '{0:00}' -f 5; '{0,-8:N1}|' -f 3.14159")
        == "3.14\n2.50\n1,234\n05\n3.1     |\n")
    #expect(output("'{0:E2}' -f 12345; '{0:N2}' -f -1234.5") == "1.23E+004\n-1,234.50\n")
  }

  @Test func argumentsAndEscapes() {
    #expect(
      output("'{0}' -f $null; '{{0}}' -f 1; '{1}{0}' -f 'a', 'b'; '{0}' -f (1, 2); '{0}' -f ,(1, 2)")
        == "\n{0}\nba\n1\nSystem.Object[]\n")
    #expect(
      outputOrError("'{0} {1}' -f 'a'").hasPrefix(
        "ERR: Error formatting a string: Index (zero based) must be greater than or equal to zero and less than the size of the argument list."
      ))
    #expect(
      output("'{0} is {1:yyyy}' -f 'year', [datetime]'2024-05-01'; '{0}' -f $true; '{0}' -f 1.50")
        == "year is 2024\nTrue\n1.5\n")
  }
}

@Suite struct AboutIntrinsicMembersTests {
  @Test func whereModes() {
    #expect(
      output(
        "(1..10).Where({ $_ % 2 }) -join ','; (1..10).Where({ $_ -gt 5 }, 'First'); (1..10).Where({ $_ -gt 5 }, 'First', 2) -join ','"
      ) == "1,3,5,7,9\n6\n6,7\n")
    #expect(
      output(
        "(1..10).Where({ $_ -gt 5 }, 'Last'); (1..10).Where({ $_ -gt 5 }, 'Last', 2) -join ','; (1..10).Where({ $_ -gt 5 }, 'Default', 3) -join ','"
      ) == "10\n9,10\n6,7,8\n")
    #expect(
      output(
        "(1..6).Where({ $_ -gt 3 }, 'SkipUntil') -join ','; (1..6).Where({ $_ -gt 3 }, 'Until') -join ','; (1..6).Where({ $_ -eq 3 }, 'SkipUntil', 2) -join ','"
      ) == "4,5,6\n1,2,3\n3,4\n")
    #expect(
      output("$big, $small = (1..6).Where({ $_ -gt 3 }, 'Split'); $big -join ','; $small -join ','") == "4,5,6\n1,2,3\n"
    )
    #expect(output("(1..3).Where{ $_ -ne 2 } -join ','") == "1,3\n")
  }

  @Test func forEachForms() {
    #expect(
      output(
        "(1..3).ForEach({ $_ * 2 }) -join ','; (1..3).ForEach{ $_ + 1 } -join ','; ('a', 'b').ForEach('ToUpper') -join ','"
      ) == "2,4,6\n2,3,4\nA,B\n")
    #expect(
      output(
        "('ab', 'c').ForEach('Length') -join ','; (1, '2').ForEach([string]).ForEach({ $_.GetType().Name }) -join ','; ('1', '2').ForEach([int])[1] + 1"
      ) == "2,1\nString,String\n3\n")
    #expect(output("(1..3).ForEach({ param($m) $_ * $m }, 10) -join ','") == "10,20,30\n")
  }

  @Test func scalarsAndNull() {
    #expect(
      output("(5).Count; (5).Length; 'abc'.Count; $null.Count; $null.Length; @{ a = 1 }.Count; (Get-Date).Count")
        == "1\n1\n1\n0\n0\n1\n1\n")
    #expect(
      output("(5).ForEach({ $_ * 2 }); 'x'.Where({ $_ -eq 'x' }); @($null).ForEach({ 'ran' }).Count") == "10\nx\n1\n")
    #expect(output("$x = 5; $x[0]; $x.Where({ $true }).Count") == "5\n1\n")
  }

  @Test func psobjectMember() {
    #expect(
      output(
        "(5).psobject.TypeNames[0]; ([pscustomobject]@{ a = 1 }).psobject.Properties.Name; 'x'.psobject.BaseObject")
        == "System.Int32\na\nx\n")
  }
}

@Suite struct AboutParsingTests {
  @Test func argumentModeTokens() {
    #expect(
      output("Write-Output 2+2; Write-Output (2+2); $a = 2; Write-Output $a+1; Write-Output '$a'; Write-Output \"$a\"")
        == "2+2\n4\n2+1\n$a\n2\n")
    #expect(
      output(
        "Write-Output 7 | ForEach-Object { $_.GetType().Name }; Write-Output 0x10; Write-Output 1kb; Write-Output -5 | ForEach-Object { $_ + 1 }"
      ) == "Int32\n16\n1024\n-4\n")
    #expect(
      output("Write-Output 1a | ForEach-Object { $_.GetType().Name }; Write-Output a,b; Write-Output a' 'b")
        == "String\na\nb\na b\n")
    #expect(
      output("$s = 'abc'; Write-Output $s.Length; Write-Output $s.ToUpper(); Write-Output a`tb") == "3\nABC\na\tb\n")
    #expect(output("Write-Output `\n  'continued'") == "continued\n")
  }

  @Test func expressionModeTokens() {
    #expect(output("2+2; '2'+2; 2+'2'; \"a\" + 1 + 2; 1 + 2 + '3'") == "4\n22\n4\na12\n6\n")
    #expect(output("$a = 'x'; \"$a.Length\"; \"$($a.Length)\"; \"$a[0]\"; \"${a}y\"") == "x.Length\n1\nx[0]\nxy\n")
  }

  @Test func stopParsingIsNotModelled() {
    #expect(failsAsNotModelled("Write-Output --% $a"))
  }
}
