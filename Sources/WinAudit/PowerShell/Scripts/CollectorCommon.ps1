# ---- winaudit collector: shared conversions (facts schema 1); reads only, never changes the host ----

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
