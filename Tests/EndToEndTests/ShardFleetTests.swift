import Foundation
import Testing
import WinAudit
import WinLab

/// `audit --shard K/N` and `report merge`, with the real `winaudit` binary against lab hosts (prefix 127.0.90, port
/// 2400; the unreachable host is on 127.0.91, where nothing listens).
@Suite(.serialized) struct ShardFleetTests {
  /// Lab hosts in inventory order, with the unreachable one in the middle: two healthy, five drifting or erring.
  static let labHosts = [
    "healthy-2019", "nla-off", "healthy-2022", "port-mismatch", "nla-gpo-off", "tls12-disabled",
    "hostile-values",
  ]
  static let unreachable = "offline-01"

  /// The lab's hosts plus one whose address refuses connections, as a winaudit YAML inventory.
  static func inventory(_ fleet: FleetHarness, in folder: URL) throws -> URL {
    var lines = [
      "defaults:", "  user: \(fleet.lab.user)", "  identity: \(fleet.lab.identity.path)",
      "  known_hosts: \(fleet.lab.knownHosts.path)", "hosts:",
    ]
    for (index, name) in labHosts.enumerated() {
      if index == 3 {
        lines += [
          "  - name: \(unreachable)", "    address: 127.\(FleetHarness.runOctet).91.1", "    port: 2409",
          "    tags: [gone]",
        ]
      }
      let server = try #require(fleet.lab.server(name))
      lines += ["  - name: \(name)", "    address: \(server.address)", "    port: \(server.port)", "    tags: [lab]"]
    }
    let file = folder.appendingPathComponent("hosts.yml")
    try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    return file
  }

  /// The JSON report without what differs between two runs of the same audit: the run's id, start, duration and
  /// shard, and each host's duration.
  static func comparable(_ file: URL) throws -> NSDictionary {
    var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    var run = try #require(json["run"] as? [String: Any])
    for key in ["id", "start", "durationSeconds", "shard"] { #expect(run.removeValue(forKey: key) != nil, "\(key)") }
    json["run"] = run
    json["hosts"] = try #require(json["hosts"] as? [[String: Any]]).map { host in
      var host = host
      host.removeValue(forKey: "durationSeconds")
      return host
    }
    return json as NSDictionary
  }

  static func pretty(_ value: NSDictionary) -> String {
    let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "?"
  }

  /// Three shards merged give the same report as one unsharded run (apart from run metadata): the same JSON, text and
  /// CSV, and the same exit code; each host is audited by exactly one shard; bad --shard values and reports that
  /// cannot be merged are exit 2.
  @Test func threeShardsMergedGiveTheUnshardedReport() throws {
    let fleet = try FleetHarness(hosts: Self.labHosts, addressPrefix: "127.0.90", port: 2400)
    defer { fleet.stop() }
    let folder = try ReportsFleetTests.scratch("shard")
    defer { try? FileManager.default.removeItem(at: folder) }
    let inventory = try Self.inventory(fleet, in: folder).path
    func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
    let options = ["--inventory", inventory, "--connect-timeout", "30", "--no-history"]

    for bad in ["0/3", "4/3", "a/b", "3"] {
      let refused = try FleetHarness.winaudit(
        ["audit"] + options + ["--shard", bad, "--report", "json:\(file("x.json").path)"])
      #expect(refused.status == 2, "\(bad): \(refused.err)")
      #expect(refused.err.contains("--shard \(bad)"), "\(bad): \(refused.err)")
    }
    for host in Self.labHosts { #expect(try fleet.processStarts(host) == 0, "\(host) was contacted") }
    #expect(!FileManager.default.fileExists(atPath: file("x.json").path))

    let whole = try FleetHarness.winaudit(
      ["audit"] + options + [
        "--report", "json:\(file("whole.json").path)", "--report", "text:\(file("whole.txt").path)",
        "--report", "csv:\(file("whole.csv").path)",
      ])
    #expect(whole.status == 4, "\(whole.err)")
    for index in 1...3 {
      let shard = try FleetHarness.winaudit(
        ["audit"] + options + ["--shard", "\(index)/3", "--report", "json:\(file("shard-\(index).json").path)"])
      #expect([0, 1, 4].contains(shard.status), "shard \(index): \(shard.err)")
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: file("shard-\(index).json"))) as? [String: Any])
      let run = try #require(json["run"] as? [String: Any])
      #expect((run["shard"] as? [String: Any])?["index"] as? Int == index)
      #expect((run["shard"] as? [String: Any])?["count"] as? Int == 3)
      #expect(!(try #require(json["hosts"] as? [[String: Any]])).isEmpty, "shard \(index) is empty")
    }
    // The unsharded audit and exactly one shard started powershell.exe on each host.
    for host in Self.labHosts { #expect(try fleet.processStarts(host) == 2, "\(host)") }

    let merged = try FleetHarness.winaudit([
      "report", "merge", file("shard-3.json").path, file("shard-1.json").path, file("shard-2.json").path,
      "--report", "json:\(file("merged.json").path)", "--report", "text:\(file("merged.txt").path)",
      "--report", "csv:\(file("merged.csv").path)", "--report", "html:\(file("merged.html").path)",
    ])
    #expect(merged.status == whole.status, "\(merged.err)")
    #expect(merged.err.isEmpty, "\(merged.err)")
    let expected = try Self.comparable(file("whole.json"))
    let actual = try Self.comparable(file("merged.json"))
    #expect(
      actual.isEqual(to: expected as! [AnyHashable: Any]), "\(Self.pretty(expected))\n---\n\(Self.pretty(actual))")
    let hosts = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: file("merged.json"))) as? [String: Any])
    #expect(
      (hosts["hosts"] as? [[String: Any]])?.map { $0["name"] as? String }
        == Array(Self.labHosts.prefix(3)) + [Self.unreachable] + Array(Self.labHosts.dropFirst(3)))
    for name in ["txt", "csv"] {
      let original = try String(contentsOf: file("whole.\(name)"), encoding: .utf8)
      let again = try String(contentsOf: file("merged.\(name)"), encoding: .utf8)
      #expect(again == original, "\(name)")
    }
    #expect(try String(contentsOf: file("whole.txt"), encoding: .utf8).contains("Summary: 8 hosts"))
    #expect(
      try String(contentsOf: file("merged.html"), encoding: .utf8).components(separatedBy: "<tr class=\"host\"").count
        == 9)

    // What cannot be one audit's report is refused, naming the file, and nothing is written.
    try "{\"schema\": 2, \"run\": ".write(to: file("cut.json"), atomically: true, encoding: .utf8)
    for (files, named) in [
      ([file("shard-1.json"), file("shard-1.json")], "shard-1.json: shard 1/3 again"),
      ([file("shard-1.json"), file("whole.json")], "whole.json: host"),
      ([file("shard-2.json"), file("cut.json")], "cut.json: not readable as JSON"),
    ] {
      let refused = try FleetHarness.winaudit(
        ["report", "merge"] + files.map(\.path) + ["--report", "json:\(file("refused.json").path)"])
      #expect(refused.status == 2, "\(refused.err)")
      #expect(refused.err.contains(named), "\(refused.err)")
      #expect(!FileManager.default.fileExists(atPath: file("refused.json").path))
    }
    // A missing shard is merged with a warning.
    let partial = try FleetHarness.winaudit(["report", "merge", file("shard-1.json").path, file("shard-3.json").path])
    #expect(partial.err.contains("warning: shard 2/3 missing"), "\(partial.err)")
    #expect(partial.out.contains("Summary: "), "\(partial.out)")
  }
}
