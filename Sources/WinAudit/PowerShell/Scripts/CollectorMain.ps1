# ---- main: host identity, then every requested fact in order, each by its kind's collector function ----

$WinAuditHost = [ordered]@{
  computerName = [System.Environment]::MachineName
  user = $null
  elevated = $null
  os = $null
  machineGuid = $null
  errors = @()
}
$hostErrors = @()
# Registry, firewall, certificate-key and ACL reads need an elevated token: a member of Administrators (by SID, so
# localized group names do not matter) whose group is enabled, not deny-only.
try {
  $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
  $WinAuditHost['user'] = [string]$identity.Name
  $WinAuditHost['elevated'] = ([Security.Principal.WindowsPrincipal]$identity).IsInRole([Security.Principal.SecurityIdentifier]'S-1-5-32-544')
} catch {
  $hostErrors += ('elevation: ' + $_.Exception.Message)
}
try {
  $system = Get-CimInstance -ClassName 'Win32_OperatingSystem'
  $WinAuditHost['os'] = [ordered]@{
    caption = ConvertTo-WinAuditString -Value $system.Caption
    version = ConvertTo-WinAuditString -Value $system.Version
    build = ConvertTo-WinAuditNumber -Value $system.BuildNumber
    powershellVersion = $PSVersionTable.PSVersion.ToString()
  }
} catch {
  $hostErrors += ('os: ' + $_.Exception.Message)
}
try {
  $WinAuditHost['machineGuid'] = Read-WinAuditMachineGuid
} catch {
  $hostErrors += ('machineGuid: ' + $_.Exception.Message)
}
$WinAuditHost['errors'] = $hostErrors

# Without an elevated token the reads would fail or mislead: collect nothing, the client reports why.
if ($WinAuditHost['elevated'] -eq $false) { $WinAuditRequests = @() }

# Results a collector shares between the facts of its kind (the firewall is read once for every firewall fact).
$WinAuditCache = @{}
$WinAuditFacts = [ordered]@{}
foreach ($request in $WinAuditRequests) {
  $entry = [ordered]@{ kind = $request['kind']; ok = $true; value = $null }
  try {
    $collector = $WinAuditCollectors[$request['kind']]
    if ($null -eq $collector) { throw ('unknown fact kind ' + $request['kind']) }
    $entry['value'] = & $collector -Request $request
  } catch {
    $entry['ok'] = $false
    $entry['error'] = $_.Exception.Message
    $entry['errorId'] = [string]$_.FullyQualifiedErrorId
  }
  $WinAuditFacts[$request['id']] = $entry
}

$WinAuditDocument = [ordered]@{ schema = 1; collector = 'winaudit'; host = $WinAuditHost; facts = $WinAuditFacts }
Write-Output (ConvertTo-WinAuditJson -Value $WinAuditDocument -Depth 10)
exit 0
