import Foundation
import RemotePowerShell

extension FixStep {
  /// The PowerShell that makes this step's change (or takes it back, for an undo step), idempotent: run twice, or run
  /// after a dropped connection left it half done, it converges on the same state.
  var script: String {
    let q = PowerShellQuote.literal
    switch (action, direction) {
    case (.registryValue(let ref), _):
      return Self.writeRegistry(ref, state: after)
    case (.firewallRule(let name), _):
      var lines = [
        after["enabled"]?.truthy == true
          ? "Enable-NetFirewallRule -Name \(q(name))" : "Disable-NetFirewallRule -Name \(q(name))"
      ]
      if let profile = after["profile"]?.asText, !profile.isEmpty {
        let profiles = profile.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        lines.append("Set-NetFirewallRule -Name \(q(name)) -Profile \(profiles.map(q).joined(separator: ","))")
      }
      return lines.joined(separator: "\n")
    case (.firewallPort(let rule), _):
      let ports = (after["localPort"]?.asText ?? "").split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      return "Set-NetFirewallRule -Name \(q(rule)) -LocalPort \(ports.map(q).joined(separator: ","))"
    case (.serviceStartType(let service), _):
      return "Set-Service -Name \(q(service)) -StartupType \(q(after["startType"]?.asText ?? ""))"
    case (.serviceStatus(let service), _), (.serviceRestart(let service), .undo):
      return Self.writeServiceStatus(service, status: after["status"]?.asText ?? "")
    case (.serviceRestart(let service), .apply):
      return "Restart-Service -Name \(q(service)) -Force"
    case (.resetACL(let path, let grants, let backup), .apply):
      return """
        $null = New-Item -ItemType 'Directory' -Path \(q(Self.folder(of: backup))) -Force
        & icacls.exe \(q(path)) '/save' \(q(backup)) '/t' '/c' | Out-Null
        if ($LASTEXITCODE -ne 0) { throw ('icacls /save failed with exit code ' + $LASTEXITCODE) }
        & icacls.exe \(q(path)) '/reset' | Out-Null
        if ($LASTEXITCODE -ne 0) { throw ('icacls /reset failed with exit code ' + $LASTEXITCODE) }
        & icacls.exe \(q(path)) '/inheritance:r' '/grant' \(grants.map(q).joined(separator: " ")) | Out-Null
        if ($LASTEXITCODE -ne 0) { throw ('icacls /grant failed with exit code ' + $LASTEXITCODE) }
        """
    case (.resetACL(let path, _, let backup), .undo):
      // icacls /save names entries relative to the saved folder's parent, so /restore runs on the parent. No backup
      // means the reset never ran (the save comes first): nothing to restore.
      return """
        if (Test-Path -Path \(q(backup))) {
          & icacls.exe \(q(Self.folder(of: path))) '/restore' \(q(backup)) '/c' | Out-Null
          if ($LASTEXITCODE -ne 0) { throw ('icacls /restore failed with exit code ' + $LASTEXITCODE) }
        }
        """
    case (.removeCertificate(let store, let thumbprint, let export), .apply):
      return """
        $waCert = @(Get-ChildItem -Path \(q(#"Cert:\LocalMachine\"# + store)) | Where-Object { $_.Thumbprint -eq \(q(thumbprint)) })
        if ($waCert.Count -gt 0) {
          $null = New-Item -ItemType 'Directory' -Path \(q(Self.folder(of: export))) -Force
          $null = Export-Certificate -Cert $waCert[0] -FilePath \(q(export)) -Type 'CERT'
          Remove-Item -Path \(q(#"Cert:\LocalMachine\"# + store + "\\" + thumbprint))
        }
        """
    case (.removeCertificate(let store, let thumbprint, let export), .undo):
      return """
        $waCert = @(Get-ChildItem -Path \(q(#"Cert:\LocalMachine\"# + store)) | Where-Object { $_.Thumbprint -eq \(q(thumbprint)) })
        if ($waCert.Count -eq 0 -and (Test-Path -Path \(q(export)))) {
          $null = Import-Certificate -FilePath \(q(export)) -CertStoreLocation \(q(#"Cert:\LocalMachine\"# + store))
        }
        """
    case (.rename(let path, let newName, let recreate), .apply):
      let renamed = Self.folder(of: path) + "\\" + newName
      var text = """
        if (Test-Path -Path \(q(path))) {
          Rename-Item -Path \(q(path)) -NewName \(q(newName))
        } elseif (-not (Test-Path -Path \(q(renamed)))) {
          throw \(q("\(path) does not exist"))
        }
        """
      if recreate {
        text += "\nif (-not (Test-Path -Path \(q(path)))) { $null = New-Item -ItemType 'Directory' -Path \(q(path)) }"
      }
      return text
    case (.rename(let path, let newName, _), .undo):
      // Whatever Windows created in the old place meanwhile is kept under another name: rollback never deletes.
      let renamed = Self.folder(of: path) + "\\" + newName
      let aside = Self.name(of: path) + "_Replaced_" + id.filter { $0.isLetter || $0.isNumber }
      return """
        if (Test-Path -Path \(q(renamed))) {
          if (Test-Path -Path \(q(path))) { Rename-Item -Path \(q(path)) -NewName \(q(aside)) }
          Rename-Item -Path \(q(renamed)) -NewName \(q(Self.name(of: path)))
        }
        """
    }
  }

  static func writeRegistry(_ ref: RegistryValueRef, state: FactValue) -> String {
    let q = PowerShellQuote.literal
    guard state["exists"]?.truthy == true, let type = state["type"]?.asText, let value = state["value"],
      let data = RegistryData(type: type, value: value)
    else {
      return """
        if ($null -ne (Get-ItemProperty -Path \(q(ref.path)) -Name \(q(ref.name)) -ErrorAction 'SilentlyContinue')) {
          Remove-ItemProperty -Path \(q(ref.path)) -Name \(q(ref.name))
        }
        """
    }
    // New-Item -Force on an existing registry key wipes its values: create the key only when it is missing.
    return """
      if (-not (Test-Path -Path \(q(ref.path)))) { $null = New-Item -Path \(q(ref.path)) -Force }
      $null = New-ItemProperty -Path \(q(ref.path)) -Name \(q(ref.name)) -PropertyType \(q(data.typeName)) -Value \(data.literal) -Force
      """
  }

  static func writeServiceStatus(_ service: String, status: String) -> String {
    let q = PowerShellQuote.literal
    switch status.lowercased() {
    case "running": return "Start-Service -Name \(q(service))"
    case "stopped": return "Stop-Service -Name \(q(service)) -Force"
    default: return "throw \(q("cannot set service \(service) to the state '\(status)'"))"
    }
  }

  /// `C:\a\b` -> `C:\a`.
  static func folder(of path: String) -> String {
    guard let index = path.lastIndex(of: "\\") else { return path }
    return String(path[..<index])
  }

  /// `C:\a\b` -> `b`.
  static func name(of path: String) -> String {
    guard let index = path.lastIndex(of: "\\") else { return path }
    return String(path[path.index(after: index)...])
  }
}

extension RegistryData {
  /// The value as a PowerShell literal for `New-ItemProperty -Value`.
  var literal: String {
    switch self {
    case .dword(let value):
      // Registry reads give DWORDs as signed 32-bit numbers; write them back the same way.
      let signed = value > Int64(Int32.max) ? value - (Int64(1) << 32) : value
      return String(signed)
    case .qword(let value): return String(value)
    case .string(let text), .expandString(let text): return PowerShellQuote.literal(text)
    case .multiString(let items): return PowerShellQuote.array(items)
    case .binary(let bytes): return "[byte[]]@(" + bytes.map(String.init).joined(separator: ",") + ")"
    }
  }
}

extension StepAction {
  /// The read function call that reports this step's target (shared by the pre-read and the apply script).
  var readExpression: String {
    let q = PowerShellQuote.literal
    switch self {
    case .registryValue(let ref): return "WaRegistryValue -Path \(q(ref.path)) -Name \(q(ref.name))"
    case .firewallRule(let name): return "WaFirewallRule -Name \(q(name))"
    case .firewallPort(let rule): return "WaFirewallPort -Name \(q(rule))"
    case .serviceStartType(let service), .serviceStatus(let service), .serviceRestart(let service):
      return "WaService -Name \(q(service))"
    case .resetACL(let path, _, _): return "WaAcl -Path \(q(path))"
    case .removeCertificate(let store, let thumbprint, _):
      return "WaCertificate -Store \(q(store)) -Thumbprint \(q(thumbprint))"
    case .rename(let path, _, _): return "WaPath -Path \(q(path))"
    }
  }
}
