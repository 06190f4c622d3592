import Foundation
import Testing
import WinAudit
import WinLab

/// A fix changes exactly the registry key the audit read, however its name reads as a wildcard, and a value with any
/// text in it comes back byte for byte, with its type, after apply and rollback. The real binary against a lab host
/// (127.0.62, port 2265) with a custom playbook and remediation.
@Suite(.serialized) struct HostileRegistryTests {
  static let host = "healthy-2019"
  static let root = #"HKLM:\SOFTWARE\Contoso"#
  /// `[12]` is a wildcard to `-Path` (App1 or App2): only `-LiteralPath` addresses this key.
  static let target = root + #"\App[12]"#
  static let neighbours = [root + #"\App1"#, root + #"\App2"#]

  /// Texts no quoting may break: line ends, quotes of every kind, subexpressions, backticks, separators, a long one.
  static let hostileTexts = [
    "first line\nsecond line\r\nthird line\r",
    #"it's 'single' and "double" quoted"#,
    "$(Remove-Item -Recurse C:\\) ${env:PATH} $env:COMPUTERNAME @(1) ;exit 7",
    "back`tick `$x `n `0 ``",
    "it\u{2019}s \u{2018}curly\u{2019} \u{201A}low\u{201B}",
    "line\u{2028}separator\u{0085}next line\u{2029}paragraph",
    String(repeating: "0123456789", count: 1000),
  ]

  /// The hostile values as (value name, lab registry type, value): each text as REG_SZ and REG_EXPAND_SZ, and all of
  /// them (but the long one) as one REG_MULTI_SZ.
  static var hostileValues: [(name: String, type: String, value: Any)] {
    var values: [(String, String, Any)] = []
    for (index, text) in hostileTexts.enumerated() {
      values.append(("Sz\(index)", "SZ", text))
      values.append(("ExpandSz\(index)", "EXPAND_SZ", text))
    }
    values.append(("MultiSz", "MULTI_SZ", Array(hostileTexts.dropLast())))
    return values
  }

  @Test func theFixAddressesOnlyTheKeyTheAuditReadAndHostileValuesRoundTrip() throws {
    let fleet = try FleetHarness(hosts: [Self.host], addressPrefix: "127.0.62", port: 2265)
    defer { fleet.stop() }
    let folder = FixHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let journal = folder.appendingPathComponent("journal")

    let seeded = try #require(try FixHarness.state(fleet, Self.host).mutableCopy() as? NSMutableDictionary)
    var registry = seeded["registry"] as? [String: Any] ?? [:]
    registry[Self.root] = [String: Any]()
    var app: [String: Any] = ["Setting": ["type": "SZ", "value": "old"]]
    for value in Self.hostileValues { app[value.name] = ["type": value.type, "value": value.value] }
    registry[Self.target] = app
    for key in Self.neighbours { registry[key] = ["Setting": ["type": "SZ", "value": "old"]] }
    seeded["registry"] = registry
    try FixHarness.write(seeded, fleet, Self.host)
    let original = try FixHarness.state(fleet, Self.host)

    let playbook = folder.appendingPathComponent("playbook.yml")
    let remediation = folder.appendingPathComponent("remediation.yml")
    try Self.playbook().write(to: playbook, atomically: true, encoding: .utf8)
    try Self.remediation().write(to: remediation, atomically: true, encoding: .utf8)
    func fix(_ extra: [String]) throws -> (status: Int32, out: String, err: String) {
      try FleetHarness.winaudit(
        [
          "fix", "--inventory", fleet.lab.inventory.path, "--journal", journal.path, "--no-agent", "--playbook",
          playbook.path, "--remediation", remediation.path, "--apply", "--yes",
        ] + extra)
    }

    // 1. Only App[12]'s Setting: App1 and App2 keep theirs.
    let only = try fix(["--only", "app-setting"])
    #expect(only.status == 1, "\(only.out)\n\(only.err)")  // the hostile values still drift
    #expect(only.out.contains("applied 1 change"), "\(only.out)")
    let afterOnly = try FixHarness.state(fleet, Self.host)
    let expected = try #require(original.mutableCopy() as? NSMutableDictionary)
    var expectedRegistry = original["registry"] as? [String: Any] ?? [:]
    app["Setting"] = ["type": "SZ", "value": "expected"]
    expectedRegistry[Self.target] = app
    expected["registry"] = expectedRegistry
    #expect(
      FixHarness.restored(afterOnly, original: expected), "\(FixHarness.differences(expected, afterOnly))")

    // 2. Every hostile value set to plain text, then rolled back: the registry is the one before, types and all.
    let apply = try fix([])
    #expect(apply.status == 0, "\(apply.out)\n\(apply.err)")
    #expect(apply.out.contains("applied \(Self.hostileValues.count) changes"), "\(apply.out)")
    let applied = try FixHarness.state(fleet, Self.host)
    let appliedKey = (applied["registry"] as? [String: Any])?[Self.target] as? [String: Any] ?? [:]
    for value in Self.hostileValues {
      let entry = appliedKey[value.name] as? [String: Any]
      #expect(entry?["type"] as? String == "SZ" && entry?["value"] as? String == "expected", "\(value.name)")
    }
    let run = try FixHarness.runID(apply.out)
    let back = try FleetHarness.winaudit([
      "rollback", run, "--journal", journal.path, "--no-agent", "--yes", "--known-hosts", fleet.lab.knownHosts.path,
    ])
    #expect(back.status == 0, "\(back.out)\n\(back.err)")
    let now = try FixHarness.state(fleet, Self.host)
    #expect(FixHarness.restored(now, original: afterOnly), "\(FixHarness.differences(afterOnly, now))")
    let nowKey = (now["registry"] as? [String: Any])?[Self.target] as? NSDictionary
    #expect(nowKey?.isEqual(to: app) == true)
  }

  /// A single-quoted YAML scalar: the only escape is a doubled quote; line breaks are not allowed in it.
  static func yamlQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

  /// A fact and a control per value: each expects the text `expected`.
  static func playbook() -> String {
    var facts = [
      "  setting:", "    registry:", "      path: \(yamlQuoted(target))", "      name: Setting",
    ]
    var controls = [
      "  - id: app-setting", "    title: App[12] Setting is expected", "    severity: low", "    check:",
      "      fact: setting", "      equals: expected",
    ]
    for value in hostileValues {
      facts += [
        "  v\(value.name):", "    registry:", "      path: \(yamlQuoted(target))", "      name: \(value.name)",
      ]
      controls += [
        "  - id: value-\(value.name.lowercased())", "    title: \(value.name) is expected", "    severity: low",
        "    check:", "      fact: v\(value.name)",
        "      equals: expected",
      ]
    }
    return (["playbook: 1", "name: hostile-registry", "facts:"] + facts + ["controls:"] + controls)
      .joined(separator: "\n") + "\n"
  }

  /// A setRegistry fix per control.
  static func remediation() -> String {
    var lines = [
      "remediation: 1", "name: hostile-registry", "fixes:", "  app-setting:", "    summary: Set App[12] Setting",
      "    actions:", "      - setRegistry: {fact: setting, value: expected}",
    ]
    for value in hostileValues {
      lines += [
        "  value-\(value.name.lowercased()):", "    summary: Set \(value.name)", "    actions:",
        "      - setRegistry: {fact: v\(value.name), value: expected}",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
