import Foundation
import RemotePowerShell
import Testing
import WinLab

private let portScript =
  "(Get-ItemProperty -LiteralPath 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp')"
  + ".PortNumber"

private let encodedPrefix = "powershell.exe -NoProfile -NonInteractive -EncodedCommand "

@Suite("lab hosts over real SSH")
struct LabSSHTests {
  @Test func encodedCommandReadsThePortNumber() throws {
    let lab = try FleetHarness(hosts: ["healthy-2019", "port-mismatch"], addressPrefix: "127.0.20", port: 2320)
    defer { lab.stop() }
    let command = encodedPrefix + RemotePowerShellCommand.encodedCommand(portScript)
    let healthy = try lab.ssh("healthy-2019", command)
    #expect(healthy.status == 0, "\(healthy.err)")
    #expect(healthy.out == "3389\r\n")
    let mismatch = try lab.ssh("port-mismatch", command)
    #expect(mismatch.out == "3390\r\n")
    #expect(lab.lab.server("healthy-2019")?.host.processStarts() == 1)
  }

  @Test func stdinBootstrapOnBothDefaultShells() throws {
    let lab = try FleetHarness(hosts: ["healthy-2019", "shell-powershell"], addressPrefix: "127.0.21", port: 2321)
    defer { lab.stop() }
    for (host, shell) in [("healthy-2019", HostShell.cmd), ("shell-powershell", .powershell)] {
      let command = RemotePowerShellCommand(script: portScript + "\n'ünïcödé'", shell: shell)
      let result = try lab.ssh(host, command.commandLine, stdin: command.stdin)
      #expect(result.status == 0, "\(host): \(result.err)")
      // shell-powershell's profile prints a banner first: sshd starts PowerShell without -NoProfile.
      let banner =
        shell == .powershell
        ? "SHELL-PS: property of Contoso. Unauthorized access is prohibited.\r\n{ \"motd\": \"not the facts\" }\r\n"
        : ""
      #expect(result.out == banner + "3389\r\nünïcödé\r\n", "\(host)")
      #expect(lab.lab.server(host)?.host.processStarts() == 1, "\(host)")
    }
    // The cmd form on a PowerShell DefaultShell host starts a nested powershell.exe: two processes.
    let nested = RemotePowerShellCommand(script: portScript, shell: .cmd)
    let result = try lab.ssh("shell-powershell", nested.commandLine, stdin: nested.stdin)
    #expect(result.out == "3389\r\n", "\(result.err)")
    #expect(lab.lab.server("shell-powershell")?.host.processStarts() == 3)
  }

  @Test func unmodelledCmdletFailsLikePowerShell() throws {
    let lab = try FleetHarness(hosts: ["healthy-2019"], addressPrefix: "127.0.22", port: 2322)
    defer { lab.stop() }
    let result = try lab.ssh(
      "healthy-2019", encodedPrefix + RemotePowerShellCommand.encodedCommand("Get-WinLabUnmodelled -Name x"))
    #expect(result.status != 0)
    #expect(result.err.hasPrefix("#< CLIXML\r\n"))
    // The error text itself is the interpreter's (5.1's error view); the shell wraps it in CLIXML.
    #expect(result.err.contains("The term 'Get-WinLabUnmodelled' is not recognized as the name of a cmdlet"))
    #expect(result.err.hasSuffix("</Objs>"))
  }

  @Test func cmdRejectsOtherProgramsAndCountsNoProcess() throws {
    let lab = try FleetHarness(hosts: ["healthy-2019"], addressPrefix: "127.0.23", port: 2323)
    defer { lab.stop() }
    let result = try lab.ssh("healthy-2019", "whoami /all")
    #expect(
      result.err
        == "'whoami' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n")
    // Windows reports 9009; a Linux sshd carries only the low 8 bits of an exit status.
    #expect(result.status == 9009 & 0xFF)
    #expect(lab.lab.server("healthy-2019")?.host.processStarts() == 0)
  }

  @Test func downStopsEverySSHDItStarted() throws {
    let lab = try FleetHarness(hosts: ["healthy-2019", "nla-off"], addressPrefix: "127.0.24", port: 2324)
    defer { lab.stop() }
    let servers = lab.lab.servers
    #expect(servers.count == 2)
    #expect(FileManager.default.fileExists(atPath: "/proc/\(servers[0].pid)"))
    let stopped = try lab.lab.down()
    #expect(Set(stopped) == ["healthy-2019", "nla-off"])
    for server in servers {
      let cmdline = FileManager.default.contents(atPath: "/proc/\(server.pid)/cmdline") ?? Data()
      #expect(!String(decoding: cmdline, as: UTF8.self).contains(server.config), "\(server.name) still runs")
    }
    #expect(try Lab.load(from: lab.folder) == nil)
  }
}
