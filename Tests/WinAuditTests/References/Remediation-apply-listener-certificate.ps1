$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# ---- winaudit: shared conversions and reads of the audit and of fixes (facts schema 1); they never change the host ----

function ConvertTo-WinAuditString {
  param($Value)
  if ($null -eq $Value) { return $null }
  return $Value.ToString()
}

function ConvertTo-WinAuditNumber {
  param($Value)
  if ($null -eq $Value) { return $null }
  return [long]$Value
}

function ConvertTo-WinAuditPlain {
  param($Value)
  if ($null -eq $Value) { return $null }
  if ($Value -is [byte[]]) { return (($Value | ForEach-Object { '{0:X2}' -f $_ }) -join '') }
  if ($Value -is [array]) { return ,@($Value | ForEach-Object { ConvertTo-WinAuditString -Value $_ }) }
  if ($Value -is [datetime]) { return $Value.ToString('o') }
  if ($Value -is [string] -or $Value -is [int] -or $Value -is [long] -or $Value -is [bool] -or $Value -is [double]) {
    return $Value
  }
  return $Value.ToString()
}

function Test-WinAuditNotFound {
  param($ErrorRecord)
  $id = [string]$ErrorRecord.FullyQualifiedErrorId
  return ($id.StartsWith('CmdletizationQuery_NotFound') -or $id.StartsWith('NoServiceFoundForGivenName'))
}

# One registry value: whether it exists, its kind, and its value as stored (binary as hex, multi-strings as arrays,
# REG_EXPAND_SZ unexpanded: Get-ItemPropertyValue would expand it and lose its type, so a restore would write another
# value). The audit and the fixes read every registry value through this function.
function Read-WinAuditRegistryValue {
  param([string]$Path, [string]$Name)
  $entry = [ordered]@{ path = $Path; name = $Name; exists = $false; type = $null; value = $null; keyExists = $false }
  if (-not (Test-Path -LiteralPath $Path)) { return $entry }
  $entry['keyExists'] = $true
  $key = Get-Item -LiteralPath $Path
  if (@($key.GetValueNames()) -notcontains $Name) { return $entry }
  $entry['exists'] = $true
  $entry['type'] = [string]$key.GetValueKind($Name)
  $entry['value'] = ConvertTo-WinAuditPlain -Value $key.GetValue($Name, $null, 'DoNotExpandEnvironmentNames')
  return $entry
}

# HKLM:\SOFTWARE\Microsoft\Cryptography MachineGuid, which names the RDP self-signed certificate's key file.
function Read-WinAuditMachineGuid {
  return ConvertTo-WinAuditString -Value (Get-ItemPropertyValue -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Cryptography' -Name 'MachineGuid' -ErrorAction 'Stop')
}

# Every connected network's category, read once per audit script (the network and firewall profile facts both need
# it); a fix script, which has no cache, reads it each time.
function Get-WinAuditConnectionProfiles {
  if ($null -eq $WinAuditCache -or -not $WinAuditCache.ContainsKey('connectionProfiles')) {
    $found = @()
    try {
      $found = @(Get-NetConnectionProfile -ErrorAction 'Stop')
    } catch {
      if (-not (Test-WinAuditNotFound -ErrorRecord $_)) { throw $_ }
    }
    $profiles = @($found | ForEach-Object {
      [ordered]@{
        interfaceAlias = ConvertTo-WinAuditString -Value $_.InterfaceAlias
        networkCategory = ConvertTo-WinAuditString -Value $_.NetworkCategory
      }
    })
    if ($null -eq $WinAuditCache) { return $profiles }
    $WinAuditCache['connectionProfiles'] = $profiles
  }
  return $WinAuditCache['connectionProfiles']
}

# Compact JSON with every non-ASCII character escaped as \uXXXX: whatever code page the console writes stdout in (and
# [Console]::OutputEncoding cannot always be set without a console), the client reads the same text.
function ConvertTo-WinAuditJson {
  param($Value, [int]$Depth)
  $json = ConvertTo-Json -InputObject $Value -Depth $Depth -Compress
  if ($json -notmatch '[^\x00-\x7F]') { return $json }
  $builder = New-Object -TypeName 'System.Text.StringBuilder'
  foreach ($character in $json.ToCharArray()) {
    $code = [int]$character
    if ($code -lt 128) {
      $null = $builder.Append($character)
    } else {
      $null = $builder.Append('\u' + $code.ToString('x4'))
    }
  }
  return $builder.ToString()
}

function Get-WinAuditService {
  param($Request)
  $result = [ordered]@{ name = $Request['name']; exists = $false; status = $null; startType = $null }
  $found = @()
  try {
    $found = @(Get-Service -Name $Request['name'] -ErrorAction 'Stop')
  } catch {
    if (-not (Test-WinAuditNotFound -ErrorRecord $_)) { throw $_ }
  }
  if ($found.Count -gt 0) {
    $service = $found[0]
    $result['name'] = ConvertTo-WinAuditString -Value $service.Name
    $result['exists'] = $true
    $result['status'] = ConvertTo-WinAuditString -Value $service.Status
    $result['startType'] = ConvertTo-WinAuditString -Value $service.StartType
  }
  return $result
}

function Get-WinAuditPath {
  param($Request)
  $path = [string]$Request['path']
  # %ProgramData% is not always C:\ProgramData.
  $path = $path.Replace('{ProgramData}', [string]$env:ProgramData)
  if ($path.Contains('{MachineGuid}')) {
    if ($null -eq $WinAuditHost['machineGuid']) { throw 'MachineGuid is unknown, so the path cannot be built' }
    $path = $path.Replace('{MachineGuid}', [string]$WinAuditHost['machineGuid'])
  }
  $result = [ordered]@{ path = $path; exists = $false; sddl = $null }
  if (Test-Path -LiteralPath $path) {
    $result['exists'] = $true
    $result['sddl'] = ConvertTo-WinAuditString -Value (Get-Acl -LiteralPath $path).Sddl
  }
  return $result
}

# ---- winaudit fixes: single targets, read with the audit's functions ----

# One local rule as a fix reads it before and after changing it; `exists` is false when there is no such rule.
function Read-WinAuditFirewallRule {
  param([string]$Name)
  $found = @(Get-WinAuditFirewallRules -Names @($Name) -Groups @() -Store 'PersistentStore')
  if ($found.Count -eq 0) {
    # Not a local rule: one that only Group Policy brings cannot be changed here.
    $active = @(Get-WinAuditFirewallRules -Names @($Name) -Groups @() -Store 'ActiveStore')
    return [ordered]@{ name = $Name; exists = $false; fromGroupPolicy = ($active.Count -gt 0) }
  }
  $rule = $found[0]
  $rule['exists'] = $true
  return $rule
}

# The local rules of a group, as a fix reads them.
function Read-WinAuditFirewallGroup {
  param([string]$Group)
  $rules = @(Get-WinAuditFirewallRules -Names @() -Groups @($Group) -Store 'PersistentStore')
  foreach ($rule in $rules) { $rule['exists'] = $true }
  return [ordered]@{ group = $Group; rules = $rules }
}

# One certificate as a fix reads it before and after removing it; `present` is false when the store lacks it.
function Read-WinAuditCertificate {
  param([string]$Store, [string]$Thumbprint)
  $found = @(Get-ChildItem -LiteralPath $Store | Where-Object { $_.Thumbprint -eq $Thumbprint })
  if ($found.Count -eq 0) { return [ordered]@{ thumbprint = $Thumbprint; present = $false } }
  $certificate = $found[0]
  return [ordered]@{
    thumbprint = ConvertTo-WinAuditString -Value $certificate.Thumbprint
    present = $true
    subject = ConvertTo-WinAuditString -Value $certificate.Subject
    issuer = ConvertTo-WinAuditString -Value $certificate.Issuer
    notAfter = $certificate.NotAfter.ToString('o')
    hasPrivateKey = [bool]$certificate.HasPrivateKey
  }
}

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

$waRun = '20250601-120000-abc123'
Lock-WinAuditHost -Key 'HKLM:\SOFTWARE\winaudit\Lock' -Parent 'HKLM:\SOFTWARE\winaudit' -Run $waRun -Since '2025-06-01T12:00:00Z' -StaleBefore '2025-06-01T11:30:00Z' -TakeOver @('20250601-120000-abc123') -HeldExitCode 5
$waFailed = $false
try {
  if (-not $waFailed) {
    # step 1 (rdp-key-file-acl): service TermService
    try {
Stop-Service -Name 'TermService' -Force
      $waState = (Get-WinAuditService -Request ([ordered]@{ name = 'TermService' }))
      Write-WinAuditResult -Kind 'step' -Step '1' -Status 'ok' -State $waState -Message ''
    } catch {
      $waFailed = $true
      $waError = [string]$_.Exception.Message
      Write-WinAuditResult -Kind 'step' -Step '1' -Status 'error' -State $null -Message $waError
    }
  }
  if (-not $waFailed) {
    # step 2 (nla-required): HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp\UserAuthentication
    try {
if (-not (Test-Path -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp')) { $null = New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Force }
$null = New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name 'UserAuthentication' -PropertyType 'DWord' -Value 1 -Force
      $waState = (Read-WinAuditRegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name 'UserAuthentication')
      Write-WinAuditResult -Kind 'step' -Step '2' -Status 'ok' -State $waState -Message ''
    } catch {
      $waFailed = $true
      $waError = [string]$_.Exception.Message
      Write-WinAuditResult -Kind 'step' -Step '2' -Status 'error' -State $null -Message $waError
    }
  }
  if (-not $waFailed) {
    # step 3 (rdp-key-file-acl): C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid
    try {
if (Test-Path -LiteralPath 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid') {
  Rename-Item -LiteralPath 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid' -NewName 'f686aace6942fb7f7ceb231212eef4a4_guid_Old_20250601120000'
} elseif (-not (Test-Path -LiteralPath 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid_Old_20250601120000')) {
  throw 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid does not exist'
}
      $waState = (Get-WinAuditPath -Request ([ordered]@{ path = 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid' }))
      Write-WinAuditResult -Kind 'step' -Step '3' -Status 'ok' -State $waState -Message ''
    } catch {
      $waFailed = $true
      $waError = [string]$_.Exception.Message
      Write-WinAuditResult -Kind 'step' -Step '3' -Status 'error' -State $null -Message $waError
    }
  }
  if (-not $waFailed) {
    # step 4 (rdp-key-file-acl): certificate AB12 in Cert:\LocalMachine\Remote Desktop
    try {
$waCert = @(Get-ChildItem -LiteralPath 'Cert:\LocalMachine\Remote Desktop' | Where-Object { $_.Thumbprint -eq 'AB12' })
if ($waCert.Count -gt 0) {
  $null = New-Item -ItemType 'Directory' -Path 'C:\ProgramData\winaudit\backup\20250601-120000-abc123' -Force
  $null = Export-Certificate -Cert $waCert[0] -FilePath 'C:\ProgramData\winaudit\backup\20250601-120000-abc123\AB12.cer' -Type 'CERT'
  $null = & reg.exe 'export' 'HKLM\SOFTWARE\Microsoft\SystemCertificates\Remote Desktop\Certificates\AB12' 'C:\ProgramData\winaudit\backup\20250601-120000-abc123\AB12.reg' '/y'
  if ($LASTEXITCODE -ne 0) { throw ('reg export failed with exit code ' + $LASTEXITCODE) }
  Remove-Item -LiteralPath 'Cert:\LocalMachine\Remote Desktop\AB12'
}
      $waState = (Read-WinAuditCertificate -Store 'Cert:\LocalMachine\Remote Desktop' -Thumbprint 'AB12')
      Write-WinAuditResult -Kind 'step' -Step '4' -Status 'ok' -State $waState -Message ''
    } catch {
      $waFailed = $true
      $waError = [string]$_.Exception.Message
      Write-WinAuditResult -Kind 'step' -Step '4' -Status 'error' -State $null -Message $waError
    }
  }
  if (-not $waFailed) {
    # step 5 (rdp-key-file-acl): service TermService
    try {
Start-Service -Name 'TermService'
      $waState = (Get-WinAuditService -Request ([ordered]@{ name = 'TermService' }))
      Write-WinAuditResult -Kind 'step' -Step '5' -Status 'ok' -State $waState -Message ''
    } catch {
      $waFailed = $true
      $waError = [string]$_.Exception.Message
      Write-WinAuditResult -Kind 'step' -Step '5' -Status 'error' -State $null -Message $waError
    }
  }
} finally {
  Unlock-WinAuditHost -Key 'HKLM:\SOFTWARE\winaudit\Lock' -Parent 'HKLM:\SOFTWARE\winaudit' -Run $waRun
}
if ($waFailed) { Exit-WinAuditScript -Code 3 }
