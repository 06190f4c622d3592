# Rules by Name and by group id with their port filters. The audit reads the ActiveStore (local and Group Policy rules:
# what is in force); fixes read the PersistentStore, the local rules they change and restore.
function Get-WinAuditFirewallRules {
  param($Names, $Groups, [string]$Store = 'ActiveStore')
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
  # Every port filter of the store in one query (one per rule; its InstanceID is the rule's Name), joined by that id:
  # the store may list them in another order than the rules, so never by position.
  $filters = @{}
  if ($rules.Count -gt 0) {
    foreach ($portFilter in @(Get-NetFirewallPortFilter -PolicyStore $Store -All)) {
      $filters[[string]$portFilter.InstanceID] = $portFilter
    }
  }
  $records = @()
  foreach ($rule in $rules) {
    $filter = $filters[[string]$rule.Name]
    $protocol = $null
    $ports = @()
    if ($null -ne $filter) {
      $protocol = ConvertTo-WinAuditString -Value $filter.Protocol
      $ports = @($filter.LocalPort | ForEach-Object { ConvertTo-WinAuditString -Value $_ })
    }
    $records += [ordered]@{
      name = ConvertTo-WinAuditString -Value $rule.Name
      displayName = ConvertTo-WinAuditString -Value $rule.DisplayName
      group = ConvertTo-WinAuditString -Value $rule.Group
      enabled = ((ConvertTo-WinAuditString -Value $rule.Enabled) -eq 'True')
      profile = ConvertTo-WinAuditString -Value $rule.Profile
      direction = ConvertTo-WinAuditString -Value $rule.Direction
      action = ConvertTo-WinAuditString -Value $rule.Action
      protocol = $protocol
      localPort = $ports
    }
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
    foreach ($other in $WinAuditRequests) {
      if ($other['kind'] -eq $Request['kind']) {
        if ($null -ne $other['names']) { $names += $other['names'] }
        if ($null -ne $other['group']) { $groups += $other['group'] }
      }
    }
    $read = [ordered]@{ rules = @(); error = $null }
    try {
      $read['rules'] = @(Get-WinAuditFirewallRules -Names $names -Groups $groups)
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
  } else {
    $matched = @($firewall['rules'] | Where-Object { $_['group'] -eq $Request['group'] })
  }
  return [ordered]@{ rules = $matched; missing = $missing }
}
