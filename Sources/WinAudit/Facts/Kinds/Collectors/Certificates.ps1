function Get-WinAuditCertificates {
  param($Request)
  $store = [string]$Request['store']
  $result = [ordered]@{ store = $store; exists = $false; certificates = @() }
  if (-not (Test-Path -LiteralPath $store)) { return $result }
  $result['exists'] = $true
  $list = @()
  foreach ($certificate in @(Get-ChildItem -LiteralPath $store)) {
    $readable = $false
    $keyError = $null
    $container = $null
    if ($certificate.HasPrivateKey) {
      try {
        $key = $certificate.PrivateKey
        if ($null -ne $key) {
          $readable = $true
          $container = ConvertTo-WinAuditString -Value $key.CspKeyContainerInfo.UniqueKeyContainerName
        } else {
          $keyError = 'the private key could not be opened'
        }
      } catch {
        $keyError = $_.Exception.Message
      }
    }
    $list += [ordered]@{
      thumbprint = ConvertTo-WinAuditString -Value $certificate.Thumbprint
      subject = ConvertTo-WinAuditString -Value $certificate.Subject
      issuer = ConvertTo-WinAuditString -Value $certificate.Issuer
      notBefore = $certificate.NotBefore.ToString('o')
      notAfter = $certificate.NotAfter.ToString('o')
      hasPrivateKey = [bool]$certificate.HasPrivateKey
      privateKeyReadable = $readable
      privateKeyError = $keyError
      keyContainer = $container
    }
  }
  $result['certificates'] = $list
  return $result
}
