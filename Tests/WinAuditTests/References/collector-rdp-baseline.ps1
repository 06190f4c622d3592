$ProgressPreference = 'SilentlyContinue'
$ErrorActionPreference = 'Stop'
# winaudit fact collector, facts schema 1. Generated: `winaudit script` prints it.
# Requested facts: one entry each, every value a single-quoted literal.
$WinAuditRequests = @(
  [ordered]@{ id = 'denyConnections'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'; name = 'fDenyTSConnections'; policyPath = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'; policyName = 'fDenyTSConnections' }
  [ordered]@{ id = 'tsEnabled'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'; name = 'TSEnabled' }
  [ordered]@{ id = 'drainMode'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'; name = 'TSServerDrainMode' }
  [ordered]@{ id = 'tsUserEnabled'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'; name = 'TSUserEnabled' }
  [ordered]@{ id = 'portNumber'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'PortNumber' }
  [ordered]@{ id = 'winStationEnabled'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'fEnableWinStation' }
  [ordered]@{ id = 'logonDisabled'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'fLogonDisabled' }
  [ordered]@{ id = 'nla'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'UserAuthentication'; policyPath = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'; policyName = 'UserAuthentication' }
  [ordered]@{ id = 'securityLayer'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'SecurityLayer'; policyPath = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'; policyName = 'SecurityLayer' }
  [ordered]@{ id = 'minEncryptionLevel'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'MinEncryptionLevel'; policyPath = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'; policyName = 'MinEncryptionLevel' }
  [ordered]@{ id = 'credsspOracle'; kind = 'registry'; path = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters'; name = 'AllowEncryptionOracle' }
  [ordered]@{ id = 'tls12Enabled'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'; name = 'Enabled' }
  [ordered]@{ id = 'tls12DisabledByDefault'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'; name = 'DisabledByDefault' }
  [ordered]@{ id = 'lanAdapter'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'LanAdapter' }
  [ordered]@{ id = 'maxInstanceCount'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'MaxInstanceCount'; policyPath = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'; policyName = 'MaxInstanceCount' }
  [ordered]@{ id = 'winStationsDisabled'; kind = 'registry'; path = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon'; name = 'WinStationsDisabled' }
  [ordered]@{ id = 'setupInProgress'; kind = 'registry'; path = 'HKLM:\SYSTEM\Setup'; name = 'SystemSetupInProgress' }
  [ordered]@{ id = 'termService'; kind = 'service'; name = 'TermService' }
  [ordered]@{ id = 'umRdpService'; kind = 'service'; name = 'UmRdpService' }
  [ordered]@{ id = 'sessionEnv'; kind = 'service'; name = 'SessionEnv' }
  [ordered]@{ id = 'keyIso'; kind = 'service'; name = 'KeyIso' }
  [ordered]@{ id = 'cryptSvc'; kind = 'service'; name = 'CryptSvc' }
  [ordered]@{ id = 'certPropSvc'; kind = 'service'; name = 'CertPropSvc' }
  [ordered]@{ id = 'rdpListener'; kind = 'tcpListener'; portFact = 'portNumber'; portDefault = 3389 }
  [ordered]@{ id = 'rdpFirewall'; kind = 'firewallRules'; group = '@FirewallAPI.dll,-28752' }
  [ordered]@{ id = 'networkProfiles'; kind = 'networkProfiles' }
  [ordered]@{ id = 'firewallProfiles'; kind = 'firewallProfiles' }
  [ordered]@{ id = 'inboundBlockRules'; kind = 'firewallRules'; blocking = $true }
  [ordered]@{ id = 'firewallService'; kind = 'service'; name = 'MpsSvc' }
  [ordered]@{ id = 'userRights'; kind = 'userRights' }
  [ordered]@{ id = 'domainMembership'; kind = 'domainMembership' }
  [ordered]@{ id = 'rdUsers'; kind = 'localGroup'; sid = 'S-1-5-32-555' }
  [ordered]@{ id = 'baseFilteringEngine'; kind = 'service'; name = 'BFE' }
  [ordered]@{ id = 'listenerSettings'; kind = 'terminalSettings'; terminal = 'RDP-Tcp' }
  [ordered]@{ id = 'listenerCertificateHash'; kind = 'registry'; path = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'; name = 'SSLCertificateSHA1Hash' }
  [ordered]@{ id = 'rdpCertificates'; kind = 'certificates'; store = 'Cert:\LocalMachine\Remote Desktop' }
  [ordered]@{ id = 'personalCertificates'; kind = 'certificates'; store = 'Cert:\LocalMachine\My' }
  [ordered]@{ id = 'machineKeys'; kind = 'path'; path = '{ProgramData}\Microsoft\Crypto\RSA\MachineKeys' }
  [ordered]@{ id = 'rdpKeyFile'; kind = 'path'; path = '{ProgramData}\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_{MachineGuid}' }
)
# The function that collects each kind of fact.
$WinAuditCollectors = @{ 'registry' = 'Get-WinAuditRegistryFact'; 'service' = 'Get-WinAuditService'; 'tcpListener' = 'Get-WinAuditTcpListener'; 'firewallRules' = 'Get-WinAuditFirewallFact'; 'networkProfiles' = 'Get-WinAuditNetworkProfiles'; 'firewallProfiles' = 'Get-WinAuditFirewallProfiles'; 'userRights' = 'Get-WinAuditUserRights'; 'domainMembership' = 'Get-WinAuditDomainMembership'; 'localGroup' = 'Get-WinAuditLocalGroup'; 'terminalSettings' = 'Get-WinAuditTerminalSettings'; 'certificates' = 'Get-WinAuditCertificates'; 'path' = 'Get-WinAuditPath' }

# ---- winaudit: shared conversions and reads of the audit and of fixes (facts schema 1); they never change the host ----

function ConvertTo-WinAuditString {
  param($Value)
  if ($null -eq $Value) { return $null }
  return $Value.ToString()
}

function ConvertTo-WinAuditNumber {
  param($Value)
  if ($null -eq $Value) { return $null }
  return [long]$Value
}

function ConvertTo-WinAuditPlain {
  param($Value)
  if ($null -eq $Value) { return $null }
  if ($Value -is [byte[]]) { return (($Value | ForEach-Object { '{0:X2}' -f $_ }) -join '') }
  if ($Value -is [array]) { return ,@($Value | ForEach-Object { ConvertTo-WinAuditString -Value $_ }) }
  if ($Value -is [datetime]) { return $Value.ToString('o') }
  if ($Value -is [string] -or $Value -is [int] -or $Value -is [long] -or $Value -is [bool] -or $Value -is [double]) {
    return $Value
  }
  return $Value.ToString()
}

function Test-WinAuditNotFound {
  param($ErrorRecord)
  $id = [string]$ErrorRecord.FullyQualifiedErrorId
  return ($id.StartsWith('CmdletizationQuery_NotFound') -or $id.StartsWith('NoServiceFoundForGivenName'))
}

# One registry value: whether it exists, its kind, and its value as stored (binary as hex, multi-strings as arrays,
# REG_EXPAND_SZ unexpanded: Get-ItemPropertyValue would expand it and lose its type, so a restore would write another
# value). The audit and the fixes read every registry value through this function.
function Read-WinAuditRegistryValue {
  param([string]$Path, [string]$Name)
  $entry = [ordered]@{ path = $Path; name = $Name; exists = $false; type = $null; value = $null; keyExists = $false }
  if (-not (Test-Path -LiteralPath $Path)) { return $entry }
  $entry['keyExists'] = $true
  $key = Get-Item -LiteralPath $Path
  if (@($key.GetValueNames()) -notcontains $Name) { return $entry }
  $entry['exists'] = $true
  $entry['type'] = [string]$key.GetValueKind($Name)
  $entry['value'] = ConvertTo-WinAuditPlain -Value $key.GetValue($Name, $null, 'DoNotExpandEnvironmentNames')
  return $entry
}

# HKLM:\SOFTWARE\Microsoft\Cryptography MachineGuid, which names the RDP self-signed certificate's key file.
function Read-WinAuditMachineGuid {
  return ConvertTo-WinAuditString -Value (Get-ItemPropertyValue -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Cryptography' -Name 'MachineGuid' -ErrorAction 'Stop')
}

# Every connected network's category, read once per audit script (the network and firewall profile facts both need
# it); a fix script, which has no cache, reads it each time.
function Get-WinAuditConnectionProfiles {
  if ($null -eq $WinAuditCache -or -not $WinAuditCache.ContainsKey('connectionProfiles')) {
    $found = @()
    try {
      $found = @(Get-NetConnectionProfile -ErrorAction 'Stop')
    } catch {
      if (-not (Test-WinAuditNotFound -ErrorRecord $_)) { throw $_ }
    }
    $profiles = @($found | ForEach-Object {
      [ordered]@{
        interfaceAlias = ConvertTo-WinAuditString -Value $_.InterfaceAlias
        networkCategory = ConvertTo-WinAuditString -Value $_.NetworkCategory
      }
    })
    if ($null -eq $WinAuditCache) { return $profiles }
    $WinAuditCache['connectionProfiles'] = $profiles
  }
  return $WinAuditCache['connectionProfiles']
}

# Compact JSON with every non-ASCII character escaped as \uXXXX: whatever code page the console writes stdout in (and
# [Console]::OutputEncoding cannot always be set without a console), the client reads the same text.
function ConvertTo-WinAuditJson {
  param($Value, [int]$Depth)
  $json = ConvertTo-Json -InputObject $Value -Depth $Depth -Compress
  if ($json -notmatch '[^\x00-\x7F]') { return $json }
  $builder = New-Object -TypeName 'System.Text.StringBuilder'
  foreach ($character in $json.ToCharArray()) {
    $code = [int]$character
    if ($code -lt 128) {
      $null = $builder.Append($character)
    } else {
      $null = $builder.Append('\u' + $code.ToString('x4'))
    }
  }
  return $builder.ToString()
}

function Get-WinAuditRegistryFact {
  param($Request)
  $local = Read-WinAuditRegistryValue -Path $Request['path'] -Name $Request['name']
  $policy = $null
  if ($null -ne $Request['policyName']) {
    $policy = Read-WinAuditRegistryValue -Path $Request['policyPath'] -Name $Request['policyName']
  }
  $effective = $null
  $source = 'absent'
  if ($null -ne $policy -and $policy['exists']) {
    $effective = $policy['value']
    $source = 'group-policy'
  } elseif ($local['exists']) {
    $effective = $local['value']
    $source = 'local'
  }
  return [ordered]@{
    path = $local['path']
    name = $local['name']
    exists = $local['exists']
    type = $local['type']
    value = $local['value']
    policy = $policy
    effective = $effective
    source = $source
  }
}

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

# The rule objects by Name and by group id, and with -Blocking every enabled inbound Block rule, each rule once, in that
# order; `blockNames` are the Block rules' names. A query that matches nothing may answer "not found": no rule, not a
# failure. Shared by the audit (ActiveStore: local and Group Policy rules, what is in force), the fixes (PersistentStore:
# the local rules they change and restore) and `winaudit capture`.
function Find-WinAuditFirewallRules {
  param($Names, $Groups, [string]$Store = 'ActiveStore', [switch]$Blocking)
  $rules = @()
  $blockNames = @()
  $queries = @()
  if ($Names.Count -gt 0) { $queries += ,@{ Name = $Names } }
  if ($Groups.Count -gt 0) { $queries += ,@{ Group = $Groups } }
  if ($Blocking) { $queries += ,@{ Direction = 'Inbound'; Action = 'Block'; Enabled = 'True' } }
  foreach ($query in $queries) {
    $found = @(Get-NetFirewallRule -PolicyStore $Store @query -ErrorAction 'SilentlyContinue' -ErrorVariable 'winAuditRuleErrors')
    foreach ($problem in @($winAuditRuleErrors)) {
      if (-not (Test-WinAuditNotFound -ErrorRecord $problem)) { throw $problem }
    }
    if ($query.ContainsKey('Action')) { $blockNames = @($found | ForEach-Object { [string]$_.Name }) }
    $seen = @($rules | ForEach-Object { [string]$_.Name })
    $rules += @($found | Where-Object { $seen -notcontains [string]$_.Name })
  }
  return [ordered]@{ rules = $rules; blockNames = $blockNames }
}

# Every filter of the given kinds (Port, Address, Application, Service) in one query each, by InstanceID (one filter
# per rule; its InstanceID is the rule's Name): the store may list them in another order than the rules, so they are
# joined by that id, never by position.
function Read-WinAuditFirewallFilters {
  param([string]$Store, $Kinds)
  $filters = @{}
  foreach ($kind in $Kinds) {
    $list = @()
    if ($kind -eq 'Port') { $list = @(Get-NetFirewallPortFilter -PolicyStore $Store -All) }
    elseif ($kind -eq 'Address') { $list = @(Get-NetFirewallAddressFilter -PolicyStore $Store -All) }
    elseif ($kind -eq 'Application') { $list = @(Get-NetFirewallApplicationFilter -PolicyStore $Store -All) }
    elseif ($kind -eq 'Service') { $list = @(Get-NetFirewallServiceFilter -PolicyStore $Store -All) }
    else { throw ('unknown firewall filter kind ' + $kind) }
    $byRule = @{}
    foreach ($filter in $list) { $byRule[[string]$filter.InstanceID] = $filter }
    $filters[$kind] = $byRule
  }
  return $filters
}

# Rules with their port and address filters as records; Block rules also with their program and service filters (a
# Block rule for another program does not block the listener).
function Get-WinAuditFirewallRules {
  param($Names, $Groups, [string]$Store = 'ActiveStore', [switch]$Blocking)
  $found = Find-WinAuditFirewallRules -Names $Names -Groups $Groups -Store $Store -Blocking:$Blocking
  $rules = @($found['rules'])
  $blockNames = @($found['blockNames'])
  $kinds = @()
  if ($rules.Count -gt 0) { $kinds += @('Port', 'Address') }
  if ($blockNames.Count -gt 0) { $kinds += @('Application', 'Service') }
  $filters = Read-WinAuditFirewallFilters -Store $Store -Kinds $kinds
  $records = @()
  foreach ($rule in $rules) {
    $name = [string]$rule.Name
    $protocol = $null
    $localPorts = @()
    $remote = @()
    if ($kinds -contains 'Port' -and $null -ne $filters['Port'][$name]) {
      $protocol = ConvertTo-WinAuditString -Value $filters['Port'][$name].Protocol
      $localPorts = @($filters['Port'][$name].LocalPort | ForEach-Object { ConvertTo-WinAuditString -Value $_ })
    }
    if ($kinds -contains 'Address' -and $null -ne $filters['Address'][$name]) {
      $remote = @($filters['Address'][$name].RemoteAddress | ForEach-Object { ConvertTo-WinAuditString -Value $_ })
    }
    $record = [ordered]@{
      name = ConvertTo-WinAuditString -Value $rule.Name
      displayName = ConvertTo-WinAuditString -Value $rule.DisplayName
      group = ConvertTo-WinAuditString -Value $rule.Group
      enabled = ((ConvertTo-WinAuditString -Value $rule.Enabled) -eq 'True')
      profile = ConvertTo-WinAuditString -Value $rule.Profile
      direction = ConvertTo-WinAuditString -Value $rule.Direction
      action = ConvertTo-WinAuditString -Value $rule.Action
      source = ConvertTo-WinAuditString -Value $rule.PolicyStoreSourceType
      protocol = $protocol
      localPort = $localPorts
      remoteAddress = $remote
    }
    if ($blockNames -contains $name) {
      $record['program'] = $null
      $record['service'] = $null
      if ($null -ne $filters['Application'][$name]) { $record['program'] = ConvertTo-WinAuditString -Value $filters['Application'][$name].Program }
      if ($null -ne $filters['Service'][$name]) { $record['service'] = ConvertTo-WinAuditString -Value $filters['Service'][$name].Service }
    }
    $records += $record
  }
  return $records
}

function Get-WinAuditFirewallFact {
  param($Request)
  # Get-NetFirewallRule can take tens of seconds on a real host: the first firewall fact reads the rules of every
  # firewall fact in the script at once, the others reuse that read (or its error).
  if (-not $WinAuditCache.ContainsKey('firewallRules')) {
    $names = @()
    $groups = @()
    $blocking = $false
    foreach ($other in $WinAuditRequests) {
      if ($other['kind'] -eq $Request['kind']) {
        if ($null -ne $other['names']) { $names += $other['names'] }
        if ($null -ne $other['group']) { $groups += $other['group'] }
        if ($other['blocking'] -eq $true) { $blocking = $true }
      }
    }
    $read = [ordered]@{ rules = @(); error = $null }
    try {
      $read['rules'] = @(Get-WinAuditFirewallRules -Names $names -Groups $groups -Blocking:$blocking)
    } catch {
      $read['error'] = $_.Exception.Message
    }
    $WinAuditCache['firewallRules'] = $read
  }
  $firewall = $WinAuditCache['firewallRules']
  if ($null -ne $firewall['error']) { throw $firewall['error'] }
  $matched = @()
  $missing = @()
  if ($null -ne $Request['names']) {
    $matched = @($firewall['rules'] | Where-Object { $Request['names'] -contains $_['name'] })
    foreach ($name in $Request['names']) {
      $hits = @($matched | Where-Object { $_['name'] -eq $name })
      if ($hits.Count -eq 0) { $missing += $name }
    }
  } elseif ($Request['blocking'] -eq $true) {
    $matched = @($firewall['rules'] | Where-Object { $_['action'] -eq 'Block' -and $_['direction'] -eq 'Inbound' -and $_['enabled'] })
  } else {
    $matched = @($firewall['rules'] | Where-Object { $_['group'] -eq $Request['group'] })
  }
  return [ordered]@{ rules = $matched; missing = $missing }
}

function Get-WinAuditNetworkProfiles {
  param($Request)
  return [ordered]@{ profiles = @(Get-WinAuditConnectionProfiles) }
}

# The settings of the three firewall profiles in force (ActiveStore: Group Policy included), each marked active when a
# connected network is in it. A profile whose setting says NotConfigured has Windows' default for it.
function Get-WinAuditFirewallProfiles {
  param($Request)
  $active = @()
  foreach ($connection in @(Get-WinAuditConnectionProfiles)) {
    $category = [string]$connection['networkCategory']
    if ($category -eq 'DomainAuthenticated') { $category = 'Domain' }
    if ($active -notcontains $category) { $active += $category }
  }
  $profiles = @()
  foreach ($setting in @(Get-NetFirewallProfile -PolicyStore 'ActiveStore' -ErrorAction 'Stop')) {
    $name = ConvertTo-WinAuditString -Value $setting.Name
    $profiles += [ordered]@{
      name = $name
      active = ($active -contains $name)
      enabled = ConvertTo-WinAuditString -Value $setting.Enabled
      defaultInboundAction = ConvertTo-WinAuditString -Value $setting.DefaultInboundAction
      allowInboundRules = ConvertTo-WinAuditString -Value $setting.AllowInboundRules
      allowLocalFirewallRules = ConvertTo-WinAuditString -Value $setting.AllowLocalFirewallRules
    }
  }
  return [ordered]@{ profiles = $profiles }
}

# secedit's export of the user rights in force, as its lines: the only documented interface that covers Group Policy
# and local assignments alike, by SID. The export goes to a file of ours under %windir%\Temp, removed at once. Shared
# with `winaudit capture`.
function Export-WinAuditUserRights {
  $file = $env:windir + '\Temp\winaudit-user-rights-' + [string][DateTime]::UtcNow.Ticks + '.inf'
  try {
    $null = & secedit.exe '/export' '/areas' 'USER_RIGHTS' '/cfg' $file '/quiet'
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $file)) {
      throw ('secedit /export failed with exit code ' + $LASTEXITCODE)
    }
    return @(Get-Content -LiteralPath $file -Encoding 'Unicode')
  } finally {
    if (Test-Path -LiteralPath $file) { Remove-Item -LiteralPath $file -Force }
  }
}

# The rights of the export's [Privilege Rights] section, each a list of holders (SIDs without secedit's `*`).
function Get-WinAuditUserRights {
  param($Request)
  $rights = [ordered]@{}
  $inSection = $false
  foreach ($line in @(Export-WinAuditUserRights)) {
    if ($line -match '^\s*\[(.+)\]\s*$') {
      $inSection = ($Matches[1] -eq 'Privilege Rights')
      continue
    }
    if ($inSection -and $line -match '^\s*(\w+)\s*=\s*(.*)$') {
      $name = $Matches[1]
      $holders = @($Matches[2].Split(',') | ForEach-Object { $_.Trim().TrimStart('*') } | Where-Object { $_ -ne '' })
      $rights[$name] = $holders
    }
  }
  return [ordered]@{ rights = $rights }
}

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

function Get-WinAuditTerminalSettings {
  param($Request)
  $terminal = [string]$Request['terminal']
  $settings = @(Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName 'Win32_TSGeneralSetting' | Where-Object {
    $_.TerminalName -eq $terminal
  })
  if ($settings.Count -eq 0) { throw ('Win32_TSGeneralSetting has no instance for terminal ' + $terminal) }
  $setting = $settings[0]
  return [ordered]@{
    terminalName = ConvertTo-WinAuditString -Value $setting.TerminalName
    certificateThumbprint = ConvertTo-WinAuditString -Value $setting.SSLCertificateSHA1Hash
    certificateType = ConvertTo-WinAuditNumber -Value $setting.SSLCertificateSHA1HashType
    userAuthenticationRequired = ConvertTo-WinAuditNumber -Value $setting.UserAuthenticationRequired
    securityLayer = ConvertTo-WinAuditNumber -Value $setting.SecurityLayer
    minEncryptionLevel = ConvertTo-WinAuditNumber -Value $setting.MinEncryptionLevel
    policySourceUserAuthenticationRequired = ConvertTo-WinAuditNumber -Value $setting.PolicySourceUserAuthenticationRequired
    policySourceSecurityLayer = ConvertTo-WinAuditNumber -Value $setting.PolicySourceSecurityLayer
    policySourceMinEncryptionLevel = ConvertTo-WinAuditNumber -Value $setting.PolicySourceMinEncryptionLevel
  }
}

# The certificates of a store. Whether TermService can use a private key is NETWORK SERVICE's question, not the
# administrator's running this: so the key is located (a CryptoAPI key in MachineKeys, a CNG key in Crypto\Keys, which
# $cert.PrivateKey cannot open) and its file's ACL is reported for the client to judge.
# Where a certificate's private key lives and its key file's ACL, or why that is unknown; shared with `winaudit capture`.
# A key whose ACL refuses the administrator (READ_CONTROL) cannot be judged from here: `aclError` says so, never a guess.
function Get-WinAuditCertificateKey {
  param($Certificate)
  $key = [ordered]@{
    readable = $false; error = $null; storage = $null; container = $null; file = $null; fileExists = $null
    sddl = $null; aclError = $null
  }
  if (-not $Certificate.HasPrivateKey) { return $key }
  try {
    $opened = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    if ($null -eq $opened) {
      $key['error'] = 'the private key could not be opened'
    } elseif ($null -ne $opened.Key) {
      $key['readable'] = $true
      $key['storage'] = 'CNG'
      $key['container'] = ConvertTo-WinAuditString -Value $opened.Key.UniqueName
      $key['file'] = $env:ProgramData + '\Microsoft\Crypto\Keys\' + $key['container']
    } else {
      $key['readable'] = $true
      $key['storage'] = 'CSP'
      $key['container'] = ConvertTo-WinAuditString -Value $opened.CspKeyContainerInfo.UniqueKeyContainerName
      $key['file'] = $env:ProgramData + '\Microsoft\Crypto\RSA\MachineKeys\' + $key['container']
    }
  } catch {
    $key['error'] = $_.Exception.Message
  }
  if ($null -ne $key['file']) {
    $key['fileExists'] = [bool](Test-Path -LiteralPath $key['file'])
    if ($key['fileExists']) {
      try {
        $key['sddl'] = ConvertTo-WinAuditString -Value (Get-Acl -LiteralPath $key['file'] -ErrorAction 'Stop').Sddl
      } catch {
        $key['aclError'] = $_.Exception.Message
      }
    }
  }
  return $key
}

function Get-WinAuditCertificates {
  param($Request)
  $store = [string]$Request['store']
  $result = [ordered]@{ store = $store; exists = $false; certificates = @() }
  if (-not (Test-Path -LiteralPath $store)) { return $result }
  $result['exists'] = $true
  $list = @()
  foreach ($certificate in @(Get-ChildItem -LiteralPath $store)) {
    $key = Get-WinAuditCertificateKey -Certificate $certificate
    $keyError = $key['error']
    if ($key['fileExists'] -eq $false) { $keyError = 'the key file ' + $key['file'] + ' does not exist' }
    $list += [ordered]@{
      thumbprint = ConvertTo-WinAuditString -Value $certificate.Thumbprint
      subject = ConvertTo-WinAuditString -Value $certificate.Subject
      issuer = ConvertTo-WinAuditString -Value $certificate.Issuer
      notBefore = $certificate.NotBefore.ToString('o')
      notAfter = $certificate.NotAfter.ToString('o')
      hasPrivateKey = [bool]$certificate.HasPrivateKey
      privateKeyReadable = $key['readable']
      privateKeyError = $keyError
      keyStorage = $key['storage']
      keyContainer = $key['container']
      keyFile = $key['file']
      keyFileSddl = $key['sddl']
      keyFileAclError = $key['aclError']
    }
  }
  $result['certificates'] = $list
  return $result
}

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
