import Foundation
import Testing
import WinAudit
import WinLab

/// `fix --apply` whose journal stops growing part-way (a file-size limit, `ulimit -f`: the writes fail with EFBIG, as
/// on a full disk with ENOSPC): no change reaches a host without its journal lines, every journal line is whole, and
/// `rollback` of the run restores every host that was changed. Lab on 127.0.63, port 2266.
@Suite(.serialized) struct JournalFullDiskTests {
  /// Hosts whose fixes are registry values, applied one host after another (`--concurrency 1`), in this order.
  static let hosts = ["nla-off", "credssp-vulnerable", "winstations-disabled", "max-instances-zero", "tls12-disabled"]
  /// The journal's size limit, in dash's 512-byte blocks: room for the run line and the first hosts' lines, not for
  /// all of them.
  static let limitBlocks = 6

  @Test func aJournalThatCannotGrowStopsChangesAndTheRunRollsBack() throws {
    let fleet = try FleetHarness(hosts: Self.hosts, addressPrefix: "127.0.63", port: 2266)
    defer { fleet.stop() }
    let journal = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: journal) }
    let original = try FixHarness.states(fleet, Self.hosts)

    // Not `trap '' XFSZ`: winaudit itself must turn the signal into a write error.
    let limited = try FleetHarness.run(
      URL(fileURLWithPath: "/bin/sh"),
      [
        "-c", "ulimit -f \(Self.limitBlocks); exec \"$0\" \"$@\"", try FleetHarness.winauditPath().path, "fix",
        "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent", "--apply", "--yes",
        "--allow-disruptive", "--concurrency", "1",
      ], stdin: Data())
    #expect(limited.status == 4, "\(limited.out)\n\(limited.err)")
    #expect(limited.out.contains("File too large"), "\(limited.out)")
    let run = try FixHarness.runID(limited.out)

    // Every line is whole JSON.
    let text = try String(contentsOf: journal.appendingPathComponent(run + ".jsonl"), encoding: .utf8)
    #expect(text.hasSuffix("\n"))
    let entries = try FixHarness.journal(journal, run: run)
    #expect(entries.count == text.split(separator: "\n").count)

    var changed: [String] = []
    var refused: [String] = []
    for host in Self.hosts {
      let now = try FixHarness.state(fleet, host)
      let intents = entries.filter { $0["kind"] as? String == "intent" && $0["host"] as? String == host }
      guard !FixHarness.restored(now, original: original[host]!) else {
        refused.append(host)
        continue
      }
      changed.append(host)
      // Every registry value that differs is named by one of the host's intents.
      let named = Set(intents.flatMap { Self.strings(in: $0).map { $0.lowercased() } })
      #expect(!intents.isEmpty, "\(host) was changed without a journal line")
      for (path, name) in Self.changedValues(original[host]!, now) {
        #expect(
          named.contains(path.lowercased()) && named.contains(name.lowercased()),
          "\(host): \(path)\\\(name) changed without its intent")
      }
    }
    #expect(!changed.isEmpty, "the limit left no room for any host: \(limited.out)")
    #expect(!refused.isEmpty, "the limit was never reached: \(limited.out)")
    // Nothing is left locked.
    for host in Self.hosts {
      let registry = try FixHarness.state(fleet, host)["registry"] as? [String: Any] ?? [:]
      #expect(registry[#"HKLM:\SOFTWARE\winaudit\Lock"#] == nil, "\(host) still locked")
    }

    let back = try FleetHarness.winaudit([
      "rollback", run, "--journal", journal.path, "--no-agent", "--yes", "--known-hosts", fleet.lab.knownHosts.path,
    ])
    #expect(back.status == 0, "\(back.out)\n\(back.err)")
    for host in Self.hosts {
      let now = try FixHarness.state(fleet, host)
      #expect(
        FixHarness.restored(now, original: original[host]!),
        "\(host): \(FixHarness.differences(original[host]!, now))")
    }
  }

  /// Every string in a parsed JSON value.
  static func strings(in value: Any) -> [String] {
    switch value {
    case let text as String: return [text]
    case let map as [String: Any]: return map.values.flatMap(strings)
    case let list as [Any]: return list.flatMap(strings)
    default: return []
    }
  }

  /// The registry values (key path, value name) that differ between two states, the host lock left out.
  static func changedValues(_ a: NSDictionary, _ b: NSDictionary) -> [(String, String)] {
    let left = FixHarness.withoutLock(a)["registry"] as? [String: [String: Any]] ?? [:]
    let right = FixHarness.withoutLock(b)["registry"] as? [String: [String: Any]] ?? [:]
    var result: [(String, String)] = []
    for path in Set(left.keys).union(right.keys) {
      let l = left[path] ?? [:]
      let r = right[path] ?? [:]
      for name in Set(l.keys).union(r.keys) where !((l[name] as? NSObject)?.isEqual(r[name]) ?? (r[name] == nil)) {
        result.append((path, name))
      }
    }
    return result
  }
}
