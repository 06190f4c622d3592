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
