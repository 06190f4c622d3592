# ---- winaudit remediation: results, the host clock and the host lock ----

# The MachineGuid names the RDP key file; path reads replace {MachineGuid} with it.
$WinAuditHost = [ordered]@{ machineGuid = $null }
try {
  $WinAuditHost['machineGuid'] = Read-WinAuditMachineGuid
} catch {
  $WinAuditHost['machineGuid'] = $null
}

# Prints one result line (the lock's state, or a step's result with its target read back); the client journals each
# line as it arrives, so the results printed before a dropped connection are kept.
function Write-WinAuditResult {
  param([string]$Kind, [string]$Step, [string]$Status, $State, [string]$Message)
  $line = [ordered]@{ winaudit = $Kind; step = $Step; status = $Status; after = $State; message = $Message }
  Write-Output (ConvertTo-WinAuditJson -Value $line -Depth 8)
}

# Ends the script with exit code $Code. In a fix's one powershell.exe (the framed loop sets $WinAuditFramed) `exit`
# would end the whole process and every script after this one, so there it throws 'winaudit-exit N', which the loop
# answers as exit code N; `finally` blocks run either way.
function Exit-WinAuditScript {
  param([int]$Code)
  if ($WinAuditFramed) { throw ('winaudit-exit ' + $Code) }
  exit $Code
}

# Where the host keeps machine-wide data: backups go under %ProgramData%\winaudit\backup.
function Read-WinAuditProgramData {
  return [ordered]@{ programData = [string]$env:ProgramData }
}

# The host's clock, which decides whether a certificate has expired there.
function Read-WinAuditClock {
  return [ordered]@{ now = (Get-Date).ToUniversalTime().ToString('o') }
}

# Takes (or renews) the lock key for run $Run, so two winaudit runs cannot change one host at once. A lock of another
# run that is newer than $StaleBefore blocks: a 'held' line is printed and the script exits 5. New-Item without -Force
# fails when the key exists, so two runs that both found it free cannot both take it. Times are ISO 8601 UTC text from
# the client (they sort as text), so the host needs no date arithmetic.
function Lock-WinAuditHost {
  param([string]$Key, [string]$Parent, [string]$Run, [string]$Since, [string]$StaleBefore, $TakeOver, [int]$HeldExitCode)
  if (-not (Test-Path -Path $Parent)) { $null = New-Item -Path $Parent -Force }
  if (Test-Path -Path $Key) {
    $held = Get-ItemProperty -Path $Key
    $heldRun = [string]$held.RunId
    if ($TakeOver -notcontains $heldRun -and ([string]$held.Since -ge $StaleBefore -or [string]$held.Since -eq '')) {
      Write-WinAuditResult -Kind 'lock' -Step '' -Status 'held' -State ([ordered]@{ run = $heldRun; since = [string]$held.Since }) -Message 'another winaudit run is changing this host'
      Exit-WinAuditScript -Code $HeldExitCode
    }
    Remove-Item -Path $Key -Recurse
  }
  $null = New-Item -Path $Key
  $null = New-ItemProperty -Path $Key -Name 'RunId' -PropertyType 'String' -Value $Run
  $null = New-ItemProperty -Path $Key -Name 'Since' -PropertyType 'String' -Value $Since
  Write-WinAuditResult -Kind 'lock' -Step '' -Status 'taken' -State $null -Message ''
}

# Removes the lock key when run $Run holds it, then its parent key when that is left with no values and no subkeys, so
# a host keeps no trace of the lock. Nothing else is removed: the parent goes only when empty, without -Recurse (which
# refuses a key that gained a subkey meanwhile, such as another run's lock), and a failure to remove it is ignored.
function Unlock-WinAuditHost {
  param([string]$Key, [string]$Parent, [string]$Run)
  if (Test-Path -Path $Key) {
    if ([string](Get-ItemProperty -Path $Key).RunId -eq $Run) {
      Remove-Item -Path $Key -Recurse
      try {
        $parentKey = Get-Item -Path $Parent
        if ($parentKey.SubKeyCount -eq 0 -and $parentKey.ValueCount -eq 0) { Remove-Item -Path $Parent }
      } catch {
        $parentKey = $null
      }
    }
  }
}
