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
