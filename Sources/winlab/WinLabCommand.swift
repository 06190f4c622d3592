import ArgumentParser
import Foundation
import WinLab

/// `winlab`: the Windows host double. `up` starts a fleet of lab hosts behind real sshd servers (and `rdp-listen`, their
/// RDP listeners), `shell` is their login shell, `down` stops them, `state` shows a host's state, `fleet` makes a benchmark fleet, `import` turns a
/// `winaudit capture` into a host state.
@main
struct WinLabCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "winlab",
    abstract: "A lab of modelled Windows hosts reachable over real SSH.",
    subcommands: [Up.self, Down.self, Shell.self, RDPListen.self, State.self, MakeFleet.self, Import.self])
}

extension WinLabCommand {
  struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start one sshd per host of a fleet file.")

    @Option(help: "The fleet file (e.g. Samples/lab/fleet.yml).") var fleet: String
    @Option(help: "The lab folder: inventory.yml, known_hosts, id_ed25519 and hosts/ go here.") var dir: String
    @Option(help: "Only these hosts (comma-separated names).") var hosts: String?
    @Option(help: "Use <prefix>.1, <prefix>.2, ... as addresses (e.g. 127.0.20).") var addressPrefix: String?
    @Option(help: "Use this port for every host.") var port: Int?
    @Option(help: "powershell.exe start-up time in milliseconds.") var startupMilliseconds: Int?
    @Flag(name: .customLong("no-rdp"), help: "Do not start the RDP listener double.") var noRDP = false
    @Option(
      help: ArgumentHelp(
        "Also start a jump host (a plain sshd that forwards TCP to the lab hosts) on this address.",
        valueName: "address:port"))
    var bastion: String?

    func run() throws {
      var options = LabFleet.Options(
        hosts: hosts?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
        addressPrefix: addressPrefix, port: port, startupMilliseconds: startupMilliseconds, rdpListener: !noRDP)
      if let bastion {
        guard let colon = bastion.lastIndex(of: ":"), let port = Int(bastion[bastion.index(after: colon)...]),
          (1...65535).contains(port), colon > bastion.startIndex
        else { throw ValidationError("--bastion must be ADDRESS:PORT, found '\(bastion)'") }
        options.bastion = (String(bastion[..<colon]), port)
      }
      let lab = try LabFleet.up(
        fleetFile: URL(fileURLWithPath: fleet), dir: URL(fileURLWithPath: dir),
        winlabBinary: LabBinaries.currentExecutable(), options: options)
      for server in lab.servers {
        print("\(server.name)\t\(server.address):\(server.port)\tsshd pid \(server.pid)")
      }
      if let pid = lab.rdpListenerPid { print("rdp listener double pid \(pid)") }
      if let bastion = lab.bastion { print("bastion\t\(bastion.address):\(bastion.port)\tsshd pid \(bastion.pid)") }
      print("inventory: \(lab.inventory.path)")
    }
  }

  struct RDPListen: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rdp-listen",
      abstract: "Serve the lab hosts' RDP listeners (X.224 negotiation and TLS) until terminated; `up` starts it.")

    @Option(help: "The lab folder given to `winlab up`.") var dir: String

    func run() throws {
      RDPListenProcess.serve(labDirectory: URL(fileURLWithPath: dir).standardizedFileURL)
    }
  }

  struct Down: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop the servers `winlab up` started in a lab folder.")

    @Option(help: "The lab folder given to `winlab up`.") var dir: String

    func run() throws {
      guard let lab = try Lab.load(from: URL(fileURLWithPath: dir)) else {
        print("no lab is running in \(dir)")
        return
      }
      let stopped = try lab.down()
      print("stopped \(stopped.count) sshd server\(stopped.count == 1 ? "" : "s")")
    }
  }

  struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The login shell of a lab host (sshd's ForceCommand); runs SSH_ORIGINAL_COMMAND.")

    @Option(help: "The host's folder (DIR/hosts/NAME).") var hostDir: String

    func run() throws {
      let command = ProcessInfo.processInfo.environment["SSH_ORIGINAL_COMMAND"]
      let code = LabShell.forHost(HostDirectory(path: hostDir)).run(originalCommand: command, io: StandardShellIO())
      throw ExitCode(code)
    }
  }

  struct State: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a lab host's current state (JSON).")

    @Option(help: "The lab folder.") var dir: String
    @Argument(help: "The host's name.") var host: String

    func run() throws {
      let file = HostDirectory(URL(fileURLWithPath: dir).appendingPathComponent("hosts").appendingPathComponent(host))
        .stateFile
      guard let data = FileManager.default.contents(atPath: file.path) else {
        throw LabShellError("no host \(host) in \(dir) (\(file.path) does not exist)")
      }
      FileHandle.standardOutput.write(data)
    }
  }

  struct MakeFleet: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fleet", abstract: "Write a fleet file of healthy clones of one host (for the benchmark).")

    @Option(help: "How many hosts.") var count: Int
    @Option(help: "The host state file to clone.") var from: String
    @Option(help: "The fleet file to write; the clones' state files go to hosts/ beside it.") var out: String
    @Option(help: "Clone name prefix.") var prefix = "bench"

    func run() throws {
      guard count > 0 else { throw ValidationError("--count must be at least 1") }
      let fleet = try FleetFile.writeClones(
        count: count, from: URL(fileURLWithPath: from), to: URL(fileURLWithPath: out), prefix: prefix)
      print("wrote \(out) with \(fleet.hosts.count) hosts")
    }
  }
}

extension WinLabCommand {
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Turn a `winaudit capture` folder into a lab host state file.",
      discussion: """
        Fails, naming it, when the capture lacks something the host state needs. Prints a warning for every place \
        where the lab derives something else than the captured host said (a gap in the lab's model).
        """)

    @Argument(help: "The capture folder (holds capture.json).") var folder: String
    @Option(help: "The host state file to write.") var output: String

    func run() throws {
      let result: CaptureImport.Result
      do {
        result = try CaptureImport.importFolder(URL(fileURLWithPath: folder))
      } catch {
        FileHandle.standardError.write(Data("winlab: \(error.message)\n".utf8))
        throw ExitCode(2)
      }
      for warning in result.warnings {
        FileHandle.standardError.write(Data("winlab: warning: \(warning)\n".utf8))
      }
      do {
        try result.state.save(to: URL(fileURLWithPath: output))
      } catch {
        FileHandle.standardError.write(Data("winlab: \(error.message)\n".utf8))
        throw ExitCode(1)
      }
      print("wrote \(output) (host \(result.state.computerName))")
    }
  }
}
