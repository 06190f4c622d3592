import Foundation
import Testing

@testable import PowerShellInterpreter

@Suite struct PerformanceTests {
  /// A ~300-line script shaped like the collector: request tables, helper functions, try/catch, pipelines, JSON.
  static let script: String = {
    var lines = [
      "$ProgressPreference = 'SilentlyContinue'", "$ErrorActionPreference = 'Stop'", "$requests = @(",
    ]
    for index in 0..<60 {
      lines.append(
        "  [ordered]@{ id = 'fact\(index)'; kind = 'registry'; path = 'HKLM:\\SYSTEM\\Key\(index)'; name = 'Value\(index)' }"
      )
    }
    lines.append(")")
    for index in 0..<20 {
      lines += [
        "function Get-Fact\(index) {",
        "  param($Request, [int]$Offset = \(index))",
        "  $entry = [ordered]@{ id = $Request['id']; value = $null; ok = $true }",
        "  try {",
        "    $values = @(1..20 | Where-Object { $_ % 2 -eq 0 } | ForEach-Object { $_ * $Offset })",
        "    $entry['value'] = ($values | Measure-Object -Sum).Sum",
        "    if ($entry['value'] -gt 1000) { throw ('too big ' + $Request['id']) }",
        "  } catch {",
        "    $entry['ok'] = $false",
        "    $entry['error'] = $_.Exception.Message",
        "  }",
        "  return $entry",
        "}",
      ]
    }
    lines += [
      "$facts = [ordered]@{}",
      "$i = 0",
      "foreach ($request in $requests) {",
      "  $name = 'Get-Fact' + ($i % 20)",
      "  $facts[$request['id']] = & $name -Request $request",
      "  $i += 1",
      "}",
      "$doc = [ordered]@{ schema = 1; host = [Environment]::MachineName; facts = $facts }",
      "Write-Output ($doc | ConvertTo-Json -Depth 10 -Compress)",
    ]
    return lines.joined(separator: "\n")
  }()

  /// Runs a collector-sized script and prints how long it took: a figure, not a bound (a wall-clock limit fails on a
  /// loaded machine; timings belong in Samples/bench).
  @Test func collectorSizedScriptRuns() {
    #expect(PerformanceTests.script.split(separator: "\n").count >= 300)
    _ = runScript(PerformanceTests.script)
    let start = Date()
    let result = runScript(PerformanceTests.script)
    let milliseconds = Date().timeIntervalSince(start) * 1000
    #expect(result.exitCode == 0)
    #expect(
      result.stdout.hasPrefix(
        "{\"schema\":1,\"host\":\"LAB-01\",\"facts\":{\"fact0\":{\"id\":\"fact0\",\"value\":0,\"ok\":true}"))
    #expect(result.stdout.contains("\"error\":\"too big fact"))
    print("collector-sized script: \(Int(milliseconds)) ms")
  }
}
