import Foundation
import RDPProbe

/// `winaudit probe HOST[:PORT]...`: the outside-in probe alone, like a scanner, for hosts without SSH. No Windows
/// knowledge and no credentials: what each listener answers, and what that says.
public struct WireScan: Sendable {
  public var prober: any WireProber
  /// Targets probed at once; each costs one socket at a time, on NIO's event loops.
  public var concurrency: Int

  public init(prober: any WireProber, concurrency: Int = 32) {
    self.prober = prober
    self.concurrency = max(1, concurrency)
  }

  /// One target as written: `host`, `host:port`, `[v6]:port` or a bare IPv6 address; 3389 when no port is given.
  public static func target(_ text: String) throws(UsageError) -> ProbeTarget {
    let fail = UsageError("'\(text)' is not HOST, HOST:PORT or [IPv6]:PORT with a port from 1 to 65535")
    var host = text
    var port = 3389
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else { throw fail }
      host = String(text[text.index(after: text.startIndex)..<close])
      let rest = text[text.index(after: close)...]
      if !rest.isEmpty {
        guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()) else { throw fail }
        port = number
      }
    } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
      host = String(text[..<colon])
      guard let number = Int(text[text.index(after: colon)...]) else { throw fail }
      port = number
    }
    let allowed = host.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_" || $0 == "%"
    }
    guard !host.isEmpty, allowed, host.unicodeScalars.allSatisfy(\.isASCII), (1...65535).contains(port) else {
      throw fail
    }
    return ProbeTarget(host: host, port: port)
  }

  /// Probes every target, at most `concurrency` at once; results in the order given.
  public func run(_ targets: [ProbeTarget]) async -> WireScanReport {
    var results = [ProbeResult?](repeating: nil, count: targets.count)
    await withTaskGroup(of: (Int, ProbeResult).self) { group in
      var next = 0
      func start() {
        guard next < targets.count else { return }
        let index = next
        next += 1
        group.addTask { [prober] in (index, await prober.probe(targets[index])) }
      }
      for _ in 0..<min(concurrency, targets.count) { start() }
      for await (index, result) in group {
        results[index] = result
        start()
      }
    }
    return WireScanReport(
      entries: results.compactMap { $0 }.map { RDPWireFact.value(of: $0, options: prober.options) })
  }
}

/// What `winaudit probe` found: per target the wire fact's value (the same JSON as `rdpWire` in a facts document).
public struct WireScanReport: Sendable, Hashable {
  var entries: [FactValue]

  /// Every target answered.
  public var allAnswered: Bool { entries.allSatisfy { $0["answered"] == .bool(true) } }

  /// Exit status: 0 every target answered, 4 some did not.
  public var exitCode: Int32 { allAnswered ? 0 : 4 }

  /// Text for people: per target the three answers and what they say.
  public func text(now: Date = Date()) -> String {
    var lines: [String] = []
    func row(_ label: String, _ value: String) {
      lines.append("  " + (label + ":").padding(toLength: 25, withPad: " ", startingAt: 0) + " " + SafeText.line(value))
    }
    for entry in entries {
      lines.append(SafeText.line(entry["target"]?.string ?? "?"))
      guard entry["answered"] == .bool(true) else {
        row("no answer", entry["silence"]?.string ?? "?")
        lines.append("")
        continue
      }
      for item in (entry["answers"] ?? .null).list {
        row("asked for \(item["request"]?.string ?? "?")", item["answer"]?.string ?? "?")
      }
      func yesNo(_ key: String) -> String {
        switch entry[key] {
        case .bool(true)?: "yes"
        case .bool(false)?: "no"
        default: "unknown"
        }
      }
      row("NLA enforced", yesNo("nlaEnforced"))
      row("standard RDP accepted", yesNo("standardRdpAccepted"))
      row("TLS", yesNo("tlsAvailable") + (entry["tlsProblem"]?.string.map { " (\($0))" } ?? ""))
      if let certificate = entry["certificate"], !certificate.isNull {
        row("certificate", certificate["subject"]?.string ?? "?")
        row("  issuer", certificate["issuer"]?.string ?? "?")
        if let notAfter = certificate["notAfter"]?.string.flatMap(ISODate.parse) {
          let left = ExpectationCheck.daysLeft(until: notAfter, now: now)
          row("  valid until", "\(ISODate.day(notAfter)) (\(ExpectationCheck.phrase(left)))")
        }
        row("  SHA-1 thumbprint", certificate["thumbprint"]?.string ?? "?")
      }
      lines.append("")
    }
    let answered = entries.filter { $0["answered"] == .bool(true) }.count
    lines.append("\(entries.count) target\(entries.count == 1 ? "" : "s"): \(answered) answered")
    return lines.joined(separator: "\n") + "\n"
  }

  /// JSON: `{"schema": 1, "targets": [<rdpWire value>...]}`.
  public var json: String {
    JSONNode.object([("schema", .int(1)), ("targets", .array(entries.map(JSONNode.init)))]).rendered() + "\n"
  }
}
