import Foundation
import Testing
import WinAudit
import WinLab

/// The audit history end to end: two audits of the lab around a state change; `winaudit diff` names exactly the
/// control that changed, and `winaudit history` shows it run by run.
@Suite(.serialized) struct HistoryTests {
  @Test func diffNamesExactlyTheControlThatChanged() throws {
    let fleet = try FleetHarness(hosts: ["healthy-2019", "nla-off"], addressPrefix: "127.0.54", port: 2254)
    defer { fleet.stop() }
    let folder = FixHarness.temporaryDirectory()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = folder.appendingPathComponent("history.sqlite").path
    let audit = ["audit", "--inventory", fleet.lab.inventory.path, "--no-agent", "--history", database]

    let first = try FleetHarness.winaudit(audit)
    #expect(first.status == 1, "\(first.out)\n\(first.err)")
    // Someone turns NLA off on healthy-2019.
    var state = try FixHarness.state(fleet, "healthy-2019")
    var registry = state["registry"] as? [String: Any] ?? [:]
    let rdpTcp = #"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp"#
    var values = try #require(registry[rdpTcp] as? [String: Any])
    values["UserAuthentication"] = ["type": "DWORD", "value": 0]
    registry[rdpTcp] = values
    let copy = state.mutableCopy() as! NSMutableDictionary
    copy["registry"] = registry
    state = copy
    try FixHarness.write(state, fleet, "healthy-2019")
    let second = try FleetHarness.winaudit(audit)
    #expect(second.status == 1, "\(second.out)\n\(second.err)")

    let diff = try FleetHarness.winaudit(["diff", "--history", database])
    #expect(diff.status == 1, "\(diff.out)\n\(diff.err)")
    let changes = diff.out.split(separator: "\n").dropFirst().map(String.init)
    #expect(changes == ["  new drift     healthy-2019  nla-required: actual 0"], "\(diff.out)")

    let runs = try FleetHarness.winaudit(["history", "--history", database])
    #expect(runs.status == 0)
    #expect(runs.out.split(separator: "\n").count == 3, "\(runs.out)")  // header and two runs
    let timeline = try FleetHarness.winaudit([
      "history", "--history", database, "--host", "healthy-2019", "--control", "nla-required",
    ])
    let lines = timeline.out.split(separator: "\n")
    #expect(lines.count == 2 && lines[0].hasSuffix("nla-required: pass") && lines[1].contains("nla-required: drift"))

    // --no-history records nothing.
    _ = try FleetHarness.winaudit(audit + ["--no-history"])
    #expect(try FleetHarness.winaudit(["history", "--history", database]).out.split(separator: "\n").count == 3)
  }
}
