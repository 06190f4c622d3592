function Get-WinAuditNetworkProfiles {
  param($Request)
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
  return [ordered]@{ profiles = $profiles }
}
