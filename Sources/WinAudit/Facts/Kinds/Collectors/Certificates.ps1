# The certificates of a store. Whether TermService can use a private key is NETWORK SERVICE's question, not the
# administrator's running this: so the key is located (a CryptoAPI key in MachineKeys, a CNG key in Crypto\Keys, which
# $cert.PrivateKey cannot open) and its file's ACL is reported for the client to judge.
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
    $storage = $null
    $keyFile = $null
    $keySddl = $null
    $keyAclError = $null
    if ($certificate.HasPrivateKey) {
      try {
        $key = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($certificate)
        if ($null -eq $key) {
          $keyError = 'the private key could not be opened'
        } elseif ($null -ne $key.Key) {
          $readable = $true
          $storage = 'CNG'
          $container = ConvertTo-WinAuditString -Value $key.Key.UniqueName
          $keyFile = $env:ProgramData + '\Microsoft\Crypto\Keys\' + $container
        } else {
          $readable = $true
          $storage = 'CSP'
          $container = ConvertTo-WinAuditString -Value $key.CspKeyContainerInfo.UniqueKeyContainerName
          $keyFile = $env:ProgramData + '\Microsoft\Crypto\RSA\MachineKeys\' + $container
        }
      } catch {
        $keyError = $_.Exception.Message
      }
      if ($null -ne $keyFile) {
        if (Test-Path -LiteralPath $keyFile) {
          # A key whose ACL refuses the administrator (READ_CONTROL) cannot be judged from here: say so, never guess.
          try {
            $keySddl = ConvertTo-WinAuditString -Value (Get-Acl -LiteralPath $keyFile -ErrorAction 'Stop').Sddl
          } catch {
            $keyAclError = $_.Exception.Message
          }
        } else {
          $keyError = 'the key file ' + $keyFile + ' does not exist'
        }
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
      keyStorage = $storage
      keyContainer = $container
      keyFile = $keyFile
      keyFileSddl = $keySddl
      keyFileAclError = $keyAclError
    }
  }
  $result['certificates'] = $list
  return $result
}
