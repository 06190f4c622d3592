# ---- winaudit capture: the raw answers of every query the collector makes for the playbook (capture schema 1) ----
# Read-only. The only thing written is secedit's export file under %windir%\Temp, removed at once. Nothing is
# converted into facts here: properties are copied as the cmdlets return them (enums as text, dates ISO-8601), so
# `winlab import` can rebuild the host and a developer can see what Windows said. Names and addresses are replaced
# on the client, not here.

$WinAuditCapture = [ordered]@{
  capture = 1
  collector = 'winaudit'
  capturedAt = [DateTime]::UtcNow.ToString('o')
  host = [ordered]@{
    computerName = [System.Environment]::MachineName
    user = $null
    userSid = $null
    elevated = $null
    powershellVersion = $PSVersionTable.PSVersion.ToString()
    programData = [string]$env:ProgramData
    windir = [string]$env:windir
  }
  kinds = $WinAuditCaptureKinds
  os = $null
  registry = @()
  firewallRules = $null
  firewallProfiles = $null
  connectionProfiles = $null
  services = $null
  win32Services = $null
  tcpListeners = $null
  terminalSettings = $null
  certificateStores = $null
  paths = $null
  userRights = $null
  domainMembership = $null
  localGroups = $null
  errors = @()
}

# A query that failed is recorded with PowerShell's message and the capture goes on: what is missing is visible.
function Add-WinAuditCaptureError {
  param([string]$Query, $ErrorRecord)
  $WinAuditCapture['errors'] += [ordered]@{
    query = $Query
    message = [string]$ErrorRecord.Exception.Message
    errorId = [string]$ErrorRecord.FullyQualifiedErrorId
  }
}

try {
  $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
  $WinAuditCapture['host']['user'] = [string]$identity.Name
  $WinAuditCapture['host']['userSid'] = [string]$identity.User.Value
  $WinAuditCapture['host']['elevated'] = ([Security.Principal.WindowsPrincipal]$identity).IsInRole([Security.Principal.SecurityIdentifier]'S-1-5-32-544')
} catch {
  Add-WinAuditCaptureError -Query 'WindowsIdentity' -ErrorRecord $_
}

# Without an elevated token the reads would fail or show less than is there: capture nothing, the client says why.
if ($WinAuditCapture['host']['elevated'] -eq $false) {
  Write-Output (ConvertTo-WinAuditJson -Value $WinAuditCapture -Depth 10)
  exit 0
}

try {
  $system = Get-CimInstance -ClassName 'Win32_OperatingSystem'
  $WinAuditCapture['os'] = [ordered]@{
    Caption = ConvertTo-WinAuditString -Value $system.Caption
    Version = ConvertTo-WinAuditString -Value $system.Version
    BuildNumber = ConvertTo-WinAuditString -Value $system.BuildNumber
    OSLanguage = ConvertTo-WinAuditNumber -Value $system.OSLanguage
  }
} catch {
  Add-WinAuditCaptureError -Query 'Win32_OperatingSystem' -ErrorRecord $_
}

# Registry values as stored, with their kind: the playbook's values, their policy twins, and the host's identity.
foreach ($value in $WinAuditCaptureRegistry) {
  try {
    $WinAuditCapture['registry'] += Read-WinAuditRegistryValue -Path $value['path'] -Name $value['name']
  } catch {
    Add-WinAuditCaptureError -Query ('registry ' + $value['path'] + ' ' + $value['name']) -ErrorRecord $_
  }
}
$machineGuid = $null
foreach ($value in $WinAuditCapture['registry']) {
  if ($value['name'] -eq 'MachineGuid' -and $value['exists']) { $machineGuid = [string]$value['value'] }
}

if ($WinAuditCaptureKinds -contains 'firewallRules') {
  try {
    # The collector's own queries (Find-WinAuditFirewallRules, Read-WinAuditFirewallFilters), kept raw here.
    $found = Find-WinAuditFirewallRules -Names $WinAuditCaptureFirewall['names'] -Groups $WinAuditCaptureFirewall['groups'] -Store 'ActiveStore' -Blocking:([bool]$WinAuditCaptureFirewall['blocking'])
    $rules = @($found['rules'])
    $filters = @{ Port = @{}; Address = @{}; Application = @{}; Service = @{} }
    if ($rules.Count -gt 0) {
      $filters = Read-WinAuditFirewallFilters -Store 'ActiveStore' -Kinds @('Port', 'Address', 'Application', 'Service')
    }
    $records = @()
    foreach ($rule in $rules) {
      $name = [string]$rule.Name
      $record = [ordered]@{
        Name = $name
        DisplayName = ConvertTo-WinAuditString -Value $rule.DisplayName
        Group = ConvertTo-WinAuditString -Value $rule.Group
        DisplayGroup = ConvertTo-WinAuditString -Value $rule.DisplayGroup
        Enabled = ConvertTo-WinAuditString -Value $rule.Enabled
        Profile = ConvertTo-WinAuditString -Value $rule.Profile
        Direction = ConvertTo-WinAuditString -Value $rule.Direction
        Action = ConvertTo-WinAuditString -Value $rule.Action
        PolicyStoreSourceType = ConvertTo-WinAuditString -Value $rule.PolicyStoreSourceType
        Protocol = $null
        LocalPort = @()
        RemoteAddress = @()
        Program = $null
        Service = $null
      }
      $port = $filters['Port'][$name]
      if ($null -ne $port) {
        $record['Protocol'] = ConvertTo-WinAuditString -Value $port.Protocol
        $record['LocalPort'] = @($port.LocalPort | ForEach-Object { ConvertTo-WinAuditString -Value $_ })
      }
      if ($null -ne $filters['Address'][$name]) {
        $record['RemoteAddress'] = @($filters['Address'][$name].RemoteAddress | ForEach-Object { ConvertTo-WinAuditString -Value $_ })
      }
      if ($null -ne $filters['Application'][$name]) { $record['Program'] = ConvertTo-WinAuditString -Value $filters['Application'][$name].Program }
      if ($null -ne $filters['Service'][$name]) { $record['Service'] = ConvertTo-WinAuditString -Value $filters['Service'][$name].Service }
      $records += $record
    }
    $WinAuditCapture['firewallRules'] = [ordered]@{
      names = @($WinAuditCaptureFirewall['names'])
      groups = @($WinAuditCaptureFirewall['groups'])
      blocking = [bool]$WinAuditCaptureFirewall['blocking']
      rules = $records
    }
  } catch {
    Add-WinAuditCaptureError -Query 'Get-NetFirewallRule' -ErrorRecord $_
  }
}

if ($WinAuditCaptureKinds -contains 'firewallProfiles') {
  try {
    $WinAuditCapture['firewallProfiles'] = @(Get-NetFirewallProfile -PolicyStore 'ActiveStore' -ErrorAction 'Stop' | ForEach-Object {
      [ordered]@{
        Name = ConvertTo-WinAuditString -Value $_.Name
        Enabled = ConvertTo-WinAuditString -Value $_.Enabled
        DefaultInboundAction = ConvertTo-WinAuditString -Value $_.DefaultInboundAction
        AllowInboundRules = ConvertTo-WinAuditString -Value $_.AllowInboundRules
        AllowLocalFirewallRules = ConvertTo-WinAuditString -Value $_.AllowLocalFirewallRules
      }
    })
  } catch {
    Add-WinAuditCaptureError -Query 'Get-NetFirewallProfile' -ErrorRecord $_
  }
}

if ($WinAuditCaptureKinds -contains 'networkProfiles' -or $WinAuditCaptureKinds -contains 'firewallProfiles') {
  try {
    $found = @()
    try {
      $found = @(Get-NetConnectionProfile -ErrorAction 'Stop')
    } catch {
      if (-not (Test-WinAuditNotFound -ErrorRecord $_)) { throw $_ }
    }
    $WinAuditCapture['connectionProfiles'] = @($found | ForEach-Object {
      [ordered]@{
        Name = ConvertTo-WinAuditString -Value $_.Name
        InterfaceAlias = ConvertTo-WinAuditString -Value $_.InterfaceAlias
        InterfaceIndex = ConvertTo-WinAuditNumber -Value $_.InterfaceIndex
        NetworkCategory = ConvertTo-WinAuditString -Value $_.NetworkCategory
        IPv4Connectivity = ConvertTo-WinAuditString -Value $_.IPv4Connectivity
      }
    })
  } catch {
    Add-WinAuditCaptureError -Query 'Get-NetConnectionProfile' -ErrorRecord $_
  }
}

if ($WinAuditCaptureServices.Count -gt 0) {
  $list = @()
  foreach ($name in $WinAuditCaptureServices) {
    try {
      $found = @()
      try {
        $found = @(Get-Service -Name $name -ErrorAction 'Stop')
      } catch {
        if (-not (Test-WinAuditNotFound -ErrorRecord $_)) { throw $_ }
      }
      $entry = [ordered]@{ query = $name; exists = ($found.Count -gt 0); Name = $null; DisplayName = $null; Status = $null; StartType = $null }
      if ($found.Count -gt 0) {
        $entry['Name'] = ConvertTo-WinAuditString -Value $found[0].Name
        $entry['DisplayName'] = ConvertTo-WinAuditString -Value $found[0].DisplayName
        $entry['Status'] = ConvertTo-WinAuditString -Value $found[0].Status
        $entry['StartType'] = ConvertTo-WinAuditString -Value $found[0].StartType
      }
      $list += $entry
    } catch {
      Add-WinAuditCaptureError -Query ('Get-Service ' + $name) -ErrorRecord $_
    }
  }
  $WinAuditCapture['services'] = $list
}

$owners = @()
if ($WinAuditCaptureKinds -contains 'tcpListener') {
  try {
    $connections = @()
    try {
      $connections = @(Get-NetTCPConnection -State 'Listen' -ErrorAction 'Stop')
    } catch {
      if (-not (Test-WinAuditNotFound -ErrorRecord $_)) { throw $_ }
    }
    $WinAuditCapture['tcpListeners'] = @($connections | ForEach-Object {
      [ordered]@{
        LocalAddress = ConvertTo-WinAuditString -Value $_.LocalAddress
        LocalPort = ConvertTo-WinAuditNumber -Value $_.LocalPort
        OwningProcess = ConvertTo-WinAuditNumber -Value $_.OwningProcess
      }
    })
    $owners = @($connections | ForEach-Object { [long]$_.OwningProcess })
  } catch {
    Add-WinAuditCaptureError -Query 'Get-NetTCPConnection' -ErrorRecord $_
  }
}

# Win32_Service once: the logon account of the playbook's services, and which services own the listeners.
if ($WinAuditCaptureServices.Count -gt 0 -or $owners.Count -gt 0) {
  try {
    $WinAuditCapture['win32Services'] = @(Get-CimInstance -ClassName 'Win32_Service' | Where-Object {
      ($WinAuditCaptureServices -contains [string]$_.Name) -or ([long]$_.ProcessId -ne 0 -and $owners -contains [long]$_.ProcessId)
    } | ForEach-Object {
      [ordered]@{
        Name = ConvertTo-WinAuditString -Value $_.Name
        State = ConvertTo-WinAuditString -Value $_.State
        StartMode = ConvertTo-WinAuditString -Value $_.StartMode
        StartName = ConvertTo-WinAuditString -Value $_.StartName
        ProcessId = ConvertTo-WinAuditNumber -Value $_.ProcessId
      }
    })
  } catch {
    Add-WinAuditCaptureError -Query 'Win32_Service' -ErrorRecord $_
  }
}

if ($WinAuditCaptureKinds -contains 'terminalSettings') {
  try {
    $WinAuditCapture['terminalSettings'] = @(Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName 'Win32_TSGeneralSetting' | ForEach-Object {
      [ordered]@{
        TerminalName = ConvertTo-WinAuditString -Value $_.TerminalName
        SSLCertificateSHA1Hash = ConvertTo-WinAuditString -Value $_.SSLCertificateSHA1Hash
        SSLCertificateSHA1HashType = ConvertTo-WinAuditNumber -Value $_.SSLCertificateSHA1HashType
        UserAuthenticationRequired = ConvertTo-WinAuditNumber -Value $_.UserAuthenticationRequired
        SecurityLayer = ConvertTo-WinAuditNumber -Value $_.SecurityLayer
        MinEncryptionLevel = ConvertTo-WinAuditNumber -Value $_.MinEncryptionLevel
        PolicySourceUserAuthenticationRequired = ConvertTo-WinAuditNumber -Value $_.PolicySourceUserAuthenticationRequired
        PolicySourceSecurityLayer = ConvertTo-WinAuditNumber -Value $_.PolicySourceSecurityLayer
        PolicySourceMinEncryptionLevel = ConvertTo-WinAuditNumber -Value $_.PolicySourceMinEncryptionLevel
      }
    })
  } catch {
    Add-WinAuditCaptureError -Query 'Win32_TSGeneralSetting' -ErrorRecord $_
  }
}

# Certificates with where their private key lives (CryptoAPI in MachineKeys, CNG in Crypto\Keys) and its file's ACL,
# located the way the collector locates them.
if ($WinAuditCaptureStores.Count -gt 0) {
  $stores = @()
  foreach ($store in $WinAuditCaptureStores) {
    try {
      $entry = [ordered]@{ store = $store; exists = [bool](Test-Path -LiteralPath $store); certificates = @() }
      if ($entry['exists']) {
        $list = @()
        foreach ($certificate in @(Get-ChildItem -LiteralPath $store)) {
          $record = [ordered]@{
            Thumbprint = ConvertTo-WinAuditString -Value $certificate.Thumbprint
            Subject = ConvertTo-WinAuditString -Value $certificate.Subject
            Issuer = ConvertTo-WinAuditString -Value $certificate.Issuer
            FriendlyName = ConvertTo-WinAuditString -Value $certificate.FriendlyName
            NotBefore = $certificate.NotBefore.ToUniversalTime().ToString('o')
            NotAfter = $certificate.NotAfter.ToUniversalTime().ToString('o')
            HasPrivateKey = [bool]$certificate.HasPrivateKey
          }
          # The collector's own lookup (Get-WinAuditCertificateKey).
          $key = Get-WinAuditCertificateKey -Certificate $certificate
          $record['keyStorage'] = $key['storage']
          $record['keyContainer'] = $key['container']
          $record['keyError'] = $key['error']
          $record['keyFile'] = $key['file']
          $record['keyFileExists'] = $key['fileExists']
          $record['keyFileSddl'] = $key['sddl']
          $record['keyFileAclError'] = $key['aclError']
          $list += $record
        }
        $entry['certificates'] = $list
      }
      $stores += $entry
    } catch {
      Add-WinAuditCaptureError -Query ('Get-ChildItem ' + $store) -ErrorRecord $_
    }
  }
  $WinAuditCapture['certificateStores'] = $stores
}

if ($WinAuditCapturePaths.Count -gt 0) {
  $list = @()
  foreach ($template in $WinAuditCapturePaths) {
    try {
      $path = $template.Replace('{ProgramData}', [string]$env:ProgramData)
      if ($path.Contains('{MachineGuid}')) {
        if ($null -eq $machineGuid) { throw 'MachineGuid is unknown, so the path cannot be built' }
        $path = $path.Replace('{MachineGuid}', $machineGuid)
      }
      $entry = [ordered]@{ template = $template; path = $path; exists = [bool](Test-Path -LiteralPath $path); container = $null; sddl = $null }
      if ($entry['exists']) {
        $entry['container'] = [bool](Get-Item -LiteralPath $path -Force).PSIsContainer
        $entry['sddl'] = ConvertTo-WinAuditString -Value (Get-Acl -LiteralPath $path).Sddl
      }
      $list += $entry
    } catch {
      Add-WinAuditCaptureError -Query ('path ' + $template) -ErrorRecord $_
    }
  }
  $WinAuditCapture['paths'] = $list
}

# secedit's export as written (one line an entry), from a file of ours that is removed at once.
if ($WinAuditCaptureKinds -contains 'userRights') {
  try {
    $WinAuditCapture['userRights'] = [ordered]@{
      folder = $env:windir + '\Temp'
      lines = @(Export-WinAuditUserRights)
    }
  } catch {
    Add-WinAuditCaptureError -Query 'secedit /export /areas USER_RIGHTS' -ErrorRecord $_
  }
}

# Domain membership and the secure channel, and local group members, with the collector's own functions
# (Get-WinAuditDomainMembership, Get-WinAuditLocalGroup), under the capture's property names.
if ($WinAuditCaptureKinds -contains 'domainMembership') {
  try {
    $membership = Get-WinAuditDomainMembership -Request @{}
    $WinAuditCapture['domainMembership'] = [ordered]@{
      PartOfDomain = $membership['partOfDomain']
      Domain = $membership['domain']
      Workgroup = $membership['workgroup']
      SecureChannel = $membership['secureChannel']
    }
  } catch {
    Add-WinAuditCaptureError -Query 'Win32_ComputerSystem / Test-ComputerSecureChannel' -ErrorRecord $_
  }
}

if ($WinAuditCaptureGroups.Count -gt 0) {
  $list = @()
  foreach ($sid in $WinAuditCaptureGroups) {
    try {
      $group = Get-WinAuditLocalGroup -Request @{ sid = $sid }
      $list += [ordered]@{
        SID = $sid
        Exists = $group['exists']
        Members = @($group['members'] | ForEach-Object { [ordered]@{ SID = $_['sid']; Name = $_['name']; Domain = $_['domain'] } })
      }
    } catch {
      Add-WinAuditCaptureError -Query ('Win32_Group ' + $sid) -ErrorRecord $_
    }
  }
  $WinAuditCapture['localGroups'] = $list
}

Write-Output (ConvertTo-WinAuditJson -Value $WinAuditCapture -Depth 10)
exit 0
