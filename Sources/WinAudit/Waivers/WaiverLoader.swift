import Foundation
import Yams

/// Reads a `--waivers` file and checks it against the playbook: every problem (an unknown control, a missing
/// justification, a date that is not YYYY-MM-DD) is a diagnostic with file, line and column, before any host is
/// contacted.
///
///     waivers:
///       - control: nla-required
///         hosts: [legacy-*, kiosk-01]
///         justification: Thin clients without CredSSP until the Q3 replacement
///         approver: j.doe
///         expires: 2026-09-30
public enum WaiverLoader {
  public static func load(path: String, playbook: Playbook) throws(DiagnosticsError) -> Waivers {
    let text = try InputFile.read(path, what: "waivers file", flag: "--waivers")
    return try parse(text, file: path, playbook: playbook)
  }

  public static func parse(_ text: String, file: String, playbook: Playbook) throws(DiagnosticsError) -> Waivers {
    let reader = YAMLReader(file: file)
    guard let root = reader.compose(text) else { throw DiagnosticsError(reader.diagnostics) }
    var waivers: [Waiver] = []
    if let top = reader.mapping(root, "the waivers file", allowed: ["waivers"], required: ["waivers"]),
      let list = top["waivers"], let entries = reader.sequence(list, "waivers")
    {
      let controls = Set(playbook.controls.map(\.id))
      for entry in entries {
        if let waiver = parse(entry, reader: reader, controls: controls, playbook: playbook.name) {
          waivers.append(waiver)
        }
      }
    }
    if !reader.diagnostics.isEmpty {
      throw DiagnosticsError(reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }
    return Waivers(waivers)
  }

  private static let keys = ["control", "hosts", "justification", "approver", "expires"]

  private static func parse(_ node: Node, reader: YAMLReader, controls: Set<String>, playbook: String) -> Waiver? {
    guard let map = reader.mapping(node, "a waiver", allowed: keys, required: keys) else { return nil }
    let before = reader.diagnostics.count
    var control: String?
    if let value = map["control"], let id = reader.string(value, "control") {
      if controls.contains(id) {
        control = id
      } else {
        reader.report("waiver for the unknown control '\(id)': the playbook \(playbook) has no such control", at: value)
      }
    }
    let hosts = map["hosts"].flatMap { reader.stringList($0, "hosts") }
    if let hosts, hosts.isEmpty { reader.report("hosts must name at least one host pattern", at: map["hosts"]) }
    let justification = map["justification"].flatMap { reader.string($0, "justification") }
    let approver = map["approver"].flatMap { reader.string($0, "approver") }
    for (key, value) in [("justification", justification), ("approver", approver)]
    where value?.trimmingCharacters(in: .whitespaces).isEmpty == true {
      reader.report("\(key) must not be empty", at: map[key])
    }
    var expires: String?
    var expiry: Date?
    if let value = map["expires"], let text = reader.string(value, "expires") {
      if let day = day(text) {
        expires = text
        expiry = day.addingTimeInterval(86_400)
      } else {
        reader.report(
          "expires must be a date written YYYY-MM-DD (the last day the waiver holds), found '\(text)'", at: value)
      }
    }
    guard reader.diagnostics.count == before, let control, let hosts, let justification, let approver, let expires,
      let expiry
    else { return nil }
    return Waiver(
      control: control, hosts: hosts, justification: justification, approver: approver, expires: expires,
      expiry: expiry, file: reader.file, line: node.mark?.line ?? 0)
  }

  /// Midnight UTC of a `YYYY-MM-DD` day, or nil.
  static func day(_ text: String) -> Date? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = DateComponents(year: year, month: month, day: day)
    guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
    return date
  }
}
