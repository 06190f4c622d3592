# The certificates of a store. Whether TermService can use a private key is NETWORK SERVICE's question, not the
# administrator's running this: so the key is located (a CryptoAPI key in MachineKeys, a CNG key in Crypto\Keys, which
# $cert.PrivateKey cannot open) and its file's ACL is reported for the client to judge.
# Where a certificate's private key lives and its key file's ACL, or why that is unknown; shared with `winaudit capture`.
# A key whose ACL refuses the administrator (READ_CONTROL) cannot be judged from here: `aclError` says so, never a guess.
function Get-WinAuditCertificateKey {
  param($Certificate)
  $key = [ordered]@{
    readable = $false; error = $null; storage = $null; container = $null; file = $null; fileExists = $null
    sddl = $null; aclError = $null
  }
  if (-not $Certificate.HasPrivateKey) { return $key }
  try {
    $opened = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    if ($null -eq $opened) {
      $key['error'] = 'the private key could not be opened'
    } elseif ($null -ne $opened.Key) {
      $key['readable'] = $true
      $key['storage'] = 'CNG'
      $key['container'] = ConvertTo-WinAuditString -Value $opened.Key.UniqueName
      $key['file'] = $env:ProgramData + '\Microsoft\Crypto\Keys\' + $key['container']
    } else {
      $key['readable'] = $true
      $key['storage'] = 'CSP'
      $key['container'] = ConvertTo-WinAuditString -Value $opened.CspKeyContainerInfo.UniqueKeyContainerName
      $key['file'] = $env:ProgramData + '\Microsoft\Crypto\RSA\MachineKeys\' + $key['container']
    }
  } catch {
    $key['error'] = $_.Exception.Message
  }
  if ($null -ne $key['file']) {
    $key['fileExists'] = [bool](Test-Path -LiteralPath $key['file'])
    if ($key['fileExists']) {
      try {
        $key['sddl'] = ConvertTo-WinAuditString -Value (Get-Acl -LiteralPath $key['file'] -ErrorAction 'Stop').Sddl
      } catch {
        $key['aclError'] = $_.Exception.Message
      }
    }
  }
  return $key
}

function Get-WinAuditCertificates {
  param($Request)
  $store = [string]$Request['store']
  $result = [ordered]@{ store = $store; exists = $false; certificates = @() }
  if (-not (Test-Path -LiteralPath $store)) { return $result }
  $result['exists'] = $true
  $list = @()
  foreach ($certificate in @(Get-ChildItem -LiteralPath $store)) {
    $key = Get-WinAuditCertificateKey -Certificate $certificate
    $keyError = $key['error']
    if ($key['fileExists'] -eq $false) { $keyError = 'the key file ' + $key['file'] + ' does not exist' }
    $list += [ordered]@{
      thumbprint = ConvertTo-WinAuditString -Value $certificate.Thumbprint
      subject = ConvertTo-WinAuditString -Value $certificate.Subject
      issuer = ConvertTo-WinAuditString -Value $certificate.Issuer
      notBefore = $certificate.NotBefore.ToString('o')
      notAfter = $certificate.NotAfter.ToString('o')
      hasPrivateKey = [bool]$certificate.HasPrivateKey
      privateKeyReadable = $key['readable']
      privateKeyError = $keyError
      keyStorage = $key['storage']
      keyContainer = $key['container']
      keyFile = $key['file']
      keyFileSddl = $key['sddl']
      keyFileAclError = $key['aclError']
    }
  }
  $result['certificates'] = $list
  return $result
}
