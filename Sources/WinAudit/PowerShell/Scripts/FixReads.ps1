# ---- winaudit fixes: single targets, read with the audit's functions ----

# One local rule as a fix reads it before and after changing it; `exists` is false when there is no such rule.
function Read-WinAuditFirewallRule {
  param([string]$Name)
  $found = @(Get-WinAuditFirewallRules -Names @($Name) -Groups @() -Store 'PersistentStore')
  if ($found.Count -eq 0) {
    # Not a local rule: one that only Group Policy brings cannot be changed here.
    $active = @(Get-WinAuditFirewallRules -Names @($Name) -Groups @() -Store 'ActiveStore')
    return [ordered]@{ name = $Name; exists = $false; fromGroupPolicy = ($active.Count -gt 0) }
  }
  $rule = $found[0]
  $rule['exists'] = $true
  return $rule
}

# The local rules of a group, as a fix reads them.
function Read-WinAuditFirewallGroup {
  param([string]$Group)
  $rules = @(Get-WinAuditFirewallRules -Names @() -Groups @($Group) -Store 'PersistentStore')
  foreach ($rule in $rules) { $rule['exists'] = $true }
  return [ordered]@{ group = $Group; rules = $rules }
}

# One certificate as a fix reads it before and after removing it; `present` is false when the store lacks it.
function Read-WinAuditCertificate {
  param([string]$Store, [string]$Thumbprint)
  $found = @(Get-ChildItem -LiteralPath $Store | Where-Object { $_.Thumbprint -eq $Thumbprint })
  if ($found.Count -eq 0) { return [ordered]@{ thumbprint = $Thumbprint; present = $false } }
  $certificate = $found[0]
  return [ordered]@{
    thumbprint = ConvertTo-WinAuditString -Value $certificate.Thumbprint
    present = $true
    subject = ConvertTo-WinAuditString -Value $certificate.Subject
    issuer = ConvertTo-WinAuditString -Value $certificate.Issuer
    notAfter = $certificate.NotAfter.ToString('o')
    hasPrivateKey = [bool]$certificate.HasPrivateKey
  }
}
