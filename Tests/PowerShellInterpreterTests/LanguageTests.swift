import Testing

@testable import PowerShellInterpreter

@Suite struct StringTests {
  @Test func expansionAndEscapes() {
    #expect(output("$n = 'w'; \"a $n b ${n}x $($n.ToUpper()) `$n `t|\"") == "a w b wx W $n \t|\n")
    #expect(output("$h = @{k='v'}; \"v=$($h.k) raw=$h.k\"") == "v=v raw=System.Collections.Hashtable.k\n")
    #expect(output("\"say \"\"hi\"\" `\"x`\"\"") == "say \"hi\" \"x\"\n")
    #expect(output("\"arr: $(1,2,3)\"") == "arr: 1 2 3\n")
  }

  @Test func singleQuotesAndLookAlikes() {
    #expect(output("'it''s'") == "it's\n")
    // U+2018..U+201B open, close and escape single-quoted strings like '.
    #expect(output("\u{2018}a\u{2019}") == "a\n")
    #expect(output("'x\u{2019}\u{2019}y'") == "x\u{2019}y\n")
    #expect(output("\u{201A}q\u{201B}") == "q\n")
    #expect(output("'a\u{2019}; Write-Output 'b'") == "a\nb\n")
  }

  @Test func hereStrings() {
    #expect(output("$v = 1\n@\"\nv=$v\n\"@\n@'\nv=$v\n'@") == "v=1\nv=$v\n")
  }

  @Test func formatOperator() {
    #expect(
      output("'{0:N2}|{1,-4}|{1,4}|{2:D3}|{3:X2}|{{x}}' -f 1234.567, 'ab', 7, 255") == "1,234.57|ab  |  ab|007|FF|{x}\n"
    )
    #expect(output("'{0:0.0}' -f 2.25") == "2.3\n")
  }

  @Test func likeMatchReplaceSplit() {
    #expect(output("'Server2019' -like 'server*'; 'abc' -clike 'A*'; 'a[b' -like 'a`[b'") == "True\nFalse\nTrue\n")
    #expect(output("if ('Port: 3389' -match 'port: (?<p>\\d+)') { $Matches.p; $Matches[0] }") == "3389\nPort: 3389\n")
    #expect(
      output("'a1b22' -replace '\\d+', '#'; 'John Smith' -replace '(\\w+) (\\w+)', '$2, $1'") == "a#b#\nSmith, John\n")
    #expect(output("('a, b,c' -split ',\\s*').Count; ('x' -split ',').GetType().FullName") == "3\nSystem.String[]\n")
    #expect(output("'a-b--c'.Split('--').Count") == "4\n")
  }

  @Test func stringMethods() {
    #expect(
      output("' x '.Trim() + '|'; 'abc'.ToUpper(); 'abc'.Contains('b'); 'abc'.StartsWith('A'); 'abc'.Substring(1)")
        == "x|\nABC\nTrue\nFalse\nbc\n")
    #expect(output("'a.b.c'.Replace('.', '/'); 'abc'.IndexOf('c'); 'abc'.Length") == "a/b/c\n2\n3\n")
  }
}

@Suite struct OperatorTests {
  @Test func leftOperandDecidesConversion() {
    #expect(
      output("'5' + 1; 5 + '1'; '1' -eq 1; 1 -eq '01'; 'a' -eq 'A'; 'a' -ceq 'A'") == "51\n6\nTrue\nTrue\nTrue\nFalse\n"
    )
  }

  @Test func arraysOnTheLeftFilter() {
    #expect(
      output("(1,2,3,4 -gt 2) -join ','; (@('a','b','a') -eq 'a').Count; @(1,2) -contains 2; 3 -in 1,2")
        == "3,4\n2\nTrue\nFalse\n")
  }

  @Test func arithmetic() {
    #expect(
      output("7 / 2; 6 / 2; 7 % 3; 2147483647 + 1; (6/2).GetType().Name; 1.5 * 2")
        == "3.5\n3\n1\n2147483648\nInt32\n3\n")
    #expect(output("1..3 -join ','; 3..1 -join ','") == "1,2,3\n3,2,1\n")
  }

  @Test func typeOperators() {
    #expect(
      output("5 -is [int]; 5L -is [long]; '5' -is [string]; @() -is [array]; '7' -as [int]; 'x' -as [int]")
        == "True\nTrue\nTrue\nTrue\n7\n")
    #expect(
      output("[int]'42' + 1; [string]5 + 1; [bool]'false'; [bool]0; [long]3 -is [long]")
        == "43\n51\nTrue\nFalse\nTrue\n")
    #expect(output("[version]'10.0.17763' -gt [version]'6.3'; ([version]'5.1.2').Minor") == "True\n1\n")
  }

  @Test func logical() {
    #expect(
      output("$true -and $false; $true -or $false; -not $true; !$false; $null -eq $null")
        == "False\nTrue\nFalse\nTrue\nTrue\n")
  }
}

@Suite struct ArrayTests {
  @Test func functionOutputUnrolling() {
    let script = """
      function One { @(1) }
      function KeepArray { ,@(1) }
      function None { }
      (One).GetType().Name
      (KeepArray).GetType().Name
      $n = None; $null -eq $n
      $e = @(); $e.Count
      @(One).Count
      """
    #expect(output(script) == "Int32\nObject[]\nTrue\n0\n1\n")
  }

  @Test func memberEnumerationAndIndexing() {
    let script = """
      $rules = @([pscustomobject]@{Name='r1'; Port=1}, [pscustomobject]@{Name='r2'; Port=2})
      $rules.Name -join ','
      $rules[-1].Name
      $rules[0,1].Port -join '+'
      $one = @([pscustomobject]@{Name='only'}); $one.Name.GetType().Name
      """
    #expect(output(script) == "r1,r2\nr2\n1+2\nString\n")
  }

  @Test func collectionsAndPlusEquals() {
    let script = """
      $a = @(); $a += 1; $a += 2; $a.Count
      $l = New-Object System.Collections.ArrayList; $l.Add('x'); [void]$l.Add('y'); $l.Count
      $g = [System.Collections.Generic.List[object]]::new(); $g.Add(5); $g.Count
      $f = @(1,2); try { $f.Add(3) } catch { $_.Exception.Message }
      """
    #expect(
      output(script)
        == "2\n0\n2\n1\nException calling \"Add\" with \"1\" argument(s): \"Collection was of a fixed size.\"\n")
  }

  @Test func hashtables() {
    let script = """
      $h = @{ Name = 'n'; Count = 3 }
      $h.name; $h['NAME']; $h.Keys.Count
      $h.Add('x', 1); $h.ContainsKey('X')
      try { $h.Add('X', 2) } catch { $_.Exception.GetType().FullName }
      $o = [ordered]@{ z = 1; a = 2 }; $o.Keys -join ','
      $p = [pscustomobject]@{ z = 1; a = 2 }; ($p.PSObject.Properties | ForEach-Object { $_.Name }) -join ','
      """
    #expect(output(script) == "n\nn\n2\nTrue\nSystem.Management.Automation.MethodInvocationException\nz,a\nz,a\n")
  }
}

@Suite struct ScopeAndFlowTests {
  @Test func scopes() {
    let script = """
      $x = 1
      function Change { $x = 2; $script:y = 3; $global:z = 4; "in: $x" }
      Change
      "out: $x $y $z"
      & { $x = 9 }; "after & : $x"
      . { $x = 8 }; "after . : $x"
      1..2 | ForEach-Object { $last = $_ }; "foreach-object: $last"
      """
    #expect(output(script) == "in: 2\nout: 1 3 4\nafter & : 1\nafter . : 8\nforeach-object: 2\n")
  }

  @Test func functionParameters() {
    let script = """
      function F { param([string]$Name, [int]$Count = 3, [switch]$Force) "$Name $Count $Force" }
      F -Name a
      F b 5 -Force
      F -N c -C 7
      function G($a, $b) { "$a+$b+$($args -join ',')" }
      G 1 2 3 4
      $p = @{ Name = 'splat'; Count = 1 }; F @p
      """
    #expect(output(script) == "a 3 False\nb 5 True\nc 7 False\n1+2+3,4\nsplat 1 False\n")
  }

  @Test func loopsAndSwitch() {
    let script = """
      foreach ($i in 1..5) { if ($i -eq 2) { continue }; if ($i -eq 4) { break }; $i }
      $n = 0; do { $n++ } until ($n -ge 3); $n
      switch (1, 2, 3) { 2 { 'two' } default { "d$_" } }
      switch -wildcard ('RemoteDesktop-UserMode-In-TCP') { '*-TCP' { 'tcp' } '*-UDP' { 'udp' } }
      :outer foreach ($a in 1..3) { foreach ($b in 1..3) { if ($b -eq 2) { continue outer }; "$a$b" } }
      """
    #expect(output(script) == "1\n3\n3\nd1\ntwo\nd3\ntcp\n11\n21\n31\n")
  }

  @Test func returnAndPipelineFunctions() {
    let script = """
      function R { 'a'; return 'b'; 'c' }
      (R) -join ','
      function Double { process { $_ * 2 } }
      (1, 2, 3 | Double) -join ','
      function Total { $sum = 0; foreach ($v in $input) { $sum += $v }; $sum }
      1, 2, 3 | Total
      """
    #expect(output(script) == "a,b\n2,4,6\n6\n")
  }
}

@Suite struct CmdletTests {
  @Test func selectSortMeasureGroup() {
    let script = """
      $items = 3, 1, 2 | ForEach-Object { [pscustomobject]@{ N = $_; Even = ($_ % 2 -eq 0) } }
      ($items | Sort-Object N | ForEach-Object N) -join ','
      ($items | Sort-Object N -Descending | Select-Object -First 1).N
      ($items | Select-Object -Property N, @{Name='Twice'; Expression={ $_.N * 2 }} | Select-Object -Last 1).Twice
      ($items | Measure-Object -Property N -Sum -Maximum).Sum
      ($items | Measure-Object).Count
      ($items | Group-Object Even | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ';'
      (1, 1, 2 | Select-Object -Unique) -join ','
      (2, 1, 2 | Sort-Object -Unique) -join ','
      """
    #expect(output(script) == "1,2,3\n3\n4\n6\n3\nFalse=2;True=1\n1,2\n1,2\n")
  }

  @Test func whereObjectForms() {
    let script = """
      $s = @([pscustomobject]@{ Name = 'TermService'; Status = 'Running' }, [pscustomobject]@{ Name = 'Spooler'; Status = 'Stopped' })
      ($s | Where-Object Status -eq 'running').Name
      ($s | Where-Object -Property Name -Like 'S*').Name
      ($s | ? { $_.Name -match 'term' }).Status
      ($s | ForEach-Object -MemberName Name) -join ','
      """
    #expect(output(script) == "TermService\nSpooler\nRunning\nTermService,Spooler\n")
  }

  @Test func datesAreDeterministic() {
    let script = """
      $d = Get-Date
      $d.ToString('yyyy-MM-dd HH:mm:ss')
      [DateTime]::UtcNow.ToString('o')
      ($d.AddDays(-10) -lt $d)
      ((Get-Date) - $d.AddHours(-36)).TotalDays
      """
    let result = runScript(script)
    #expect(result.stdout == "2023-11-14 22:13:20\n2023-11-14T22:13:20.0000000Z\nTrue\n1.5\n")
  }

  @Test func writeHostAndOutString() {
    #expect(output("Write-Host 'a' 'b'; Write-Output 'c'; Write-Host -NoNewline 'd'; Write-Host 'e'") == "a b\nc\nde\n")
    #expect(output("(1, 2 | Out-String) -eq \"1`r`n2`r`n\"") == "True\n")
  }
}

@Suite struct UtilityCmdletTests {
  @Test func pathsAndTimeSpans() {
    let script = """
      Split-Path 'C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys'
      Split-Path 'C:\\ProgramData\\x.txt' -Leaf
      Join-Path 'C:\\ProgramData\\' 'winaudit'
      (New-TimeSpan -Days 1 -Hours 12).TotalHours
      (New-TimeSpan -Start (Get-Date).AddMinutes(-90) -End (Get-Date)).TotalMinutes
      """
    #expect(output(script) == "C:\\ProgramData\\Microsoft\\Crypto\\RSA\nx.txt\nC:\\ProgramData\\winaudit\n36\n90\n")
  }

  @Test func regexEscapeAndOrderedPositions() {
    #expect(output("[regex]::Escape('a.b [x] #z')") == "a\\.b\\ \\[x]\\ \\#z\n")
    #expect(output("$o = [ordered]@{ a = 'first'; b = 'second' }; $o[1]; $o['a']") == "second\nfirst\n")
  }

  @Test func formatList() {
    #expect(output("[pscustomobject]@{ A = 1; Bee = 'two' } | Format-List") == "\nA   : 1\nBee : two\n\n")
  }
}
