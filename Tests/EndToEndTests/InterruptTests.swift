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
    process.environment = FleetHarness.environment
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

/// Ctrl-C halfway through a fleet audit: the hosts audited so far are in a valid report, the others are marked
/// interrupted, and the exit status is 130.
@Suite(.serialized) struct AuditInterruptTests {
  @Test func ctrlCHalfwayThroughAnAuditReportsTheFinishedHosts() throws {
    let fleet = try FleetHarness(
      hosts: ["healthy-2019", "healthy-2022", "nla-off", "locale-de"], addressPrefix: "127.0.53", port: 2253)
    defer { fleet.stop() }
    let folder = FixHarness.temporaryDirectory()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // One host at a time, in inventory order; the third hangs in its collector, the fourth is never reached.
    let order = try fleet.inventoryHosts().map(\.name)
    let hung = order[2]
    let directory = try #require(fleet.lab.server(hung)).host
    var settings = try HostSettings.load(from: directory)
    settings.slowCmdlets = ["Get-NetFirewallRule": 120_000]
    try settings.save(to: directory)

    let report = folder.appendingPathComponent("report.json")
    let process = Process()
    process.executableURL = try FleetHarness.winauditPath()
    process.environment = FleetHarness.environment
    process.arguments = [
      "audit", "--inventory", fleet.lab.inventory.path, "--no-agent", "--concurrency", "1", "--report",
      "json:" + report.path,
    ]
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    let errBox = DataBox()
    let group = DispatchGroup()
    try process.run()
    DispatchQueue.global().async(group: group) { errBox.set(errors.fileHandleForReading.readDataToEndOfFile()) }
    defer { if process.isRunning { process.terminate() } }

    // The hung host's powershell.exe has started: the two before it are done.
    let deadline = Date().addingTimeInterval(180)
    while try fleet.processStarts(hung) == 0, Date() < deadline, process.isRunning { usleep(50_000) }
    #expect(try fleet.processStarts(hung) == 1)
    process.interrupt()
    group.wait()
    process.waitUntilExit()
    let err = String(decoding: errBox.get(), as: UTF8.self)
    #expect(process.terminationStatus == 130, "\(err)")

    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any], "\(err)")
    let hosts = try #require(json["hosts"] as? [[String: Any]])
    let status = Dictionary(uniqueKeysWithValues: hosts.map { ($0["name"] as? String ?? "?", $0["status"] as? String) })
    #expect(status[order[0]] == "compliant" || status[order[0]] == "drift", "\(status)")
    #expect(status[order[1]] == "compliant" || status[order[1]] == "drift", "\(status)")
    #expect(status[hung] == "interrupted", "\(status)")
    #expect(status[order[3]] == "interrupted", "\(status)")
    #expect(try fleet.processStarts(order[3]) == 0, "the host after the interrupt was contacted")
  }
}
