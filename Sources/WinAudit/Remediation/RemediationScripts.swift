import Foundation

/// The one builder of every PowerShell script remediation sends: the pre-read, the apply script and the rollback
/// script. The fixed parts (the read functions the audit uses too, result lines, the host lock) are the embedded
/// `.ps1` files; the generated parts are calls with `PowerShellValue` arguments.
public enum RemediationScripts {
  /// Exit code of an apply or rollback script whose step failed (the remaining steps did not run).
  public static let stepFailedExitCode: Int32 = 3
  /// Exit code of an apply or rollback script that found another run's lock on the host.
  public static let lockHeldExitCode: Int32 = 5
  /// The registry key that marks a host as being changed by a winaudit run.
  public static let lockKey = #"HKLM:\SOFTWARE\winaudit\Lock"#
  /// The lock key's parent, created with the lock and removed with it when nothing else is in it.
  public static let lockParentKey = #"HKLM:\SOFTWARE\winaudit"#

  /// The start of every remediation script: strict errors, no progress bars, the shared read functions, the
  /// functions `reads` call, result lines and the lock.
  static func prelude(_ reads: [HostRead]) -> [String] {
    var functions: [CollectorFunction] = []
    for function in reads.flatMap(\.functions) where !functions.contains(function) { functions.append(function) }
    return [
      "$ErrorActionPreference = 'Stop'", "$ProgressPreference = 'SilentlyContinue'", EmbeddedScripts.collectorCommon,
    ]
      + functions.map(\.text) + [EmbeddedScripts.remediationCommon]
  }

  // MARK: Pre-read

  /// A script that prints one JSON object whose `reads` list holds what each read returned, in order.
  ///
  /// With `lock` (an apply run) it first takes the host lock for `lock.runID`, so the host cannot change between this
  /// read and the apply; when another run holds the lock it prints only the lock line and exits 5.
  static func preRead(_ reads: [HostRead], lock: HostLock? = nil) -> String {
    var lines = prelude(reads)
    if let lock { lines.append(takeLock(lock)) }
    lines.append("$waReads = @(")
    lines += reads.enumerated().map { "  (\($0.element.expression))" + ($0.offset == reads.count - 1 ? "" : ",") }
    lines.append(")")
    lines.append("Write-Output (ConvertTo-WinAuditJson -Value ([ordered]@{ reads = $waReads }) -Depth 8)")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The results of a pre-read, by read: the last line of its output is the JSON document.
  static func results(of reads: [HostRead], stdout: String) -> HostReads? {
    let lastLine = stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    guard let document = try? FactValue.parseJSON(lastLine), let values = document["reads"] else { return nil }
    let list = reads.count == 1 && values.array == nil ? [values] : values.list
    guard list.count == reads.count else { return nil }
    return HostReads(Dictionary(zip(reads, list), uniquingKeysWith: { first, _ in first }))
  }

  /// What a run needs to take the host lock: its id, the time it takes it, and which holders it may replace.
  public struct HostLock: Sendable, Hashable {
    public var runID: String
    public var now: Date
    /// A lock older than this many minutes was abandoned (its run crashed) and is taken over.
    public var staleAfterMinutes: Int
    /// Runs whose lock may be taken over at any age: the run itself (its pre-read took it), and for a rollback the
    /// run being rolled back (a dropped connection left its lock behind).
    public var takeOver: [String]

    public init(runID: String, now: Date, staleAfterMinutes: Int = 30, takeOver: [String] = []) {
      self.runID = runID
      self.now = now
      self.staleAfterMinutes = staleAfterMinutes
      self.takeOver = takeOver
    }
  }

  /// Takes (or renews) the lock key for `lock.runID` (`Lock-WinAuditHost`).
  static func takeLock(_ lock: HostLock) -> String {
    let staleBefore = lock.now.addingTimeInterval(-Double(lock.staleAfterMinutes) * 60)
    return "$waRun = \(PowerShellValue.literal(lock.runID).code)\n"
      + PowerShellCode.command(
        "Lock-WinAuditHost",
        [
          "Key": .literal(lockKey), "Parent": .literal(lockParentKey), "Run": .variable("waRun"),
          "Since": .literal(timestamp(lock.now)), "StaleBefore": .literal(timestamp(staleBefore)),
          "TakeOver": .array([lock.runID] + lock.takeOver), "HeldExitCode": .integer(Int(lockHeldExitCode)),
        ])
  }

  /// Removes the lock key when `runID` holds it (a declined host, a plan with nothing to do, after a dropped apply).
  public static func releaseLock(runID: String) -> String {
    (prelude([]) + [removeLock(holder: .literal(runID))]).joined(separator: "\n") + "\n"
  }

  /// `Unlock-WinAuditHost` for the run `holder`.
  static func removeLock(holder: PowerShellValue) -> String {
    PowerShellCode.command(
      "Unlock-WinAuditHost", ["Key": .literal(lockKey), "Parent": .literal(lockParentKey), "Run": holder])
  }

  // MARK: Apply and rollback

  /// The script that runs `steps` in order under the host lock, printing one JSON line per step and stopping at the
  /// first failure (exit code 3, `Exit-WinAuditScript`); exit code 5 without changing anything when another run holds a lock younger than
  /// `staleAfterMinutes` (a lock of this run, or of a run in `takeOver`, is taken over at any age).
  ///
  /// Times come from the client (ISO 8601 UTC, which sorts as text) so the host needs no date arithmetic.
  static func apply(
    steps: [FixStep], runID: String, now: Date, staleAfterMinutes: Int = 30, takeOver: [String] = []
  ) -> String {
    var lines = prelude(steps.map(\.change.readBack))
    lines.append(
      takeLock(HostLock(runID: runID, now: now, staleAfterMinutes: staleAfterMinutes, takeOver: takeOver)))
    lines.append(
      """
      $waFailed = $false
      try {
      """)
    for step in steps {
      lines.append(stepBlock(step))
    }
    lines.append(
      """
      } finally {
        \(removeLock(holder: .variable("waRun")))
      }
      if ($waFailed) { Exit-WinAuditScript -Code \(stepFailedExitCode) }
      """)
    return lines.joined(separator: "\n") + "\n"
  }

  /// One step: skipped after a failure, its change in a try block, its target read back and reported.
  static func stepBlock(_ step: FixStep) -> String {
    let id = PowerShellValue.literal(step.id)
    // The step's script goes in as it is: indenting its lines would put spaces inside a multi-line string literal
    // (a registry value with a newline) and write a different value.
    let body = step.script
    let ok = PowerShellCode.command(
      "Write-WinAuditResult",
      [
        "Kind": .literal("step"), "Step": id, "Status": .literal("ok"), "State": .variable("waState"),
        "Message": .literal(""),
      ])
    let failed = PowerShellCode.command(
      "Write-WinAuditResult",
      [
        "Kind": .literal("step"), "Step": id, "Status": .literal("error"), "State": .null,
        "Message": .variable("waError"),
      ])
    return """
        if (-not $waFailed) {
          # \(comment(step))
          try {
      \(body)
            $waState = (\(step.change.readBack.expression))
            \(ok)
          } catch {
            $waFailed = $true
            $waError = [string]$_.Exception.Message
            \(failed)
          }
        }
      """
  }

  /// A comment line for people reading `--show-script`; newlines in values cannot end the comment early.
  private static func comment(_ step: FixStep) -> String {
    let text = "step \(step.id) (\(step.fix)): \(step.direction == .undo ? "undo " : "")\(step.target)"
    return String(text.map { $0.isNewline ? " " : $0 })
  }

  /// `2025-01-25T04:00:00Z`.
  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }
}
