# Rules by Name and by group id with their port and address filters, and with -Blocking every enabled inbound Block
# rule (with its program and service filters: a Block rule for another program does not block the listener). The audit
# reads the ActiveStore (local and Group Policy rules: what is in force); fixes read the PersistentStore, the local
# rules they change and restore.
function Get-WinAuditFirewallRules {
  param($Names, $Groups, [string]$Store = 'ActiveStore', [switch]$Blocking)
  $rules = @()
  if ($Names.Count -gt 0) {
    $rules += @(Get-NetFirewallRule -PolicyStore $Store -Name $Names -ErrorAction 'SilentlyContinue' -ErrorVariable 'winAuditNameErrors')
    foreach ($problem in @($winAuditNameErrors)) {
      if (-not (Test-WinAuditNotFound -ErrorRecord $problem)) { throw $problem }
    }
  }
  if ($Groups.Count -gt 0) {
    $seen = @($rules | ForEach-Object { [string]$_.Name })
    $grouped = @(Get-NetFirewallRule -PolicyStore $Store -Group $Groups -ErrorAction 'SilentlyContinue' -ErrorVariable 'winAuditGroupErrors')
    foreach ($problem in @($winAuditGroupErrors)) {
      if (-not (Test-WinAuditNotFound -ErrorRecord $problem)) { throw $problem }
    }
    $rules += @($grouped | Where-Object { $seen -notcontains [string]$_.Name })
  }
  $blockNames = @()
  if ($Blocking) {
    $seen = @($rules | ForEach-Object { [string]$_.Name })
    # A query that matches nothing may report "not found", as the Name query does: that is no Block rule, not a failure.
    $blocks = @(Get-NetFirewallRule -PolicyStore $Store -Direction 'Inbound' -Action 'Block' -Enabled 'True' -ErrorAction 'SilentlyContinue' -ErrorVariable 'winAuditBlockErrors')
    foreach ($problem in @($winAuditBlockErrors)) {
      if (-not (Test-WinAuditNotFound -ErrorRecord $problem)) { throw $problem }
    }
    $blockNames = @($blocks | ForEach-Object { [string]$_.Name })
    $rules += @($blocks | Where-Object { $seen -notcontains [string]$_.Name })
  }
  # Every filter of a kind in one query (one per rule; its InstanceID is the rule's Name), joined by that id: the store
  # may list them in another order than the rules, so never by position.
  $ports = @{}
  $addresses = @{}
  $programs = @{}
  $services = @{}
  if ($rules.Count -gt 0) {
    foreach ($filter in @(Get-NetFirewallPortFilter -PolicyStore $Store -All)) { $ports[[string]$filter.InstanceID] = $filter }
    foreach ($filter in @(Get-NetFirewallAddressFilter -PolicyStore $Store -All)) { $addresses[[string]$filter.InstanceID] = $filter }
  }
  if ($blockNames.Count -gt 0) {
    foreach ($filter in @(Get-NetFirewallApplicationFilter -PolicyStore $Store -All)) { $programs[[string]$filter.InstanceID] = $filter }
    foreach ($filter in @(Get-NetFirewallServiceFilter -PolicyStore $Store -All)) { $services[[string]$filter.InstanceID] = $filter }
  }
  $records = @()
  foreach ($rule in $rules) {
    $name = [string]$rule.Name
    $portFilter = $ports[$name]
    $protocol = $null
    $localPorts = @()
    if ($null -ne $portFilter) {
      $protocol = ConvertTo-WinAuditString -Value $portFilter.Protocol
      $localPorts = @($portFilter.LocalPort | ForEach-Object { ConvertTo-WinAuditString -Value $_ })
    }
    $remote = @()
    if ($null -ne $addresses[$name]) {
      $remote = @($addresses[$name].RemoteAddress | ForEach-Object { ConvertTo-WinAuditString -Value $_ })
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
      if ($null -ne $programs[$name]) { $record['program'] = ConvertTo-WinAuditString -Value $programs[$name].Program }
      if ($null -ne $services[$name]) { $record['service'] = ConvertTo-WinAuditString -Value $services[$name].Service }
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
