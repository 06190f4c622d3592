import Foundation

/// The engine's source of time, injectable so tests and the lab are deterministic.
public protocol PSClock: Sendable {
  func now() -> Date
  /// Start-Sleep.
  func sleep(seconds: Double)
}

/// The real clock.
public struct PSSystemClock: PSClock {
  public init() {}
  public func now() -> Date { Date() }
  public func sleep(seconds: Double) { if seconds > 0 { Thread.sleep(forTimeInterval: seconds) } }
}

/// A clock that stands still until `sleep` advances it (for tests).
public final class PSManualClock: PSClock, @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  public init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = start }

  public func now() -> Date { lock.withLock { current } }
  public func sleep(seconds: Double) { lock.withLock { current += seconds } }
  public func advance(seconds: Double) { sleep(seconds: seconds) }
}

/// Which output stream a piece of text belongs to.
public enum PSTextStream: Sendable { case stdout, stderr }

/// What the host machine tells the engine: clock, stdin, machine facts, and an optional live text sink.
public struct PSHostEnvironment: Sendable {
  public var clock: any PSClock
  /// Returns all of standard input (for `[Console]::In.ReadToEnd()`); called at most once per read.
  public var readStandardInput: @Sendable () -> String
  /// Returns the next line of standard input without its line end, nil at EOF (for `[Console]::In.ReadLine()`): a
  /// blocking read of one line as it arrives, as .NET's reader does on a pipe. Nil: lines are cut from
  /// `readStandardInput` instead (all of stdin, read once).
  public var readStandardInputLine: (@Sendable () -> String?)?
  /// `[Environment]::MachineName`, `$env:COMPUTERNAME`.
  public var machineName: String
  public var userName: String
  public var userDomain: String
  /// The logged-on user's SID (`WindowsIdentity.User`).
  public var userSID: String
  /// Whether the process token is elevated: its Administrators group (S-1-5-32-544) is enabled, not deny-only.
  public var isElevated: Bool
  /// `$env:X` (names are case-insensitive).
  public var environmentVariables: [String: String]
  /// `[Environment]::OSVersion.Version`, e.g. `10.0.17763.0`.
  public var osVersion: String
  /// `$PSVersionTable.PSVersion`, e.g. `5.1.17763.1432`.
  public var psVersion: String
  /// Line terminator of the formatted output (powershell.exe writes CRLF).
  public var newline: String
  /// Called with each piece of formatted text as it is produced (stdout: output and host text; stderr: errors).
  public var textSink: (@Sendable (PSTextStream, String) -> Void)?

  public init(
    clock: any PSClock = PSSystemClock(), readStandardInput: @escaping @Sendable () -> String = { "" },
    readStandardInputLine: (@Sendable () -> String?)? = nil,
    machineName: String = "WINLAB", userName: String = "Administrator", userDomain: String = "WINLAB",
    userSID: String = "S-1-5-21-1004336348-1177238915-682003330-500", isElevated: Bool = true,
    environmentVariables: [String: String] = [:], osVersion: String = "10.0.17763.0",
    psVersion: String = "5.1.17763.1432", newline: String = "\r\n",
    textSink: (@Sendable (PSTextStream, String) -> Void)? = nil
  ) {
    self.clock = clock
    self.readStandardInput = readStandardInput
    self.readStandardInputLine = readStandardInputLine
    self.machineName = machineName
    self.userName = userName
    self.userDomain = userDomain
    self.userSID = userSID
    self.isElevated = isElevated
    self.environmentVariables = environmentVariables
    self.osVersion = osVersion
    self.psVersion = psVersion
    self.newline = newline
    self.textSink = textSink
  }
}

/// The outcome of running a script as `powershell.exe -Command` would.
public struct PSRunResult: @unchecked Sendable {
  /// powershell.exe's exit code: `exit N` -> N; an uncaught terminating error -> 1; else 0 if the last statement
  /// succeeded (`$?`), otherwise 1.
  public var exitCode: Int32
  /// Objects that reached the end of the top-level pipelines (Out-Default), in order.
  public var output: [PSValue]
  /// Error records that were printed (written with ErrorAction Continue, or terminating), in order.
  public var errors: [PSErrorRecord]
  /// Text on standard output: formatted objects, Write-Host, warnings; lines end with the host's newline.
  public var stdout: String
  /// Text on standard error: formatted error records.
  public var stderr: String
  /// True when the script set `[Console]::OutputEncoding` to UTF-8 (else 5.1 would write the OEM code page).
  public var outputEncodingIsUTF8: Bool
}
