import Foundation
import PropertyBased
import RemotePowerShell
import Testing

@Suite struct RemotePowerShellCommandTests {
  static let bootstrap =
    "$ProgressPreference='SilentlyContinue';[Console]::OutputEncoding=[Text.Encoding]::UTF8;$s=[Text.Encoding]::UTF8"
    + ".GetString([Convert]::FromBase64String([Console]::In.ReadToEnd()));& ([scriptblock]::Create($s))"

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

  @Test func stdinIsBase64OfUTF8ScriptAndANewline() throws {
    let script = "$x = 'ü€😀'\nWrite-Output $x\r\n"
    for shell in HostShell.allCases {
      let command = RemotePowerShellCommand(script: script, shell: shell)
      let text = String(decoding: command.stdin, as: UTF8.self)
      #expect(text.hasSuffix("\n"))
      #expect(Data(base64Encoded: String(text.dropLast())) == Data(script.utf8))
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
