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
