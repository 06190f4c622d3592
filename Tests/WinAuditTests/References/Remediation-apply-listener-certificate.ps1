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
function WaEmit {
  param([string]$Kind, [string]$Step, [string]$Status, $State, [string]$Message)
  $line = [ordered]@{ winaudit = $Kind; step = $Step; status = $Status; after = $State; message = $Message }
  Write-Output ($line | ConvertTo-Json -Depth 8 -Compress)
}
$waRun = '20250601-120000-abc123'
$waSince = '2025-06-01T12:00:00Z'
$waStaleBefore = '2025-06-01T11:30:00Z'
$waTakeOver = @('20250601-120000-abc123')
if (-not (Test-Path -Path 'HKLM:\SOFTWARE\winaudit')) { $null = New-Item -Path 'HKLM:\SOFTWARE\winaudit' -Force }
if (Test-Path -Path 'HKLM:\SOFTWARE\winaudit\Lock') {
  $waHeld = Get-ItemProperty -Path 'HKLM:\SOFTWARE\winaudit\Lock'
  $waHeldRun = [string]$waHeld.RunId
  if ($waTakeOver -notcontains $waHeldRun -and ([string]$waHeld.Since -ge $waStaleBefore -or [string]$waHeld.Since -eq '')) {
    WaEmit -Kind 'lock' -Step '' -Status 'held' -State ([ordered]@{ run = $waHeldRun; since = [string]$waHeld.Since }) -Message 'another winaudit run is changing this host'
    exit 5
  }
  Remove-Item -Path 'HKLM:\SOFTWARE\winaudit\Lock' -Recurse
}
$null = New-Item -Path 'HKLM:\SOFTWARE\winaudit\Lock'
$null = New-ItemProperty -Path 'HKLM:\SOFTWARE\winaudit\Lock' -Name 'RunId' -PropertyType 'String' -Value $waRun
$null = New-ItemProperty -Path 'HKLM:\SOFTWARE\winaudit\Lock' -Name 'Since' -PropertyType 'String' -Value $waSince
WaEmit -Kind 'lock' -Step '' -Status 'taken' -State $null -Message ''
$waFailed = $false
try {
  if (-not $waFailed) {
    # step 1 (rdp-key-file-acl): service TermService
    try {
      Stop-Service -Name 'TermService' -Force
      WaEmit -Kind 'step' -Step '1' -Status 'ok' -State (WaService -Name 'TermService') -Message ''
    } catch {
      $waFailed = $true
      WaEmit -Kind 'step' -Step '1' -Status 'error' -State $null -Message ([string]$_.Exception.Message)
    }
  }
  if (-not $waFailed) {
    # step 2 (nla-required): HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp\UserAuthentication
    try {
      if (-not (Test-Path -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp')) { $null = New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Force }
      $null = New-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name 'UserAuthentication' -PropertyType 'DWord' -Value 1 -Force
      WaEmit -Kind 'step' -Step '2' -Status 'ok' -State (WaRegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name 'UserAuthentication') -Message ''
    } catch {
      $waFailed = $true
      WaEmit -Kind 'step' -Step '2' -Status 'error' -State $null -Message ([string]$_.Exception.Message)
    }
  }
  if (-not $waFailed) {
    # step 3 (rdp-key-file-acl): C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid
    try {
      if (Test-Path -Path 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid') {
        Rename-Item -Path 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid' -NewName 'f686aace6942fb7f7ceb231212eef4a4_guid_Old_20250601120000'
      } elseif (-not (Test-Path -Path 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid_Old_20250601120000')) {
        throw 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid does not exist'
      }
      WaEmit -Kind 'step' -Step '3' -Status 'ok' -State (WaPath -Path 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_guid') -Message ''
    } catch {
      $waFailed = $true
      WaEmit -Kind 'step' -Step '3' -Status 'error' -State $null -Message ([string]$_.Exception.Message)
    }
  }
  if (-not $waFailed) {
    # step 4 (rdp-key-file-acl): certificate AB12 in Remote Desktop
    try {
      $waCert = @(Get-ChildItem -Path 'Cert:\LocalMachine\Remote Desktop' | Where-Object { $_.Thumbprint -eq 'AB12' })
      if ($waCert.Count -gt 0) {
        $null = New-Item -ItemType 'Directory' -Path 'C:\ProgramData\winaudit\backup\20250601-120000-abc123' -Force
        $null = Export-Certificate -Cert $waCert[0] -FilePath 'C:\ProgramData\winaudit\backup\20250601-120000-abc123\AB12.cer' -Type 'CERT'
        Remove-Item -Path 'Cert:\LocalMachine\Remote Desktop\AB12'
      }
      WaEmit -Kind 'step' -Step '4' -Status 'ok' -State (WaCertificate -Store 'Remote Desktop' -Thumbprint 'AB12') -Message ''
    } catch {
      $waFailed = $true
      WaEmit -Kind 'step' -Step '4' -Status 'error' -State $null -Message ([string]$_.Exception.Message)
    }
  }
  if (-not $waFailed) {
    # step 5 (rdp-key-file-acl): service TermService
    try {
      Start-Service -Name 'TermService'
      WaEmit -Kind 'step' -Step '5' -Status 'ok' -State (WaService -Name 'TermService') -Message ''
    } catch {
      $waFailed = $true
      WaEmit -Kind 'step' -Step '5' -Status 'error' -State $null -Message ([string]$_.Exception.Message)
    }
  }
} finally {
  if (Test-Path -Path 'HKLM:\SOFTWARE\winaudit\Lock') {
    if ([string](Get-ItemProperty -Path 'HKLM:\SOFTWARE\winaudit\Lock').RunId -eq $waRun) {
      Remove-Item -Path 'HKLM:\SOFTWARE\winaudit\Lock' -Recurse
      try {
        $waParent = Get-Item -Path 'HKLM:\SOFTWARE\winaudit'
        if ($waParent.SubKeyCount -eq 0 -and $waParent.ValueCount -eq 0) { Remove-Item -Path 'HKLM:\SOFTWARE\winaudit' }
      } catch {
        $waParent = $null
      }
    }
  }
}
if ($waFailed) { exit 3 }
