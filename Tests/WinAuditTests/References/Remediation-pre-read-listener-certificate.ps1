$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
function WaRegistryValue {
  param([string]$Path, [string]$Name)
  $state = [ordered]@{ exists = $false }
  if (-not (Test-Path -Path $Path)) { return $state }
  $found = Get-ItemProperty -Path $Path -Name $Name -ErrorAction 'SilentlyContinue'
  if ($null -eq $found) { return $state }
  $value = Get-ItemPropertyValue -Path $Path -Name $Name
  $type = 'String'
  if ($value -is [int]) { $type = 'DWord' }
  elseif ($value -is [long]) { $type = 'QWord' }
  elseif ($value -is [byte[]]) { $type = 'Binary' }
  elseif ($value -is [array]) { $type = 'MultiString' }
  $state['exists'] = $true
  $state['type'] = $type
  $state['value'] = $value
  return $state
}

function WaFirewallRuleState {
  param($Rule)
  return [ordered]@{ name = [string]$Rule.Name; exists = $true; enabled = ([string]$Rule.Enabled -eq 'True'); profile = [string]$Rule.Profile }
}

function WaFirewallRule {
  param([string]$Name)
  $rule = Get-NetFirewallRule -Name $Name -ErrorAction 'SilentlyContinue'
  if ($null -eq $rule) { return [ordered]@{ name = $Name; exists = $false } }
  return (WaFirewallRuleState -Rule $rule)
}

function WaFirewallGroup {
  param([string]$Group)
  $rules = @()
  foreach ($rule in @(Get-NetFirewallRule -Group $Group -ErrorAction 'SilentlyContinue')) {
    $rules += (WaFirewallRuleState -Rule $rule)
  }
  return [ordered]@{ group = $Group; rules = $rules }
}

function WaFirewallPort {
  param([string]$Name)
  $rule = Get-NetFirewallRule -Name $Name -ErrorAction 'SilentlyContinue'
  if ($null -eq $rule) { return [ordered]@{ name = $Name; exists = $false; localPort = '' } }
  $filter = $rule | Get-NetFirewallPortFilter
  return [ordered]@{ name = $Name; exists = $true; localPort = (@($filter.LocalPort) -join ',') }
}

function WaConnectedProfiles {
  $profiles = @()
  foreach ($connection in @(Get-NetConnectionProfile -ErrorAction 'SilentlyContinue')) {
    $category = [string]$connection.NetworkCategory
    if ($category -eq 'DomainAuthenticated') { $category = 'Domain' }
    if ($profiles -notcontains $category) { $profiles += $category }
  }
  return [ordered]@{ profiles = $profiles }
}

function WaService {
  param([string]$Name)
  $service = Get-Service -Name $Name -ErrorAction 'SilentlyContinue'
  if ($null -eq $service) { return [ordered]@{ name = $Name; exists = $false } }
  return [ordered]@{ name = $Name; exists = $true; status = [string]$service.Status; startType = [string]$service.StartType }
}

function WaAcl {
  param([string]$Path)
  if (-not (Test-Path -Path $Path)) { return [ordered]@{ path = $Path; exists = $false } }
  return [ordered]@{ path = $Path; exists = $true; sddl = [string](Get-Acl -Path $Path).Sddl }
}

function WaCertificateState {
  param($Certificate)
  return [ordered]@{ thumbprint = [string]$Certificate.Thumbprint; present = $true; subject = [string]$Certificate.Subject; issuer = [string]$Certificate.Issuer; notAfter = $Certificate.NotAfter.ToString('o'); expired = ($Certificate.NotAfter -lt (Get-Date)); hasPrivateKey = [bool]$Certificate.HasPrivateKey }
}

function WaCertificate {
  param([string]$Store, [string]$Thumbprint)
  $found = @(Get-ChildItem -Path ('Cert:\LocalMachine\' + $Store) -ErrorAction 'SilentlyContinue' | Where-Object { $_.Thumbprint -eq $Thumbprint })
  if ($found.Count -eq 0) { return [ordered]@{ thumbprint = $Thumbprint; present = $false } }
  return (WaCertificateState -Certificate $found[0])
}

function WaCertificates {
  param([string]$Store)
  $certificates = @()
  foreach ($certificate in @(Get-ChildItem -Path ('Cert:\LocalMachine\' + $Store) -ErrorAction 'SilentlyContinue')) {
    $certificates += (WaCertificateState -Certificate $certificate)
  }
  return [ordered]@{ store = $Store; certificates = $certificates }
}

function WaPath {
  param([string]$Path)
  return [ordered]@{ path = $Path; exists = (Test-Path -Path $Path) }
}

function WaRdpKeyFile {
  param([string]$Folder)
  $guid = [string](Get-ItemPropertyValue -Path 'HKLM:\SOFTWARE\Microsoft\Cryptography' -Name 'MachineGuid')
  $path = $Folder + '\f686aace6942fb7f7ceb231212eef4a4_' + $guid
  return [ordered]@{ path = $path; exists = (Test-Path -Path $path) }
}
$waOut = [ordered]@{}
$waOut['f0a0'] = (WaRegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name 'UserAuthentication')
$waOut['f0a0.policy'] = (WaRegistryValue -Path 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' -Name 'UserAuthentication')
$waOut['f1a0'] = (WaRdpKeyFile -Folder 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys')
$waOut['f1a1'] = (WaCertificates -Store 'Remote Desktop')
$waOut['f2a0'] = (WaCertificates -Store 'Remote Desktop')
$waOut['service:termservice'] = (WaService -Name 'TermService')
Write-Output ($waOut | ConvertTo-Json -Depth 8 -Compress)
