import Crypto
import Foundation
import SSHClient

/// Several scripts, one after another, in ONE powershell.exe on one SSH channel: the framed protocol that lets
/// `winaudit fix` audit, pre-read, apply and verify a host with a single Windows PowerShell start.
///
/// The protocol, over the process's stdin and stdout:
/// - the client sends one line, a nonce it chose at random for this session;
/// - then one frame per script, one line each: `LENGTH:SHA256:BASE64` of the script's UTF-8, as the one-shot bootstrap
///   reads it; an empty line (or EOF) ends the process;
/// - the process answers each frame with the script's stdout, then one line `#winaudit-end NONCE EXIT ERRORS WARNINGS`
///   preceded by a line feed it adds itself (so a script whose output lacks a final line end cannot hide it), where
///   ERRORS and WARNINGS are base64 of the UTF-8 error and warning lines joined by line feeds (`-` when none).
///
/// The nonce is what makes the end line unforgeable: a script prints host data (registry values, rule names), and no
/// value can contain a nonce that did not exist before the session started.
public struct FramedPowerShellSession: Sendable {
  /// The loop bootstrap. Like `RemotePowerShellCommand.bootstrap` it silences progress, undoes what a profile may have
  /// set, refuses PowerShell 7 and makes stdout UTF-8; then it reads the nonce, and loops: read one frame with
  /// `[Console]::In.ReadLine()` (a blocking read of one line; null at EOF), verify length and digest, run the script as
  /// `& scriptblock` (a child scope: variables, functions and `$ErrorActionPreference` it sets end with it) with the
  /// error and warning streams merged into its output (`2>&1 3>&1`), so ErrorRecord and WarningRecord objects are
  /// taken out for the end line and everything else goes to Out-Default (stdout) as the one-shot bootstrap's pipeline
  /// does; then write the end line through Out-Default as well (the same writer as the script's output, so it cannot
  /// overtake it) and flush `[Console]::Out`, so the client sees it while the process waits for the next line.
  ///
  /// Exit codes, as powershell.exe gives them for our scripts: `exit N` cannot be used in a frame (it ends the whole
  /// process, see about_Language_Keywords), so a script asks for its exit code by throwing
  /// `winaudit-exit N` (`Exit-WinAuditScript` in RemediationCommon.ps1 does this when `$WinAuditFramed` is set) and the
  /// loop answers N; an uncaught terminating error answers 1 with its message (powershell.exe -Command exits 1 then);
  /// a script that completes answers 0 (non-terminating errors are reported, not counted: every script we send either
  /// sets `$ErrorActionPreference = 'Stop'` or ends with `exit 0`). A frame that arrived truncated answers 3 without
  /// running, as the one-shot bootstrap exits 3. Single quotes only, for the same reason as the one-shot bootstrap.
  public static let loopBootstrap =
    "$ProgressPreference='SilentlyContinue';Set-StrictMode -Off;$PSDefaultParameterValues=@{};"
    + "if($PSVersionTable.PSEdition -eq 'Core'){[Console]::Error.WriteLine('winaudit: this is PowerShell '"
    + "+$PSVersionTable.PSVersion+', winaudit needs Windows PowerShell 5.1: make powershell.exe or cmd.exe the "
    + "OpenSSH DefaultShell');exit 3};"
    + "try{[Console]::OutputEncoding=[Text.Encoding]::UTF8}catch{};"
    + "$WinAuditFramed=$true;$n=[Console]::In.ReadLine();"
    + "while($true){$l=[Console]::In.ReadLine();if([string]::IsNullOrEmpty($l)){break};"
    + "$i=$l.Trim().Split(':');$d=[byte[]]@();$x=0;"
    + "$e=New-Object System.Collections.Generic.List[string];$w=New-Object System.Collections.Generic.List[string];"
    + "try{$d=[Convert]::FromBase64String($i[2])}catch{};"
    + "$h=[BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash($d)).Replace('-','');"
    + "if([string]$d.Length -ne $i[0] -or $h -ne $i[1]){$e.Add('" + RemotePowerShellCommand.truncatedMarker
    + " ('+$d.Length+' of '+$i[0]+' bytes arrived intact): update the host''s OpenSSH server');$x=3}"
    + "else{try{& ([scriptblock]::Create([Text.Encoding]::UTF8.GetString($d))) 2>&1 3>&1|ForEach-Object{"
    + "if($_ -is [Management.Automation.ErrorRecord]){$e.Add([string]$_)}"
    + "elseif($_ -is [Management.Automation.WarningRecord]){$w.Add($_.Message)}else{$_}}|Out-Default}"
    + "catch{if([string]$_.Exception.Message -match '^winaudit-exit (-?[0-9]+)$'){$x=[int]$Matches[1]}"
    + "else{$e.Add([string]$_);$x=1}}};"
    + "$t=foreach($s in $e,$w){if($s.Count -eq 0){'-'}else{"
    + "[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($s -join [char]10)))}};"
    + "[string][char]10+'" + endTag + " '+$n+' '+$x+' '+$t[0]+' '+$t[1]|Out-Default;[Console]::Out.Flush()}"

  /// The first word of the end line.
  public static let endTag = "#winaudit-end"

  /// The exit code a framed script asks for by throwing `winaudit-exit N`.
  public static let exitRequestPrefix = "winaudit-exit "

  private let process: any SSHProcessRunning
  private let nonce: String
  private let state: FirstFrame

  /// Starts the loop bootstrap on `connection` in the host's shell; nothing is sent until the first script. The host
  /// has `timeout` to open the channel and start it.
  public static func start(
    on connection: SSHConnection, shell: HostShell, timeout: Duration
  ) async throws -> FramedPowerShellSession {
    let process = try await connection.startProcess(command: commandLine(shell: shell), timeout: timeout)
    return FramedPowerShellSession(process: process)
  }

  /// A session over any process (a test double, or an `SSHProcess` already started with `commandLine(shell:)`).
  public init(process: any SSHProcessRunning, nonce: String = Self.randomNonce()) {
    self.process = process
    self.nonce = nonce
    self.state = FirstFrame()
  }

  /// The exec request that starts the loop, as `RemotePowerShellCommand` builds the one-shot one.
  public static func commandLine(shell: HostShell) -> String {
    switch shell {
    case .cmd:
      return RemotePowerShellCommand.powershellArguments + " "
        + RemotePowerShellCommand.encodedCommand(loopBootstrap)
    case .powershell:
      return loopBootstrap
    }
  }

  /// 128 random bits as hex.
  public static func randomNonce() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<4).map { _ in String(format: "%08x", generator.next() as UInt32) }.joined()
  }

  /// Runs `script` in the session's powershell.exe and returns its result, as `RemotePowerShellSession.run` would
  /// for a process of its own.
  ///
  /// - Throws: the transport's errors (`SSHError`: timeout, drop, the process ended); after one the session is dead.
  public func run(script: String, timeout: Duration) async throws -> ScriptResult {
    var request = Data()
    if state.takeFirst() { request.append(Data((nonce + "\n").utf8)) }
    request.append(Data((RemotePowerShellCommand.payload(Data(script.utf8)) + "\n").utf8))
    let answer = try await process.exchange(send: request, until: Data(delimiter.utf8), timeout: timeout)
    return Self.decode(stdout: answer.stdout, stderr: answer.stderr, delimiter: delimiter)
  }

  /// Ends the loop (an empty line, then EOF) and waits for powershell.exe to exit.
  public func close(timeout: Duration = .seconds(10)) async {
    _ = await process.finish(farewell: state.takeFirst() ? Data() : Data("\n".utf8), timeout: timeout)
  }

  /// `\n#winaudit-end NONCE `: what starts this session's end lines.
  var delimiter: String { Self.delimiter(nonce: nonce) }

  /// `\n#winaudit-end NONCE `: what starts the end lines of the session with `nonce`.
  public static func delimiter(nonce: String) -> String { "\n\(endTag) \(nonce) " }

  /// Splits one answer (stdout up to and including its end line) into the script's stdout and its end line.
  public static func decode(stdout answerStdout: Data, stderr answerStderr: Data, delimiter: String) -> ScriptResult {
    let marker = Data(delimiter.utf8)
    guard let range = answerStdout.range(of: marker, options: .backwards) else {
      return ScriptResult(stdout: "", errors: ["winaudit: the host's answer had no end line"], exitCode: -1)
    }
    // The line break the loop writes before its end line is not the script's: LF, or CR LF where the host turns the
    // string's line feed into its own line end.
    var body = answerStdout[..<range.lowerBound]
    if body.last == 13 { body = body.dropLast() }
    let (stdout, stdoutValid) = RemotePowerShellSession.decodeUTF8(Data(body))
    let line = String(decoding: answerStdout[range.upperBound...], as: UTF8.self)
    let fields = line.trimmingCharacters(in: .newlines).split(separator: " ", omittingEmptySubsequences: false)
      .map(String.init)
    func lines(_ index: Int) -> [String] {
      guard index < fields.count, fields[index] != "-", let data = Data(base64Encoded: fields[index]) else { return [] }
      return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        .map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
    }
    let (stderr, stderrValid) = RemotePowerShellSession.decodeUTF8(answerStderr)
    let stray = CLIXMLDecoder.decode(stderr).filter { $0.stream.caseInsensitiveCompare("Error") == .orderedSame }
    return ScriptResult(
      stdout: stdout, errors: lines(1) + stray.map(\.text), warnings: lines(2),
      exitCode: fields.first.flatMap { Int32($0) } ?? -1, outputWasValidUTF8: stdoutValid && stderrValid)
  }

  /// Whether the nonce line still has to go out (with the first frame). A class: the session is a value shared by
  /// copies, and the line goes out once per process.
  private final class FirstFrame: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = true

    func takeFirst() -> Bool {
      lock.withLock {
        defer { pending = false }
        return pending
      }
    }
  }
}
