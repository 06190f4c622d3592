# secedit's export of the user rights in force, as its lines: the only documented interface that covers Group Policy
# and local assignments alike, by SID. The export goes to a file of ours under %windir%\Temp, removed at once. Shared
# with `winaudit capture`.
function Export-WinAuditUserRights {
  $file = $env:windir + '\Temp\winaudit-user-rights-' + [string][DateTime]::UtcNow.Ticks + '.inf'
  try {
    $null = & secedit.exe '/export' '/areas' 'USER_RIGHTS' '/cfg' $file '/quiet'
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $file)) {
      throw ('secedit /export failed with exit code ' + $LASTEXITCODE)
    }
    return @(Get-Content -LiteralPath $file -Encoding 'Unicode')
  } finally {
    if (Test-Path -LiteralPath $file) { Remove-Item -LiteralPath $file -Force }
  }
}

# The rights of the export's [Privilege Rights] section, each a list of holders (SIDs without secedit's `*`).
function Get-WinAuditUserRights {
  param($Request)
  $rights = [ordered]@{}
  $inSection = $false
  foreach ($line in @(Export-WinAuditUserRights)) {
    if ($line -match '^\s*\[(.+)\]\s*$') {
      $inSection = ($Matches[1] -eq 'Privilege Rights')
      continue
    }
    if ($inSection -and $line -match '^\s*(\w+)\s*=\s*(.*)$') {
      $name = $Matches[1]
      $holders = @($Matches[2].Split(',') | ForEach-Object { $_.Trim().TrimStart('*') } | Where-Object { $_ -ne '' })
      $rights[$name] = $holders
    }
  }
  return [ordered]@{ rights = $rights }
}
