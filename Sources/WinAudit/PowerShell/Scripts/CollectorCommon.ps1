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
