import Foundation
import Testing

@testable import WinAudit

/// The HTML fleet report: everything from a host escaped, nothing fetched, and the page's DOM as headless Chromium
/// renders it after its script ran.
@Suite("HTML report")
struct HTMLReportTests {
  /// What a hostile host can put in its values: markup, a script, quotes that try to leave an attribute, terminal
  /// escapes, U+2028 / U+2029, a bidirectional override.
  static let hostileText =
    "</td><script>alert('x')</script>\"><img src=x onerror=alert(1)>\u{1B}[2J\u{2028}line\u{2029}\u{202E}evil`"

  static var hostile: AuditReport {
    let finding = Finding(
      controlID: "nla-required", title: "Network Level Authentication is required", severity: .high, status: .drift,
      expected: "1", actual: hostileText, source: .local, message: hostileText)
    var broken = HostAudit(name: "broken", address: "10.0.0.2", status: .error, error: hostileText + "\nsecond line")
    broken.tags = ["lab"]
    var drifting = HostAudit(name: "hostile-values", address: "10.0.0.1", status: .drift, findings: [finding])
    drifting.tags = ["lab", "prod"]
    return AuditReport(
      playbook: "rdp-baseline", hosts: [drifting, broken],
      controls: [
        ReportControl(
          id: "nla-required", title: "Network Level Authentication is required", severity: .high,
          references: ["https://learn.microsoft.com/x\"onclick=\"alert(1)", "KB <b>1</b>"])
      ])
  }

  @Test func everythingFromAHostIsEscaped() {
    let html = ReportFormat.html.render(Self.hostile)
    // The page's own script is the only one, and no value opened an element or an attribute.
    #expect(html.components(separatedBy: "<script").count == 2)
    #expect(!html.contains("<img"))
    #expect(!html.contains("onerror=alert(1)>"))
    #expect(!html.contains("\"onclick=\""))
    #expect(!html.contains("<b>1</b>"))
    #expect(html.contains("&lt;/td&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x"))
    // Separators and controls are visible and inert, as on a terminal.
    let unsafe = html.unicodeScalars.filter { SafeText.isUnsafe($0) && $0 != "\n" }
    #expect(unsafe.isEmpty, "\(unsafe.map(\.value))")
    #expect(html.contains(#"\u{1B}[2J\u{2028}line\u{2029}\u{202E}evil&#96;"#))
    #expect(html.contains("second line"))
    // Nothing is fetched: no external URL is loaded by the page (references are links, not resources).
    for loader in ["src=\"http", "href=\"//", "@import", "url(http", "<link"] {
      #expect(!html.contains(loader), "\(loader)")
    }
    #expect(html.contains("default-src 'none'"))
  }

  static let artifacts = References.packageRoot.appendingPathComponent(".build/artifacts/html-report")

  /// The sample fleet's page in headless Chromium: after its script ran, the DOM has a row per host and a cell per
  /// host and control, the filters preset from the address hide what they should, and a screenshot is kept under
  /// .build/artifacts/html-report. Chromium comes from `make test` (Debian's `chromium`); without it this fails and
  /// says so, never passes silently.
  @Test(.timeLimit(.minutes(10))) func rendersInHeadlessChromium() async throws {
    guard let chromium = Chromium.find() else {
      Issue.record(
        Comment(
          rawValue: "headless Chromium is not installed, so the HTML report could not be rendered: run `make test` "
            + "(it installs Debian's chromium) or `apt-get install chromium`"))
      return
    }
    let (report, _) = await SampleFleet.report()
    try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
    let page = Self.artifacts.appendingPathComponent("report.html")
    try ReportFormat.html.render(report).write(to: page, atomically: true, encoding: .utf8)

    let dom = try chromium.dumpDOM(page.absoluteString)
    #expect(dom.contains("data-ready=\"1\""), "the page's script did not run:\n\(dom.prefix(2000))")
    let controls = report.controls.count
    #expect(controls > 40)
    #expect(Self.count("<tr class=\"host", in: dom) == report.hosts.count)
    #expect(Self.count("<td class=\"cell st-", in: dom) == report.hosts.count * controls)
    #expect(Self.count("<th class=\"control sev-", in: dom) == controls)
    #expect(Self.count("<tr class=\"control-row", in: dom) == 8)  // as many as the text report's control summary
    #expect(
      Self.count("<details class=\"finding", in: dom)
        == report.hosts.flatMap(\.findings).filter { $0.status != .pass }.count)
    #expect(dom.contains("6 of 6 hosts shown"))

    let filtered = try chromium.dumpDOM(page.absoluteString + "?status=drift&severity=critical")
    #expect(filtered.contains("2 of 6 hosts shown"), "\(filtered.prefix(2000))")
    #expect(Self.count("<tr class=\"host off", in: filtered) == 4)
    let critical = report.controls.filter { $0.severity == .critical }.count
    #expect(Self.count("<th class=\"control sev-critical\"", in: filtered) == critical)
    #expect(Self.count("<th class=\"control sev-high off\"", in: filtered) > 0)
    #expect(try chromium.dumpDOM(page.absoluteString + "?tag=lab").contains("3 of 6 hosts shown"))

    let screenshot = Self.artifacts.appendingPathComponent("report.png")
    try? FileManager.default.removeItem(at: screenshot)
    try chromium.screenshot(page.absoluteString, to: screenshot)
    let size = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
    #expect(size > 10_000, "no screenshot at \(screenshot.path)")
  }

  static func count(_ needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
  }
}

/// Debian's headless Chromium, run with a profile of its own per call (parallel tests never share one).
struct Chromium {
  let binary: String

  static func find() -> Chromium? {
    for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    where FileManager.default.isExecutableFile(atPath: path) {
      return Chromium(binary: path)
    }
    return nil
  }

  func dumpDOM(_ url: String) throws -> String {
    try run(["--dump-dom", url])
  }

  func screenshot(_ url: String, to file: URL) throws {
    _ = try run(["--screenshot=\(file.path)", "--window-size=1600,1000", "--hide-scrollbars", url])
  }

  /// Runs Chromium to completion (it exits after a dump or a screenshot) with generous time on a loaded machine.
  private func run(_ arguments: [String]) throws -> String {
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-chromium-\(UUID())")
    defer { try? FileManager.default.removeItem(at: profile) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    // No sandbox: tests may run as root in a container; the page is our own file, offline.
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-extensions", "--disable-background-networking", "--user-data-dir=\(profile.path)",
        "--virtual-time-budget=5000",
      ] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // A hung browser fails the test instead of hanging the suite; three minutes is ample even on a loaded machine.
    let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + 180, execute: watchdog)
    defer { watchdog.cancel() }
    let box = ChromiumOutput()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { box.set(errors.fileHandleForReading.readDataToEndOfFile()) }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ChromiumFailed(
        description: "chromium exited \(process.terminationStatus): \(String(decoding: box.get(), as: UTF8.self))")
    }
    return String(decoding: out, as: UTF8.self)
  }
}

struct ChromiumFailed: Error, CustomStringConvertible {
  var description: String
}

final class ChromiumOutput: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  func set(_ value: Data) { lock.withLock { data = value } }
  func get() -> Data { lock.withLock { data } }
}
