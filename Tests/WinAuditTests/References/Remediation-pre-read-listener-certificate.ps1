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

# The certificates of a store. Whether TermService can use a private key is NETWORK SERVICE's question, not the
# administrator's running this: so the key is located (a CryptoAPI key in MachineKeys, a CNG key in Crypto\Keys, which
# $cert.PrivateKey cannot open) and its file's ACL is reported for the client to judge.
# Where a certificate's private key lives and its key file's ACL, or why that is unknown; shared with `winaudit capture`.
# A key whose ACL refuses the administrator (READ_CONTROL) cannot be judged from here: `aclError` says so, never a guess.
function Get-WinAuditCertificateKey {
  param($Certificate)
  $key = [ordered]@{
    readable = $false; error = $null; storage = $null; container = $null; file = $null; fileExists = $null
    sddl = $null; aclError = $null
  }
  if (-not $Certificate.HasPrivateKey) { return $key }
  try {
    $opened = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    if ($null -eq $opened) {
      $key['error'] = 'the private key could not be opened'
    } elseif ($null -ne $opened.Key) {
      $key['readable'] = $true
      $key['storage'] = 'CNG'
      $key['container'] = ConvertTo-WinAuditString -Value $opened.Key.UniqueName
      $key['file'] = $env:ProgramData + '\Microsoft\Crypto\Keys\' + $key['container']
    } else {
      $key['readable'] = $true
      $key['storage'] = 'CSP'
      $key['container'] = ConvertTo-WinAuditString -Value $opened.CspKeyContainerInfo.UniqueKeyContainerName
      $key['file'] = $env:ProgramData + '\Microsoft\Crypto\RSA\MachineKeys\' + $key['container']
    }
  } catch {
    $key['error'] = $_.Exception.Message
  }
  if ($null -ne $key['file']) {
    $key['fileExists'] = [bool](Test-Path -LiteralPath $key['file'])
    if ($key['fileExists']) {
      try {
        $key['sddl'] = ConvertTo-WinAuditString -Value (Get-Acl -LiteralPath $key['file'] -ErrorAction 'Stop').Sddl
      } catch {
        $key['aclError'] = $_.Exception.Message
      }
    }
  }
  return $key
}

function Get-WinAuditCertificates {
  param($Request)
  $store = [string]$Request['store']
  $result = [ordered]@{ store = $store; exists = $false; certificates = @() }
  if (-not (Test-Path -LiteralPath $store)) { return $result }
  $result['exists'] = $true
  $list = @()
  foreach ($certificate in @(Get-ChildItem -LiteralPath $store)) {
    $key = Get-WinAuditCertificateKey -Certificate $certificate
    $keyError = $key['error']
    if ($key['fileExists'] -eq $false) { $keyError = 'the key file ' + $key['file'] + ' does not exist' }
    $list += [ordered]@{
      thumbprint = ConvertTo-WinAuditString -Value $certificate.Thumbprint
      subject = ConvertTo-WinAuditString -Value $certificate.Subject
      issuer = ConvertTo-WinAuditString -Value $certificate.Issuer
      notBefore = $certificate.NotBefore.ToString('o')
      notAfter = $certificate.NotAfter.ToString('o')
      hasPrivateKey = [bool]$certificate.HasPrivateKey
      privateKeyReadable = $key['readable']
      privateKeyError = $keyError
      keyStorage = $key['storage']
      keyContainer = $key['container']
      keyFile = $key['file']
      keyFileSddl = $key['sddl']
      keyFileAclError = $key['aclError']
    }
  }
  $result['certificates'] = $list
  return $result
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

$waReads = @(
  (Read-WinAuditRegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name 'UserAuthentication'),
  (Read-WinAuditRegistryValue -Path 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' -Name 'UserAuthentication'),
  (Get-WinAuditPath -Request ([ordered]@{ path = '{ProgramData}\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_{MachineGuid}' })),
  (Get-WinAuditCertificates -Request ([ordered]@{ store = 'Cert:\LocalMachine\Remote Desktop' })),
  (Read-WinAuditClock),
  (Read-WinAuditProgramData),
  (Get-WinAuditService -Request ([ordered]@{ name = 'TermService' }))
)
Write-Output (ConvertTo-WinAuditJson -Value ([ordered]@{ reads = $waReads }) -Depth 8)
