function Get-WinAuditMachineGuid {
  param($Request)
  if ($null -eq $WinAuditHost['machineGuid']) { throw 'MachineGuid could not be read' }
  return $WinAuditHost['machineGuid']
}
