import Foundation
import Testing

@testable import PowerShellInterpreter

/// A miniature firewall and service host, the way WinLab's cmdlets use the runtime API.
final class FakeHost {
  var enabled: [String: Bool] = ["RemoteDesktop-UserMode-In-TCP": false, "RemoteDesktop-UserMode-In-UDP": true]
  var running: [String: Bool] = ["TermService": false]
  var nativeCalls: [[String]] = []
  static let ruleType = "Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule"
  static let status = PSEnumType(
    fullName: "System.ServiceProcess.ServiceControllerStatus",
    members: [("Stopped", 1), ("StartPending", 2), ("Running", 4)])

  func rule(_ name: String) -> PSObject {
    let object = PSObject(
      typeName: FakeHost.ruleType, baseTypes: ["Microsoft.Management.Infrastructure.CimInstance", "System.Object"])
    object.addProperty("Name", .string(name))
    object.addProperty("Enabled", getter: { .string(self.enabled[name]! ? "True" : "False") })
    return object
  }

  func service(_ name: String) -> PSObject {
    let object = PSObject(typeName: "System.ServiceProcess.ServiceController")
    object.addProperty("Name", .string(name))
    object.addProperty("Status", getter: { .enumValue(FakeHost.status.value(self.running[name]! ? 4 : 1)) })
    object.addMethod("Refresh") { _ in .null }
    return object
  }

  func install(_ runspace: PSRunspace) {
    runspace.register(
      PSCommandDefinition(
        name: "Get-NetFirewallRule",
        implementingType: "Microsoft.Management.Infrastructure.CimCmdlets.GetNetFirewallRule",
        parameters: [
          PSParameterInfo("Name", type: .stringArray, aliases: ["ID"], position: 0),
          PSParameterInfo("PolicyStore", type: .string),
        ]
      ) { [self] ctx in
        for name in ctx.parameters.strings("Name") ?? enabled.keys.sorted() {
          guard enabled[name] != nil else {
            try ctx.writeError(
              PSErrorRecord(
                exceptionType: "Microsoft.Management.Infrastructure.CimException",
                message:
                  "No MSFT_NetFirewallRule objects found with property 'Name' equal to '\(name)'.  Verify the value of the property and retry.",
                errorId: "CmdletizationQuery_NotFound_Name", category: .objectNotFound, targetObject: .string(name)))
            continue
          }
          try ctx.writeObject(.object(rule(name)))
        }
      })
    runspace.register(
      PSCommandDefinition(
        name: "Enable-NetFirewallRule",
        implementingType: "Microsoft.Management.Infrastructure.CimCmdlets.EnableNetFirewallRule",
        parameters: [
          PSParameterInfo("Name", type: .stringArray, position: 0),
          PSParameterInfo("InputObject", type: .typedArray(FakeHost.ruleType), fromPipeline: true),
          PSParameterInfo("PassThru", type: .switchParameter),
        ], supportsShouldProcess: true
      ) { [self] ctx in
        var names = ctx.parameters.strings("Name") ?? []
        for item in ctx.parameters.list("InputObject") ?? [] {
          names.append(PSConvert.toString(item.asObject?["Name"] ?? .null))
        }
        for name in names where ctx.shouldProcess(target: name, action: "Enable") {
          enabled[name] = true
          if ctx.parameters.isSet("PassThru") { try ctx.writeObject(.object(rule(name))) }
        }
      })
    runspace.register(
      PSCommandDefinition(
        name: "Get-Service", implementingType: "Microsoft.PowerShell.Commands.GetServiceCommand", aliases: ["gsv"],
        parameters: [
          PSParameterInfo(
            "Name", type: .stringArray, aliases: ["ServiceName"], position: 0, fromPipeline: true,
            fromPipelineByPropertyName: true)
        ]
      ) { [self] ctx in
        for name in ctx.parameters.strings("Name") ?? [] { try ctx.writeObject(.object(service(name))) }
      })
    runspace.register(
      PSCommandDefinition(
        name: "Start-Service", implementingType: "Microsoft.PowerShell.Commands.StartServiceCommand",
        parameters: [
          PSParameterInfo(
            "Name", type: .stringArray, aliases: ["ServiceName"], position: 0, fromPipelineByPropertyName: true),
          PSParameterInfo(
            "InputObject", type: .typedArray("System.ServiceProcess.ServiceController"), fromPipeline: true),
        ]
      ) { [self] ctx in
        for item in ctx.parameters.list("InputObject") ?? [] {
          running[PSConvert.toString(item.asObject?["Name"] ?? .null)] = true
        }
        for name in ctx.parameters.strings("Name") ?? [] { running[name] = true }
      })
    runspace.register(
      native: PSNativeCommandDefinition(name: "icacls.exe") { [self] ctx in
        self.nativeCalls.append(ctx.arguments)
        ctx.writeLine("processed file: \(ctx.arguments.first ?? "")")
        return ctx.arguments.contains("/fail") ? 5 : 0
      })
  }
}

func runWithFakeHost(_ script: String, host: FakeHost = FakeHost()) -> PSRunResult {
  runScript(script, configure: host.install)
}

@Suite struct HostCommandTests {
  @Test func bindingByNamePrefixAliasAndPosition() {
    #expect(runWithFakeHost("(Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-UDP').Enabled").stdout == "True\n")
    #expect(
      runWithFakeHost("(Get-NetFirewallRule -Na 'RemoteDesktop-UserMode-In-UDP' -PolicyStore ActiveStore).Name").stdout
        == "RemoteDesktop-UserMode-In-UDP\n")
    #expect(
      runWithFakeHost("(Get-NetFirewallRule -ID 'RemoteDesktop-UserMode-In-UDP').Name").stdout
        == "RemoteDesktop-UserMode-In-UDP\n")
    #expect(runWithFakeHost("(Get-NetFirewallRule 'RemoteDesktop-UserMode-In-TCP').Enabled").stdout == "False\n")
    #expect(runWithFakeHost("(Get-NetFirewallRule).Count").stdout == "2\n")
    let ambiguous = runWithFakeHost("Get-NetFirewallRule -P x -PolicyS y; Enable-NetFirewallRule -P")
    #expect(
      ambiguous.stderr.contains(
        "Parameter cannot be processed because the parameter name 'P' is ambiguous. Possible matches include: -PassThru -PipelineVariable."
      ))
  }

  @Test func pipelineBindingByValueAndPropertyName() {
    let host = FakeHost()
    let result = runWithFakeHost(
      """
      Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' | Enable-NetFirewallRule
      (Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP').Enabled
      Get-Service TermService | Start-Service
      (Get-Service TermService).Status
      (Get-Service TermService).Status -eq 'Running'
      [pscustomobject]@{ Name = 'TermService' } | Get-Service | ForEach-Object { $_.Status.ToString() }
      """, host: host)
    #expect(result.stdout == "True\nRunning\nTrue\nRunning\n")
    #expect(result.stderr == "")
  }

  @Test func commonParametersAndWhatIf() {
    let host = FakeHost()
    let result = runWithFakeHost(
      """
      Enable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -WhatIf
      Get-NetFirewallRule -Name 'nope' -ErrorAction SilentlyContinue; "ok=$?"
      try { Get-NetFirewallRule -Name 'nope' -EA Stop } catch [Microsoft.Management.Infrastructure.CimException] { $_.FullyQualifiedErrorId }
      Get-Service -Name x -WhatIf
      """, host: host)
    #expect(
      result.stdout.hasPrefix(
        "What if: Performing the operation \"Enable\" on target \"RemoteDesktop-UserMode-In-TCP\".\nok=False\nCmdletizationQuery_NotFound_Name,Microsoft.Management.Infrastructure.CimCmdlets.GetNetFirewallRule\n"
      ))
    #expect(host.enabled["RemoteDesktop-UserMode-In-TCP"] == false)
    #expect(result.stderr.contains("A parameter cannot be found that matches parameter name 'WhatIf'."))
  }

  @Test func nativeCommandsGetCrtParsedArgumentsAndSetLastExitCode() {
    let host = FakeHost()
    let script = """
      $p = 'C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys'
      icacls.exe $p /save 'C:\\Temp\\acl backup.txt' /t /c
      "code=$LASTEXITCODE ok=$?"
      icacls $p /grant '*S-1-5-18:(OI)(CI)F' '' /fail | Out-Null
      "code=$LASTEXITCODE ok=$?"
      & 'C:\\Windows\\System32\\icacls.exe' 'a"b c'
      """
    let result = runWithFakeHost(script, host: host)
    #expect(
      result.stdout
        == "processed file: C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys\ncode=0 ok=True\ncode=5 ok=False\nprocessed file: ab c\n"
    )
    #expect(
      host.nativeCalls[0] == [
        "C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys", "/save", "C:\\Temp\\acl backup.txt", "/t", "/c",
      ])
    #expect(
      host.nativeCalls[1] == [
        "C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys", "/grant", "*S-1-5-18:(OI)(CI)F", "/fail",
      ])
    #expect(result.exitCode == 0)
  }

  @Test func objectsWithComputedMembers() {
    let result = runScript(
      "$c = Get-Cert; $c.PrivateKey.CspKeyContainerInfo.UniqueKeyContainerName; $c.GetName('x'); $c -is [System.Security.Cryptography.X509Certificates.X509Certificate2]"
    ) { runspace in
      runspace.register(
        PSCommandDefinition(name: "Get-Cert", implementingType: "Test", parameters: []) { ctx in
          let info = PSObject(typeName: "System.Security.Cryptography.CspKeyContainerInfo")
          info.addProperty("UniqueKeyContainerName", .string("f686aace6942fb7f7ceb231212eef4a4_guid"))
          let key = PSObject(typeName: "System.Security.Cryptography.RSACryptoServiceProvider")
          key.addProperty("CspKeyContainerInfo", .object(info))
          let cert = PSObject(typeName: "System.Security.Cryptography.X509Certificates.X509Certificate2")
          cert.addProperty("PrivateKey", .object(key))
          cert.addMethod("GetName") { args in .string("name-" + PSConvert.toString(args.first ?? .null)) }
          try ctx.writeObject(.object(cert))
        })
    }
    #expect(result.stdout == "f686aace6942fb7f7ceb231212eef4a4_guid\nname-x\nTrue\n")
  }
}

@Suite struct NativeStderrTests {
  func run(_ script: String) -> PSRunResult {
    runScript(script) { runspace in
      runspace.register(
        native: PSNativeCommandDefinition(name: "tool.exe") { ctx in
          ctx.writeLine("out")
          ctx.writeErrorLine("warning from tool")
          return 0
        })
    }
  }

  @Test func stderrGoesToTheConsoleUnlessRedirected() {
    let plain = run("tool; $Error.Count")
    #expect(plain.stdout == "out\n0\n")
    #expect(plain.stderr == "warning from tool\n")
    let dropped = run("tool 2>$null; $Error.Count")
    #expect(dropped.stdout == "out\n1\n")
    #expect(dropped.stderr == "")
    let merged = run("$all = tool 2>&1; $all.Count; $all[1].GetType().Name")
    #expect(merged.stdout == "2\nErrorRecord\n")
  }

  @Test func redirectedStderrIsFatalUnderStop() {
    let result = run("$ErrorActionPreference = 'Stop'; tool 2>$null; 'not reached'")
    #expect(result.stdout == "out\n")
    #expect(result.exitCode == 1)
  }
}
