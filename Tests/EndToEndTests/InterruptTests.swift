import Foundation
import Testing
import WinAudit
import WinLab

/// Ctrl-C during `fix --apply`, on the real binary against lab hosts: at the prompt, and while a host is being changed.
/// Either way no host keeps a lock, every journal line parses, and the exit status is 130.
@Suite(.serialized) struct InterruptTests {
  static func lock(_ fleet: FleetHarness, _ host: String) throws -> Any? {
    (try FixHarness.state(fleet, host)["registry"] as? [String: Any] ?? [:])[#"HKLM:\SOFTWARE\winaudit\Lock"#]
  }

  @Test func ctrlCAtThePromptReleasesEveryLockAndChangesNothing() throws {
    let hosts = ["nla-off", "credssp-vulnerable"]
    let fleet = try FleetHarness(hosts: hosts, addressPrefix: "127.0.46", port: 2241)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let original = try FixHarness.states(fleet, hosts)

    let terminal = try TerminalRun([
      "fix", "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent", "--apply",
    ])
    try terminal.waitFor("[q]uit ")
    // While the question waits, the plan's locks are held.
    for host in hosts { #expect(try Self.lock(fleet, host) != nil, "\(host) not locked at the prompt") }
    terminal.interrupt()
    let end = terminal.finish()
    #expect(end.status == 130, "\(end.out)\n\(terminal.screen)")
    #expect(terminal.screen.contains("interrupted"), "\(terminal.screen)")
    #expect(end.out.contains("interrupted: 2 hosts not started"), "\(end.out)")
    for host in hosts {
      #expect(try Self.lock(fleet, host) == nil, "\(host) still locked after Ctrl-C at the prompt")
      #expect(FixHarness.restored(try FixHarness.state(fleet, host), original: original[host]!), "\(host) changed")
    }
    let run = try FixHarness.runID(end.out)
    let lines = try FixHarness.journal(journal, run: run)
    let interrupted = lines.filter { $0["kind"] as? String == "end" && $0["status"] as? String == "interrupted" }
    #expect(Set(interrupted.compactMap { $0["host"] as? String }) == Set(hosts), "\(lines)")
    #expect(!lines.contains { $0["kind"] as? String == "intent" }, "a change was sent: \(lines)")
  }

  @Test func ctrlCWhileAHostIsChangedFinishesItAndStartsNoOther() throws {
    let hosts = ["nla-off", "credssp-vulnerable", "tls12-disabled"]
    let fleet = try FleetHarness(hosts: hosts, addressPrefix: "127.0.49", port: 2243)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    // Every registry write takes 1.5 s, so the first host's apply is still running when Ctrl-C arrives.
    for host in hosts {
      let directory = try #require(fleet.lab.server(host)).host
      var settings = try HostSettings.load(from: directory)
      settings.slowCmdlets = ["New-ItemProperty": 1500, "Set-ItemProperty": 1500]
      try settings.save(to: directory)
    }
    let original = try FixHarness.states(fleet, hosts)

    let process = Process()
    process.executableURL = try LabBinaries.winlabPath().deletingLastPathComponent().appendingPathComponent("winaudit")
    process.arguments = [
      "fix", "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent", "--apply", "--yes",
      "--concurrency", "1", "--allow-disruptive",
    ]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    let outBox = DataBox()
    let errBox = DataBox()
    let group = DispatchGroup()
    try process.run()
    DispatchQueue.global().async(group: group) { outBox.set(output.fileHandleForReading.readDataToEndOfFile()) }
    DispatchQueue.global().async(group: group) { errBox.set(errors.fileHandleForReading.readDataToEndOfFile()) }
    defer { if process.isRunning { process.terminate() } }

    // Wait for the first change to be journaled (its intent is written just before the apply script is sent).
    var first: String?
    let deadline = Date().addingTimeInterval(180)
    while first == nil, Date() < deadline, process.isRunning {
      let files = (try? FileManager.default.contentsOfDirectory(at: journal, includingPropertiesForKeys: nil)) ?? []
      for file in files where file.pathExtension == "jsonl" {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
          let entry = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
          if entry?["kind"] as? String == "intent" { first = entry?["host"] as? String }
        }
      }
      if first == nil { usleep(50_000) }
    }
    let changed = try #require(first, "no change was journaled")
    process.interrupt()
    group.wait()
    process.waitUntilExit()
    let out = String(decoding: outBox.get(), as: UTF8.self)
    let err = String(decoding: errBox.get(), as: UTF8.self)
    #expect(process.terminationStatus == 130, "\(out)\n\(err)")
    #expect(err.contains("interrupted"), "\(err)")
    #expect(out.contains("\(changed): applied"), "\(out)")

    let run = try FixHarness.runID(out)
    let lines = try FixHarness.journal(journal, run: run)
    for host in hosts {
      #expect(try Self.lock(fleet, host) == nil, "\(host) still locked")
      guard host != changed else { continue }
      #expect(out.contains("\(host): not changed (interrupted"), "\(out)")
      #expect(FixHarness.restored(try FixHarness.state(fleet, host), original: original[host]!), "\(host) changed")
      #expect(
        lines.contains {
          $0["kind"] as? String == "end" && $0["host"] as? String == host
            && $0["status"] as? String == "interrupted"
        }, "\(host): \(lines)")
    }
    // Ctrl-C at the rollback's question: nothing is rolled back, exit 130.
    let lab = fleet.lab.inventory.deletingLastPathComponent()
    let asked = try TerminalRun([
      "rollback", run, "--journal", journal.path, "--no-agent", "--known-hosts",
      lab.appendingPathComponent("known_hosts").path,
    ])
    try asked.waitFor("[q]uit ")
    asked.interrupt()
    let stopped = asked.finish()
    #expect(stopped.status == 130, "\(stopped.out)\n\(asked.screen)")
    #expect(stopped.out.contains("\(changed): not changed (interrupted"), "\(stopped.out)")
    #expect(!FixHarness.restored(try FixHarness.state(fleet, changed), original: original[changed]!))

    // The changed host's apply ran to its end, and rollback of the run undoes it.
    let rollback = try FixFleetTests.rollback(fleet, journal: journal, run: run)
    #expect(rollback.status == 0, "\(rollback.out)\n\(rollback.err)")
    #expect(FixHarness.restored(try FixHarness.state(fleet, changed), original: original[changed]!))
  }
}
