import Foundation
import PropertyBased
import RemotePowerShell
import Testing

@Suite struct RemotePowerShellCommandTests {
  static let bootstrap =
    "$ProgressPreference='SilentlyContinue';Set-StrictMode -Off;$PSDefaultParameterValues=@{};"
    + "if($PSVersionTable.PSEdition -eq 'Core'){[Console]::Error.WriteLine('winaudit: this is PowerShell '"
    + "+$PSVersionTable.PSVersion+', winaudit needs Windows PowerShell 5.1: make powershell.exe or cmd.exe the "
    + "OpenSSH DefaultShell');exit 3};try{[Console]::OutputEncoding=[Text.Encoding]::UTF8}catch{};"
    + "$i=[Console]::In.ReadToEnd().Trim().Split(':');$d=[byte[]]@();try{$d=[Convert]::FromBase64String($i[2])}"
    + "catch{};$h=[BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash($d)).Replace('-','');"
    + "if([string]$d.Length -ne $i[0] -or $h -ne $i[1]){[Console]::Error.WriteLine('winaudit: the script arrived "
    + "truncated or altered ('+$d.Length+' of '+$i[0]+' bytes arrived intact): update the host''s OpenSSH server');"
    + "exit 3};& ([scriptblock]::Create([Text.Encoding]::UTF8.GetString($d)))"

  @Test func bootstrapIsTheContractText() {
    #expect(RemotePowerShellCommand.bootstrap == Self.bootstrap)
    #expect(!RemotePowerShellCommand.bootstrap.contains("\""), "sshd wraps it in double quotes on PowerShell hosts")
    #expect(!RemotePowerShellCommand.bootstrap.contains("\n"))
  }

  @Test func cmdHostsGetAnEncodedBootstrap() throws {
    let command = RemotePowerShellCommand(script: "Write-Output 'hi'", shell: .cmd)
    let prefix =
      "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -OutputFormat Text -EncodedCommand "
    #expect(command.commandLine.hasPrefix(prefix))
    let encoded = String(command.commandLine.dropFirst(prefix.count))
    #expect(!encoded.contains(" "))
    #expect(RemotePowerShellCommand.decodeEncodedCommand(encoded) == Self.bootstrap)
    // UTF-16LE: "$" is 0x24 0x00.
    #expect(Data(base64Encoded: encoded)?.prefix(2) == Data([0x24, 0x00]))
  }

  @Test func powershellHostsGetTheBootstrapTextItself() {
    let command = RemotePowerShellCommand(script: "Write-Output 'hi'", shell: .powershell)
    #expect(command.commandLine == Self.bootstrap)
  }

  @Test func stdinIsLengthDigestAndBase64OfTheUTF8ScriptAndANewline() throws {
    let script = "$x = 'ü€😀'\nWrite-Output $x\r\n"
    for shell in HostShell.allCases {
      let command = RemotePowerShellCommand(script: script, shell: shell)
      let text = String(decoding: command.stdin, as: UTF8.self)
      #expect(text.hasSuffix("\n"))
      let parts = text.dropLast().split(separator: ":")
      #expect(parts.count == 3)
      #expect(parts[0] == "34")
      // SHA-256 of the UTF-8 bytes, upper-case hex as [BitConverter]::ToString prints it without dashes.
      #expect(parts[1] == "F2FF89D33C246584621DC26EF80F1CD031391D123153DA77ED398C328854F2DB")
      #expect(Data(base64Encoded: String(parts[2])) == Data(script.utf8))
      #expect(RemotePowerShellCommand.decodeStdin(command.stdin) == script)
    }
  }

  @Test func commandStaysUnderTheCmdLimitWhateverTheScriptSize() async {
    await propertyCheck(count: 50, input: Gen.int(in: 0...400_000)) { size in
      let script = String(repeating: "Get-Item 'HKLM:\\SOFTWARE'; ", count: size / 27 + 1)
      for shell in HostShell.allCases {
        let command = RemotePowerShellCommand(script: script, shell: shell)
        #expect(command.commandLine.count < RemotePowerShellCommand.cmdLineLimit)
        #expect(RemotePowerShellCommand.decodeStdin(command.stdin) == script)
      }
    }
  }

  @Test func encodedCommandRoundTripsHostileText() async {
    await propertyCheck(count: 200, input: HostileStrings.generator) { text in
      let encoded = RemotePowerShellCommand.encodedCommand(text)
      #expect(RemotePowerShellCommand.decodeEncodedCommand(encoded) == text)
    }
  }
}
