import Foundation
import RemotePowerShell
import Testing
import WinLab

/// A host double for the shell's own tests: its "scripts" are lines of `verb:argument` so that the shell's behaviour
/// (process starts, encodings, streams, exit codes, locking) is tested without the interpreter.
final class ScriptedHostSession: LabHostSession {
  let defaultShell: String?
  let oemCodePage: Int
  private var counter: Int
  private let initialCounter: Int
  private(set) var sources: [PowerShellExe.Source] = []

  init(directory: HostDirectory) throws {
    let data = try Data(contentsOf: directory.stateFile)
    let state = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    defaultShell = state["defaultShell"] as? String
    oemCodePage = state["oemCodePage"] as? Int ?? 437
    counter = state["counter"] as? Int ?? 0
    initialCounter = counter
  }

  func runPowerShell(_ source: PowerShellExe.Source, console: LabConsole, loadProfiles: Bool) -> Int32 {
    sources.append(source)
    let script: String
    switch source {
    case .command(let text), .encodedCommand(let text): script = text
    case .standardInput: script = console.readStandardInputToEnd()
    }
    for line in script.split(separator: ";") {
      let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
      let argument = parts.count > 1 ? parts[1] : ""
      switch parts[0] {
      case "out": console.writeLine(argument)
      case "err": console.writeError(argument)
      case "utf8": console.setOutputEncoding(codePage: 65001)
      case "stdin": console.writeLine(console.readStandardInputToEnd())
      case "progress": console.writeProgress(activity: argument, status: " ", completed: false)
      case "incr": counter += 1
      case "exit": return Int32(argument) ?? 0
      default:
        console.writeError("\(parts[0]) : The term '\(parts[0])' is not recognized as the name of a cmdlet.")
        return 1
      }
    }
    return 0
  }

  func changedState() throws -> Data? {
    guard counter != initialCounter else { return nil }
    var state: [String: Any] = ["counter": counter, "oemCodePage": oemCodePage]
    if let defaultShell { state["defaultShell"] = defaultShell }
    return try JSONSerialization.data(withJSONObject: state)
  }
}

/// A temporary host folder with a state file.
struct TemporaryHost {
  let directory: HostDirectory

  init(defaultShell: String? = nil, oemCodePage: Int = 437, startupMilliseconds: Int = 0) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("winlab-shell-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    directory = HostDirectory(url)
    var state: [String: Any] = ["oemCodePage": oemCodePage, "counter": 0]
    if let defaultShell { state["defaultShell"] = defaultShell }
    try JSONSerialization.data(withJSONObject: state).write(to: directory.stateFile)
    try HostSettings(name: "test", startupMilliseconds: startupMilliseconds).save(to: directory)
  }

  func shell(sleeps: SleepLog? = nil) -> LabShell {
    var shell = LabShell(directory: directory) { directory, _ in try ScriptedHostSession(directory: directory) }
    shell.sleep = { milliseconds in sleeps?.add(milliseconds) }
    return shell
  }

  func run(_ command: String?, input: String = "") -> (BufferShellIO, Int32) {
    let io = BufferShellIO(input: Array(input.utf8))
    let code = shell().run(originalCommand: command, io: io)
    return (io, code)
  }

  func counter() throws -> Int {
    let state = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.stateFile)) as? [String: Any]
    return state?["counter"] as? Int ?? -1
  }

  func remove() { try? FileManager.default.removeItem(at: directory.url) }
}

final class SleepLog: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [Int] = []
  func add(_ value: Int) { lock.withLock { values.append(value) } }
  var all: [Int] { lock.withLock { values } }
}

@Suite("lab login shell")
struct ShellSessionTests {
  let encodedPrefix = "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -OutputFormat Text"

  @Test func cmdDefaultShellRunsAnEncodedCommand() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (io, code) = host.run("\(encodedPrefix) -EncodedCommand \(RemotePowerShellCommand.encodedCommand("out:3389"))")
    #expect(code == 0)
    #expect(io.outputText == "3389\r\n")
    #expect(io.error.isEmpty)
    #expect(host.directory.processStarts() == 1)
  }

  @Test func cmdDefaultShellRejectsOtherPrograms() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (io, code) = host.run("whoami")
    #expect(code == 9009)
    #expect(io.errorText.hasPrefix("'whoami' is not recognized as an internal or external command,\r\n"))
    #expect(host.directory.processStarts() == 0)
  }

  @Test func cmdLineLimit() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let script = String(repeating: "out:x;", count: 800)
    let (io, code) = host.run("\(encodedPrefix) -EncodedCommand \(RemotePowerShellCommand.encodedCommand(script))")
    #expect(code == 1)
    #expect(io.errorText == "The command line is too long.\r\n")
    #expect(host.directory.processStarts() == 0)
  }

  @Test func outputUsesTheOEMCodePageUntilUTF8IsSet() throws {
    let host = try TemporaryHost(oemCodePage: 850)
    defer { host.remove() }
    let (io, _) = host.run("powershell -c out:Ø;utf8;out:Ø")
    #expect(io.output == [0x9D, 13, 10, 0xC3, 0x98, 13, 10])
  }

  @Test func encodedCommandErrorsAreCLIXML() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (io, code) = host.run("powershell -EncodedCommand \(RemotePowerShellCommand.encodedCommand("Get-Nothing"))")
    #expect(code == 1)
    #expect(io.errorText.hasPrefix("#< CLIXML\r\n<Objs Version=\"1.1.0.1\""))
    #expect(io.errorText.contains("<S S=\"Error\">Get-Nothing : The term 'Get-Nothing' is not recognized"))
    #expect(io.errorText.hasSuffix("</Objs>"))
  }

  @Test func commandErrorsArePlainText() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (io, code) = host.run("powershell -NoProfile -Command err:boom;exit:3")
    #expect(code == 3)
    #expect(io.errorText == "boom\r\n")
  }

  @Test func progressOnlyInCLIXML() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (plain, _) = host.run("powershell -c progress:Preparing")
    #expect(plain.error.isEmpty)
    let (xml, _) = host.run(
      "powershell -e \(RemotePowerShellCommand.encodedCommand("progress:Preparing modules for first use."))")
    #expect(xml.errorText.contains("<Obj S=\"progress\" RefId=\"0\">"))
    #expect(xml.errorText.contains("<AV>Preparing modules for first use.</AV>"))
  }

  @Test func standardInputBootstrap() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (io, code) = host.run(
      "powershell -NoProfile -EncodedCommand \(RemotePowerShellCommand.encodedCommand("stdin"))", input: "abc")
    #expect(code == 0)
    #expect(io.outputText == "abc\r\n")
  }

  @Test func commandDashReadsStandardInput() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (io, code) = host.run("powershell -NonInteractive -Command -", input: "out:from stdin")
    #expect(code == 0)
    #expect(io.outputText == "from stdin\r\n")
  }

  @Test func badCommandLineExits64WithUsage() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (io, code) = host.run("powershell -OutputFormat Json -c 1")
    #expect(code == 64)
    #expect(io.errorText.contains("\"Json\" is not a valid format"))
    #expect(io.outputText.contains("PowerShell[.exe] -Help | -? | /?"))
  }

  @Test func powershellDefaultShellRunsTheCommandText() throws {
    let host = try TemporaryHost(
      defaultShell: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", startupMilliseconds: 250)
    defer { host.remove() }
    let sleeps = SleepLog()
    let io = BufferShellIO()
    let code = host.shell(sleeps: sleeps).run(originalCommand: "out:direct", io: io)
    #expect(code == 0)
    #expect(io.outputText == "direct\r\n")
    #expect(host.directory.processStarts() == 1)
    #expect(sleeps.all == [250])
  }

  @Test func powershellDefaultShellStartsANestedPowerShell() throws {
    let host = try TemporaryHost(defaultShell: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")
    defer { host.remove() }
    let (io, code) = host.run(
      "\(encodedPrefix) -EncodedCommand \(RemotePowerShellCommand.encodedCommand("out:nested;exit:5"))")
    #expect(io.outputText == "nested\r\n")
    #expect(code == 1, "-Command exits 0 or 1 from $? after a native command")
    #expect(host.directory.processStarts() == 2)
  }

  @Test func powershellDefaultShellMangledDoubleQuotes() throws {
    let host = try TemporaryHost(defaultShell: "powershell.exe")
    defer { host.remove() }
    // OpenSSH wraps the command in double quotes, so a double quote inside it ends the quoted argument.
    let (io, _) = host.run("out:\"a  b\"")
    #expect(io.outputText == "a b\r\n")
  }

  @Test func stateIsSavedOnlyWhenChanged() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let before = try Data(contentsOf: host.directory.stateFile)
    _ = host.run("powershell -c out:1")
    #expect(try Data(contentsOf: host.directory.stateFile) == before)
    _ = host.run("powershell -c incr")
    #expect(try host.counter() == 1)
  }

  @Test func concurrentSessionsDoNotLoseStateChanges() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let directory = host.directory
    let group = DispatchGroup()
    for _ in 0..<24 {
      group.enter()
      Thread.detachNewThread {
        let shell = LabShell(directory: directory) { directory, _ in try ScriptedHostSession(directory: directory) }
        _ = shell.run(originalCommand: "powershell -c incr", io: BufferShellIO())
        group.leave()
      }
    }
    group.wait()
    #expect(try host.counter() == 24)
    #expect(host.directory.processStarts() == 24)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter {
      $0.hasSuffix(".tmp")
    }
    #expect(leftovers.isEmpty)
  }

  @Test func interactiveSessionsAreRefused() throws {
    let host = try TemporaryHost()
    defer { host.remove() }
    let (io, code) = host.run(nil)
    #expect(code == 1)
    #expect(io.errorText.contains("interactive"))
  }
}
