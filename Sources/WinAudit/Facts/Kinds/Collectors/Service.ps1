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
