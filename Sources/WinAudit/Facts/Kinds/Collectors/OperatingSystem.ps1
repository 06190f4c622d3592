function Get-WinAuditOperatingSystem {
  param($Request)
  if ($null -eq $WinAuditHost['os']) { throw 'the operating system could not be read' }
  return $WinAuditHost['os']
}
