# A local group's members by SID. The SID reached here through the playbook's checks (digits and dashes only).
# LocalAccount = TRUE keeps WMI from enumerating every group of the domain on a domain member.
function Get-WinAuditLocalGroup {
  param($Request)
  $sid = [string]$Request['sid']
  $groups = @(Get-CimInstance -ClassName 'Win32_Group' -Filter ("LocalAccount = TRUE AND SID = '" + $sid + "'") -ErrorAction 'Stop')
  if ($groups.Count -eq 0) { return [ordered]@{ sid = $sid; exists = $false; members = @() } }
  $members = @(Get-CimAssociatedInstance -InputObject $groups[0] -Association 'Win32_GroupUser' -ErrorAction 'Stop' | ForEach-Object {
    [ordered]@{
      sid = ConvertTo-WinAuditString -Value $_.SID
      name = ConvertTo-WinAuditString -Value $_.Name
      domain = ConvertTo-WinAuditString -Value $_.Domain
    }
  })
  return [ordered]@{ sid = $sid; exists = $true; members = $members }
}
