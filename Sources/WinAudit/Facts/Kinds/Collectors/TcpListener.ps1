function Get-WinAuditTcpListener {
  param($Request)
  $port = $Request['port']
  if ($null -ne $Request['portFact']) {
    $port = $Request['portDefault']
    $source = $WinAuditFacts[$Request['portFact']]
    if ($null -ne $source -and $source['ok'] -and $null -ne $source['value']['effective']) {
      $port = $source['value']['effective']
    }
  }
  $port = [int]$port
  $connections = @()
  try {
    $connections = @(Get-NetTCPConnection -State 'Listen' -LocalPort $port -ErrorAction 'Stop')
  } catch {
    if (-not (Test-WinAuditNotFound -ErrorRecord $_)) { throw $_ }
  }
  $servicesByProcess = @{}
  $listeners = @()
  foreach ($connection in $connections) {
    $owner = [int]$connection.OwningProcess
    if (-not $servicesByProcess.ContainsKey($owner)) {
      $names = @(Get-CimInstance -ClassName 'Win32_Service' -Filter ('ProcessId = ' + $owner) | ForEach-Object {
        ConvertTo-WinAuditString -Value $_.Name
      })
      $servicesByProcess[$owner] = $names
    }
    $listeners += [ordered]@{
      address = ConvertTo-WinAuditString -Value $connection.LocalAddress
      port = [int]$connection.LocalPort
      processId = $owner
      services = @($servicesByProcess[$owner])
    }
  }
  return [ordered]@{ port = $port; listeners = $listeners }
}
