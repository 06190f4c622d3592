function Read-WinAuditRegistryValue {
  param([string]$Path, [string]$Name)
  $entry = [ordered]@{ path = $Path; name = $Name; exists = $false; value = $null }
  if (Test-Path -LiteralPath $Path) {
    $found = $true
    $raw = $null
    try {
      $raw = Get-ItemPropertyValue -LiteralPath $Path -Name $Name -ErrorAction 'Stop'
    } catch [System.Management.Automation.PSArgumentException] {
      $found = $false
    } catch [System.Management.Automation.ItemNotFoundException] {
      $found = $false
    }
    if ($found) {
      $entry['exists'] = $true
      $entry['value'] = ConvertTo-WinAuditPlain -Value $raw
    }
  }
  return $entry
}

function Get-WinAuditRegistryFact {
  param($Request)
  $local = Read-WinAuditRegistryValue -Path $Request['path'] -Name $Request['name']
  $policy = $null
  if ($null -ne $Request['policyName']) {
    $policy = Read-WinAuditRegistryValue -Path $Request['policyPath'] -Name $Request['policyName']
  }
  $effective = $null
  $source = 'absent'
  if ($null -ne $policy -and $policy['exists']) {
    $effective = $policy['value']
    $source = 'group-policy'
  } elseif ($local['exists']) {
    $effective = $local['value']
    $source = 'local'
  }
  return [ordered]@{
    path = $local['path']
    name = $local['name']
    exists = $local['exists']
    value = $local['value']
    policy = $policy
    effective = $effective
    source = $source
  }
}
