function Get-WinAuditNetworkProfiles {
  param($Request)
  return [ordered]@{ profiles = @(Get-WinAuditConnectionProfiles) }
}
