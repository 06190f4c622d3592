# Domain membership, and on a domain member whether the secure channel to a domain controller works. A check that
# cannot run (no domain controller answers) fails the fact: the control is an error, never a guess.
function Get-WinAuditDomainMembership {
  param($Request)
  $system = Get-CimInstance -ClassName 'Win32_ComputerSystem' -ErrorAction 'Stop'
  $result = [ordered]@{ partOfDomain = [bool]$system.PartOfDomain; domain = $null; workgroup = $null; secureChannel = $null }
  if ($result['partOfDomain']) {
    $result['domain'] = ConvertTo-WinAuditString -Value $system.Domain
    $result['secureChannel'] = [bool](Test-ComputerSecureChannel -ErrorAction 'Stop')
  } else {
    $result['workgroup'] = ConvertTo-WinAuditString -Value $system.Workgroup
  }
  return $result
}
