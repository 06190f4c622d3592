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
