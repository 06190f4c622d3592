import Foundation
import RemotePowerShell

/// The one builder of every PowerShell script remediation sends: the pre-read, the apply script and the rollback
/// script, each in Contract 2's dialect with every value quoted by `PowerShellQuote.literal`.
///
/// The read functions are shared: the pre-read uses them to record before-values, and the apply script calls the same
/// ones after each step so the journal's after-values are read the same way.
public enum RemediationScripts {
  /// Exit code of an apply or rollback script whose step failed (the remaining steps did not run).
  public static let stepFailedExitCode: Int32 = 3
  /// Exit code of an apply or rollback script that found another run's lock on the host.
  public static let lockHeldExitCode: Int32 = 5
  /// The registry key that marks a host as being changed by a winaudit run.
  public static let lockKey = #"HKLM:\SOFTWARE\winaudit\Lock"#
  /// The lock key's parent, created with the lock and removed with it when nothing else is in it.
  public static let lockParentKey = #"HKLM:\SOFTWARE\winaudit"#
  /// Where backups (ACL saves, certificate exports) go on the host, one folder per run.
  public static let backupRoot = #"C:\ProgramData\winaudit\backup"#

  /// Read-only functions: each returns an ordered hashtable describing one target.
  static let readFunctions = #"""
    function WaRegistryValue {
      param([string]$Path, [string]$Name)
      $state = [ordered]@{ exists = $false }
      if (-not (Test-Path -Path $Path)) { return $state }
      $found = Get-ItemProperty -Path $Path -Name $Name -ErrorAction 'SilentlyContinue'
      if ($null -eq $found) { return $state }
      $value = Get-ItemPropertyValue -Path $Path -Name $Name
      $type = 'String'
      if ($value -is [int]) { $type = 'DWord' }
      elseif ($value -is [long]) { $type = 'QWord' }
      elseif ($value -is [byte[]]) { $type = 'Binary' }
      elseif ($value -is [array]) { $type = 'MultiString' }
      $state['exists'] = $true
      $state['type'] = $type
      $state['value'] = $value
      return $state
    }

    function WaFirewallRuleState {
      param($Rule)
      return [ordered]@{ name = [string]$Rule.Name; exists = $true; enabled = ([string]$Rule.Enabled -eq 'True'); profile = [string]$Rule.Profile }
    }

    function WaFirewallRule {
      param([string]$Name)
      $rule = Get-NetFirewallRule -Name $Name -ErrorAction 'SilentlyContinue'
      if ($null -eq $rule) { return [ordered]@{ name = $Name; exists = $false } }
      return (WaFirewallRuleState -Rule $rule)
    }

    function WaFirewallGroup {
      param([string]$Group)
      $rules = @()
      foreach ($rule in @(Get-NetFirewallRule -Group $Group -ErrorAction 'SilentlyContinue')) {
        $rules += (WaFirewallRuleState -Rule $rule)
      }
      return [ordered]@{ group = $Group; rules = $rules }
    }

    function WaFirewallPort {
      param([string]$Name)
      $rule = Get-NetFirewallRule -Name $Name -ErrorAction 'SilentlyContinue'
      if ($null -eq $rule) { return [ordered]@{ name = $Name; exists = $false; localPort = '' } }
      $filter = $rule | Get-NetFirewallPortFilter
      return [ordered]@{ name = $Name; exists = $true; localPort = (@($filter.LocalPort) -join ',') }
    }

    function WaConnectedProfiles {
      $profiles = @()
      foreach ($connection in @(Get-NetConnectionProfile -ErrorAction 'SilentlyContinue')) {
        $category = [string]$connection.NetworkCategory
        if ($category -eq 'DomainAuthenticated') { $category = 'Domain' }
        if ($profiles -notcontains $category) { $profiles += $category }
      }
      return [ordered]@{ profiles = $profiles }
    }

    function WaService {
      param([string]$Name)
      $service = Get-Service -Name $Name -ErrorAction 'SilentlyContinue'
      if ($null -eq $service) { return [ordered]@{ name = $Name; exists = $false } }
      return [ordered]@{ name = $Name; exists = $true; status = [string]$service.Status; startType = [string]$service.StartType }
    }

    function WaAcl {
      param([string]$Path)
      if (-not (Test-Path -Path $Path)) { return [ordered]@{ path = $Path; exists = $false } }
      return [ordered]@{ path = $Path; exists = $true; sddl = [string](Get-Acl -Path $Path).Sddl }
    }

    function WaCertificateState {
      param($Certificate)
      return [ordered]@{ thumbprint = [string]$Certificate.Thumbprint; present = $true; subject = [string]$Certificate.Subject; issuer = [string]$Certificate.Issuer; notAfter = $Certificate.NotAfter.ToString('o'); expired = ($Certificate.NotAfter -lt (Get-Date)); hasPrivateKey = [bool]$Certificate.HasPrivateKey }
    }

    function WaCertificate {
      param([string]$Store, [string]$Thumbprint)
      $found = @(Get-ChildItem -Path ('Cert:\LocalMachine\' + $Store) -ErrorAction 'SilentlyContinue' | Where-Object { $_.Thumbprint -eq $Thumbprint })
      if ($found.Count -eq 0) { return [ordered]@{ thumbprint = $Thumbprint; present = $false } }
      return (WaCertificateState -Certificate $found[0])
    }

    function WaCertificates {
      param([string]$Store)
      $certificates = @()
      foreach ($certificate in @(Get-ChildItem -Path ('Cert:\LocalMachine\' + $Store) -ErrorAction 'SilentlyContinue')) {
        $certificates += (WaCertificateState -Certificate $certificate)
      }
      return [ordered]@{ store = $Store; certificates = $certificates }
    }

    function WaPath {
      param([string]$Path)
      return [ordered]@{ path = $Path; exists = (Test-Path -Path $Path) }
    }

    function WaRdpKeyFile {
      param([string]$Folder)
      $guid = [string](Get-ItemPropertyValue -Path 'HKLM:\SOFTWARE\Microsoft\Cryptography' -Name 'MachineGuid')
      $path = $Folder + '\f686aace6942fb7f7ceb231212eef4a4_' + $guid
      return [ordered]@{ path = $path; exists = (Test-Path -Path $path) }
    }
    """#

  /// Prints one result line per step; the client journals each as it arrives.
  static let emitFunction = #"""
    function WaEmit {
      param([string]$Kind, [string]$Step, [string]$Status, $State, [string]$Message)
      $line = [ordered]@{ winaudit = $Kind; step = $Step; status = $Status; after = $State; message = $Message }
      Write-Output ($line | ConvertTo-Json -Depth 8 -Compress)
    }
    """#

  // MARK: Pre-read

  /// A script that prints one JSON object: each probe's key mapped to what its read function returned.
  ///
  /// With `lock` (an apply run) it first takes the host lock for `lock.runID`, so the host cannot change between this
  /// read and the apply; when another run holds the lock it prints only the lock line and exits 5.
  public static func preRead(_ probes: [Probe], lock: HostLock? = nil) -> String {
    var lines = ["$ErrorActionPreference = 'Stop'", "$ProgressPreference = 'SilentlyContinue'", readFunctions]
    if let lock {
      lines += [emitFunction, takeLock(lock), "WaEmit -Kind 'lock' -Step '' -Status 'taken' -State $null -Message ''"]
    }
    lines.append("$waOut = [ordered]@{}")
    for probe in probes {
      lines.append("$waOut[\(PowerShellQuote.literal(probe.key))] = (\(probe.expression))")
    }
    lines.append("Write-Output ($waOut | ConvertTo-Json -Depth 8 -Compress)")
    return lines.joined(separator: "\n") + "\n"
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

  /// Takes (or renews) the lock key for `lock.runID`; exits 5 after a `held` lock line when another live run has it.
  /// `New-Item` without -Force fails when the key exists, so two runs that both found it free cannot both take it.
  static func takeLock(_ lock: HostLock) -> String {
    let since = Self.timestamp(lock.now)
    let staleBefore = Self.timestamp(lock.now.addingTimeInterval(-Double(lock.staleAfterMinutes) * 60))
    let key = PowerShellQuote.literal(lockKey)
    let parent = PowerShellQuote.literal(lockParentKey)
    let takeOver = PowerShellQuote.array([lock.runID] + lock.takeOver)
    return """
      $waRun = \(PowerShellQuote.literal(lock.runID))
      $waSince = \(PowerShellQuote.literal(since))
      $waStaleBefore = \(PowerShellQuote.literal(staleBefore))
      $waTakeOver = \(takeOver)
      if (-not (Test-Path -Path \(parent))) { $null = New-Item -Path \(parent) -Force }
      if (Test-Path -Path \(key)) {
        $waHeld = Get-ItemProperty -Path \(key)
        $waHeldRun = [string]$waHeld.RunId
        if ($waTakeOver -notcontains $waHeldRun -and ([string]$waHeld.Since -ge $waStaleBefore -or [string]$waHeld.Since -eq '')) {
          WaEmit -Kind 'lock' -Step '' -Status 'held' -State ([ordered]@{ run = $waHeldRun; since = [string]$waHeld.Since }) -Message 'another winaudit run is changing this host'
          exit \(lockHeldExitCode)
        }
        Remove-Item -Path \(key) -Recurse
      }
      $null = New-Item -Path \(key)
      $null = New-ItemProperty -Path \(key) -Name 'RunId' -PropertyType 'String' -Value $waRun
      $null = New-ItemProperty -Path \(key) -Name 'Since' -PropertyType 'String' -Value $waSince
      """
  }

  /// Removes the lock key when `runID` holds it (a declined host, a plan with nothing to do, after a dropped apply).
  public static func releaseLock(runID: String) -> String {
    """
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    \(removeLock(holder: PowerShellQuote.literal(runID)))

    """
  }

  /// Removes the lock key when the run `holder` (a PowerShell expression) holds it, then its parent key when that is
  /// left with no values and no subkeys, so a host keeps no trace of the lock. Nothing else is removed: the parent
  /// goes only when empty, without -Recurse (which refuses a key that gained a subkey meanwhile, such as another run's
  /// lock), and a failure to remove it is ignored.
  static func removeLock(holder: String) -> String {
    let key = PowerShellQuote.literal(lockKey)
    let parent = PowerShellQuote.literal(lockParentKey)
    return """
      if (Test-Path -Path \(key)) {
        if ([string](Get-ItemProperty -Path \(key)).RunId -eq \(holder)) {
          Remove-Item -Path \(key) -Recurse
          try {
            $waParent = Get-Item -Path \(parent)
            if ($waParent.SubKeyCount -eq 0 -and $waParent.ValueCount -eq 0) { Remove-Item -Path \(parent) }
          } catch {
            $waParent = $null
          }
        }
      }
      """
  }

  // MARK: Apply and rollback

  /// The script that runs `steps` in order under the host lock, printing one JSON line per step and stopping at the
  /// first failure (`exit 3`); `exit 5` without changing anything when another run holds a lock younger than
  /// `staleAfterMinutes` (a lock of this run, or of a run in `takeOver`, is taken over at any age).
  ///
  /// Times come from the client (ISO 8601 UTC, which sorts as text) so the host needs no date arithmetic.
  public static func apply(
    steps: [FixStep], runID: String, now: Date, staleAfterMinutes: Int = 30, takeOver: [String] = []
  ) -> String {
    var lines = [
      "$ErrorActionPreference = 'Stop'", "$ProgressPreference = 'SilentlyContinue'", readFunctions, emitFunction,
      takeLock(HostLock(runID: runID, now: now, staleAfterMinutes: staleAfterMinutes, takeOver: takeOver)),
    ]
    lines.append(
      """
      WaEmit -Kind 'lock' -Step '' -Status 'taken' -State $null -Message ''
      $waFailed = $false
      try {
      """)
    for step in steps {
      lines.append(stepBlock(step))
    }
    lines.append(
      """
      } finally {
        \(indented(removeLock(holder: "$waRun"), by: 2))
      }
      if ($waFailed) { exit \(stepFailedExitCode) }
      """)
    return lines.joined(separator: "\n") + "\n"
  }

  /// One step: skipped after a failure, its change in a try block, its target read back and reported.
  static func stepBlock(_ step: FixStep) -> String {
    let id = PowerShellQuote.literal(step.id)
    let body = step.script.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }
      .joined(separator: "\n")
    return """
        if (-not $waFailed) {
          # \(comment(step))
          try {
      \(body)
            WaEmit -Kind 'step' -Step \(id) -Status 'ok' -State (\(step.action.readExpression)) -Message ''
          } catch {
            $waFailed = $true
            WaEmit -Kind 'step' -Step \(id) -Status 'error' -State $null -Message ([string]$_.Exception.Message)
          }
        }
      """
  }

  /// `text` with every line after the first indented by `spaces` (the first line goes where the caller put it).
  private static func indented(_ text: String, by spaces: Int) -> String {
    let margin = "\n" + String(repeating: " ", count: spaces)
    return text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: margin)
  }

  /// A comment line for people reading `--show-script`; newlines in values cannot end the comment early.
  private static func comment(_ step: FixStep) -> String {
    let text = "step \(step.id) (\(step.fix)): \(step.direction == .undo ? "undo " : "")\(step.action.target)"
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

/// One read in a pre-read script: a key for the result and the PowerShell expression that produces it.
public struct Probe: Sendable, Hashable {
  public var key: String
  public var expression: String

  public init(key: String, expression: String) {
    self.key = key
    self.expression = expression
  }
}
