import Testing

@testable import PowerShellInterpreter

// about_Arrays and about_Hash_Tables examples, with the output Windows PowerShell 5.1 gives.

@Suite struct AboutArraysTests {
  @Test func creatingArrays() {
    #expect(output("$A = 22,5,10,8,12,9,80; $A.Count; $A.GetType().FullName") == "7\nSystem.Object[]\n")
    #expect(
      output("$B = 5..8; $B -join ','; @().Count; @(1).Count; @(@(1,2)).Count; @($null).Count; @($null, $null).Count")
        == "5,6,7,8\n0\n1\n2\n1\n2\n")
    #expect(
      output("[int32[]]$ia = 1500,2230,3350,4000; $ia.GetType().Name; $ia[0].GetType().Name") == "Int32[]\nInt32\n")
    #expect(output("$a = @(Write-Output 1); $a.GetType().Name; $a.Count") == "Object[]\n1\n")
  }

  @Test func indexingAndSlicing() {
    #expect(
      output("$a = 0..9; $a[0]; $a[-1]; $a[1..3] -join ','; $a[-3..-1] -join ','; $a[2..0] -join ','")
        == "0\n9\n1,2,3\n7,8,9\n2,1,0\n")
    #expect(
      output("$a = 0..9; $a[0,2,4] -join ','; $a[0,2+4..6] -join ','; $a[-1..0] -join ','") == "0,2,4\n0,2,4,5,6\n9,0\n"
    )
    #expect(output("$a = 0..9; $null -eq $a[10]; $null -eq $a[-11]; ($a[8..12]) -join ','") == "True\nTrue\n8,9\n")
    #expect(
      output("$a = @(1, @(2, 3)); $a[1][0]; $a[1].Count; 'abc'[1]; 'abc'[-1]; ('abc'[0..1]) -join ''")
        == "2\n2\nb\nc\nab\n")
    #expect(output("$s = 5; $s[0]; ('abc'[0]).GetType().Name") == "5\nChar\n")
    #expect(outputOrError("$null[0]") == "ERR: Cannot index into a null array.")
  }

  @Test func changingElements() {
    #expect(output("$a = 1,2,3; $a[1] = 'x'; $a -join ','; $a.SetValue(9, 0); $a -join ','") == "1,x,3\n9,x,3\n")
    #expect(outputOrError("$a = 1,2,3; $a[5] = 1") == "ERR: Index was outside the bounds of the array.")
    #expect(
      outputOrError("$a = 1,2; $a.Add(3)")
        == "ERR: Exception calling \"Add\" with \"1\" argument(s): \"Collection was of a fixed size.\"")
  }

  @Test func addingAndMultiplying() {
    #expect(output("$a = 1,2,3; $a += 4; $a -join ','; $b = $a; $a += 5; $b.Count; $a.Count") == "1,2,3,4\n4\n5\n")
    #expect(output("$a = @(); (0..2).ForEach{ $a += $_ }; $a -join ','") == "0,1,2\n")
    #expect(output("$x = 1,2; ($x * 3) -join ','; $x = $x + $x; $x.Count") == "1,2,1,2,1,2\n4\n")
    #expect(output("$a = 'x'; $a += 'y'; $a; $b = @('x'); $b += 'y'; $b -join '+'") == "xy\nx+y\n")
  }

  @Test func arrayMembers() {
    #expect(
      output("$a = 0..9; $a.Count; $a.Length; $a.Rank; $a.IndexOf(3); $a.Contains(3); $a.Contains('3')")
        == "10\n10\n1\n3\nTrue\nFalse\n")
    #expect(
      output("$a = 3,1,2; [array]::Sort($a); $a -join ','; [array]::Reverse($a); $a -join ','; [array]::IndexOf($a, 2)")
        == "1,2,3\n3,2,1\n1\n")
    #expect(output("$a = 'a','b'; $a.GetUpperBound(0); $a.Clone() -join ','") == "1\na,b\n")
  }

  @Test func arrayListAndGenericList() {
    #expect(
      output("$l = [System.Collections.ArrayList]@(1,2); $l.Add(3); $l.Count; $l.Remove(1); $l -join ','")
        == "2\n3\n2,3\n")
    #expect(
      output("$l = New-Object System.Collections.Generic.List[string]; $l.Add('a'); $l.Add('b'); $l.Count; $l[1]")
        == "2\nb\n")
  }

  @Test func membersEnumerateOverElements() {
    #expect(
      output("('a', 'bb', 'ccc').Length -join ','; (@('a', 'bb')).Count; ,('a', 'bb') | ForEach-Object { $_.Count }")
        == "3\n2\n2\n")
    #expect(
      output("$o = [pscustomobject]@{N=1}, [pscustomobject]@{N=2}; $o.N -join ','; ($o.Missing).Count") == "1,2\n0\n")
  }

  @Test func arraysInPipelinesAndStrings() {
    #expect(output("\"$(1,2,3)\"; $OFS = '-'; \"$(1,2,3)\"; [string](4,5)") == "1 2 3\n1-2-3\n4-5\n")
    #expect(output("$a = 1,2,3; $a | ForEach-Object { $_ * 2 }") == "2\n4\n6\n")
  }
}

@Suite struct AboutHashTablesTests {
  @Test func creatingAndReading() {
    #expect(
      output("$hash = @{ Number = 1; Shape = 'Square'; Color = 'Blue'}; $hash.Number; $hash['Shape']; $hash.Count")
        == "1\nSquare\n3\n")
    #expect(
      output(
        "$hash = @{ Number = 1; Shape = 'Square'}; ($hash.Keys | Sort-Object) -join ','; ($hash.Values | Sort-Object { \"$_\" }) -join ','"
      ) == "Number,Shape\n1,Square\n")
    #expect(
      output("$h = @{}; $h.GetType().FullName; $h.Count; $h = @{ a = 1 }; $h.a.GetType().Name")
        == "System.Collections.Hashtable\n0\nInt32\n")
    #expect(
      output("$h = @{ 'a.b' = 1; 'my key' = 2 }; $h.'a.b'; $h['a.b']; $h.'my key'; $null -eq $h.a.b")
        == "1\n1\n2\nTrue\n")
  }

  @Test func orderedDictionaries() {
    #expect(
      output("$o = [ordered]@{ b = 2; a = 1; c = 3 }; $o.Keys -join ','; $o.Values -join ','; $o.GetType().Name")
        == "b,a,c\n2,1,3\nOrderedDictionary\n")
    #expect(output("$o = [ordered]@{ b = 2; a = 1 }; $o[0]; $o[1]; $o['a']; $o.a") == "2\n1\n1\n1\n")
    #expect(output("$o = [ordered]@{}; $o.x = 1; $o.Insert(0, 'y', 2); $o.Keys -join ','") == "y,x\n")
  }

  @Test func caseInsensitiveKeys() {
    #expect(
      output("$h = @{ Name = 'x' }; $h.name; $h['NAME']; $h.ContainsKey('nAmE'); $h.NAME = 'y'; $h.Count; $h.Name")
        == "x\nx\nTrue\n1\ny\n")
    #expect(
      outputOrError("$h = @{ a = 1; A = 2 }").hasPrefix("ERR: Duplicate keys 'A' are not allowed in hash literals."))
  }

  @Test func keysOfOtherTypes() {
    #expect(
      output("$h = @{ 1 = 'one' }; $h[1]; $null -eq $h['1']; $h.Keys | ForEach-Object { $_.GetType().Name }")
        == "one\nTrue\nInt32\n")
    #expect(output("$h = @{}; $h[2] = 'two'; $h['2'] = 'zwei'; $h.Count") == "2\n")
  }

  @Test func addingAndRemoving() {
    #expect(
      output(
        "$h = @{}; $h.Add('Time', 'Now'); $h['Day'] = 'Mon'; $h.Shape = 'Round'; $h.Count; $h.Remove('Time'); $h.Count; $h.ContainsKey('Time')"
      ) == "3\n2\nFalse\n")
    #expect(
      output("$h = @{a=1}; $h.ContainsValue(1); $h.Contains('a'); $h.Remove('missing'); $h.Count; $h.Clear(); $h.Count")
        == "True\nTrue\n1\n0\n")
    #expect(
      outputOrError("$h = @{a=1}; $h.Add('a', 2)")
        == "ERR: Exception calling \"Add\" with \"2\" argument(s): \"Item has already been added. Key in dictionary: 'a'  Key being added: 'a'\""
    )
  }

  @Test func enumerating() {
    #expect(
      output(
        "$h = @{ b = 2; a = 1 }; $h.GetEnumerator() | Sort-Object Name | ForEach-Object { \"$($_.Key)=$($_.Value) $($_.Name)\" }"
      ) == "a=1 a\nb=2 b\n")
    #expect(
      output("$h = @{ b = 2; a = 1 }; ($h.GetEnumerator() | Sort-Object Value | Select-Object -First 1).Key") == "a\n")
    #expect(
      output("$h = @{ a = 1; b = 2 }; foreach ($k in $h.Keys | Sort-Object) { \"$k=$($h[$k])\" }") == "a=1\nb=2\n")
    // A hashtable is one object in a pipeline.
    #expect(output("$h = @{ a = 1; b = 2 }; ($h | Measure-Object).Count; @($h).Count") == "1\n1\n")
  }

  @Test func nestedAndMembers() {
    #expect(output("$h = @{ a = @{ b = 2 } }; $h.a.b; $h['a']['b']; $h.a.c = 3; $h.a.Count") == "2\n2\n2\n")
    #expect(output("$h = @{ Count = 5 }; $h.Count; $h.Keys.Count; \"$h\"") == "5\n1\nSystem.Collections.Hashtable\n")
    #expect(output("$p = [pscustomobject]@{ z = 1; a = 2 }; $p.psobject.Properties.Name -join ','") == "z,a\n")
  }

  @Test func splatting() {
    #expect(
      output(
        "$p = @{ InputObject = 'x' }; Write-Output @p; $q = @{ Object = 'a', 'b'; Separator = '-' }; Write-Host @q")
        == "x\na-b\n")
  }
}
