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
    type = $local['type']
    value = $local['value']
    policy = $policy
    effective = $effective
    source = $source
  }
}
