/// The fleet report for a browser: one self-contained page (inline CSS and script, nothing fetched: a
/// Content-Security-Policy forbids it) with the run, the per-control summary (as the text report has it), a host x
/// control matrix coloured by status and severity, filters by severity, host status and host tag, and a drill-down
/// per finding (expected, actual, source, message, fix available, waiver, references).
///
/// Every value goes through `HTMLEscape`; the script reads only `data-` attributes and never takes host text into
/// code. The filters can be preset in the address (`report.html?severity=high&status=drift&tag=prod`).
enum HTMLReport {
  static func render(_ report: AuditReport) -> String {
    var html: [String] = []
    let summary = report.summary
    let run = report.run
    html.append("<!DOCTYPE html>")
    html.append("<html lang=\"en\">")
    html.append("<head>")
    html.append("<meta charset=\"utf-8\">")
    html.append(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        + "script-src 'unsafe-inline'; img-src data:\">")
    html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    html.append("<title>winaudit: \(e(report.playbook)), \(report.hosts.count) hosts</title>")
    html.append("<style>\(style)</style>")
    html.append("</head>")
    html.append("<body>")
    html.append("<header>")
    html.append("<h1>winaudit fleet report</h1>")
    html.append("<dl class=\"run\" id=\"run\">")
    let facts: [(String, String)] = [
      ("Playbook", report.playbook + (run.playbookDigest.map { " (sha256 \($0.prefix(12)))" } ?? "")),
      ("Run", run.id), ("Started", JSONReport.timestamp(run.start)),
      ("Duration", JUnitReport.time(run.duration) + " s"), ("Inventory", run.inventory ?? "-"),
      ("winaudit", run.winauditVersion),
    ]
    for (name, value) in facts { html.append("<div><dt>\(e(name))</dt><dd>\(e(value))</dd></div>") }
    html.append("</dl>")
    html.append(
      "<p id=\"totals\">\(summary.hosts) hosts: \(summary.compliant) compliant, \(summary.drift) drift, "
        + "\(summary.error) error (\(summary.unreachable) unreachable); controls: "
        + FindingStatus.allCases.map { "\(summary.controls[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        + "</p>")
    html.append("</header>")
    html += filters(report)
    html += controlSummary(report)
    html += matrix(report)
    html += drillDown(report)
    html.append("<script>\(script)</script>")
    html.append("</body>")
    html.append("</html>")
    return html.joined(separator: "\n") + "\n"
  }

  private static func e(_ text: String) -> String { HTMLEscape.text(text) }

  private static func filters(_ report: AuditReport) -> [String] {
    let tags = Array(Set(report.hosts.flatMap(\.tags))).sorted()
    func select(_ id: String, _ label: String, _ values: [String]) -> String {
      "<label>\(label) <select id=\"filter-\(id)\"><option value=\"\">all</option>"
        + values.map { "<option value=\"\(e($0))\">\(e($0))</option>" }.joined() + "</select></label>"
    }
    return [
      "<nav id=\"filters\">",
      select("severity", "Severity", Severity.allCases.reversed().map(\.rawValue)),
      select("status", "Host status", HostStatus.allCases.map(\.rawValue)),
      select("tag", "Tag", tags),
      "<span id=\"shown\">\(report.hosts.count) of \(report.hosts.count) hosts shown</span>",
      "</nav>",
    ]
  }

  /// One row per control that drifts, errs or is waived somewhere: most severe first, then by how many hosts.
  private static func controlSummary(_ report: AuditReport) -> [String] {
    struct Row {
      var control: ReportControl
      var hosts: [FindingStatus: [String]] = [:]
      var total: Int { hosts.values.map(\.count).reduce(0, +) }
    }
    var rows: [Row] = report.controls.map { Row(control: $0) }
    let index = Dictionary(report.controls.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    for host in report.hosts {
      for finding in host.findings where [.drift, .error, .waived].contains(finding.status) {
        guard let at = index[finding.controlID] else { continue }
        rows[at].hosts[finding.status, default: []].append(host.name)
      }
    }
    let sorted = rows.filter { $0.total > 0 }.sorted {
      if $0.control.severity != $1.control.severity { return $0.control.severity > $1.control.severity }
      return $0.total != $1.total ? $0.total > $1.total : $0.control.id < $1.control.id
    }
    var html = [
      "<h2>Controls not passing</h2>",
      "<table id=\"controls\">",
      "<thead><tr><th>Severity</th><th>Control</th><th>Drift</th><th>Error</th><th>Waived</th><th>Hosts</th></tr>"
        + "</thead>",
      "<tbody>",
    ]
    for row in sorted {
      let names = (row.hosts[.drift] ?? []) + (row.hosts[.error] ?? []) + (row.hosts[.waived] ?? [])
      let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", +\(names.count - 3) more" : "")
      let severity = row.control.severity.rawValue
      html.append(
        "<tr class=\"control-row\" data-severity=\"\(severity)\"><td class=\"sev sev-\(severity)\">\(severity)</td>"
          + "<td title=\"\(e(row.control.title))\">\(e(row.control.id))</td>"
          + "<td class=\"num\">\(row.hosts[.drift]?.count ?? 0)</td><td class=\"num\">\(row.hosts[.error]?.count ?? 0)"
          + "</td><td class=\"num\">\(row.hosts[.waived]?.count ?? 0)</td><td>\(e(shown))</td></tr>")
    }
    html.append("</tbody>")
    html.append("</table>")
    if sorted.isEmpty { html.append("<p class=\"none\">Every judged control passes on every host.</p>") }
    return html
  }

  private static let symbols: [FindingStatus: String] = [
    .pass: "\u{2713}", .drift: "\u{2717}", .error: "!", .skipped: "\u{2013}", .waived: "W",
  ]

  private static func matrix(_ report: AuditReport) -> [String] {
    var html = [
      "<h2>Hosts \u{00D7} controls</h2>",
      "<div class=\"scroll\"><table id=\"matrix\">",
      "<thead><tr><th>Host</th><th>Status</th>"
        + report.controls.map { control in
          "<th class=\"control sev-\(control.severity.rawValue)\" data-severity=\"\(control.severity.rawValue)\" "
            + "title=\"\(e("[\(control.severity.rawValue)] \(control.id): \(control.title)"))\"><span>"
            + e(control.id) + "</span></th>"
        }.joined() + "</tr></thead>",
      "<tbody>",
    ]
    for (hostIndex, host) in report.hosts.enumerated() {
      let findings = Dictionary(host.findings.map { ($0.controlID, $0) }, uniquingKeysWith: { first, _ in first })
      var row =
        "<tr class=\"host\" data-status=\"\(host.status.rawValue)\" data-tags=\"\(e(host.tags.joined(separator: " ")))\">"
        + "<th><a href=\"#h-\(hostIndex)\">\(e(host.name))</a></th>"
        + "<td class=\"hs hs-\(host.status.rawValue)\">\(host.status.rawValue)"
        + (host.outsideOnly ? " (outside)" : "") + "</td>"
      for (controlIndex, control) in report.controls.enumerated() {
        let severity = control.severity.rawValue
        guard let finding = findings[control.id] else {
          row +=
            "<td class=\"cell st-none\" data-severity=\"\(severity)\" data-status=\"none\" title=\"not judged\">"
            + "\u{00B7}</td>"
          continue
        }
        let status = finding.status.rawValue
        let symbol = symbols[finding.status] ?? "?"
        let title = e("\(host.name) \u{00B7} \(control.id): \(status)")
        let content =
          finding.status == .pass ? symbol : "<a href=\"#f-\(hostIndex)-\(controlIndex)\">\(symbol)</a>"
        row +=
          "<td class=\"cell st-\(status) sev-\(severity)\" data-severity=\"\(severity)\" data-status=\"\(status)\" "
          + "title=\"\(title)\">\(content)</td>"
      }
      html.append(row + "</tr>")
    }
    html.append("</tbody>")
    html.append("</table></div>")
    html.append(
      "<p class=\"legend\">"
        + [
          ("pass", "\u{2713} pass"), ("drift", "\u{2717} drift"), ("error", "! error"), ("waived", "W waived"),
          ("skipped", "\u{2013} skipped"), ("none", "\u{00B7} not judged"),
        ].map { "<span class=\"cell st-\($0.0)\">\($0.1)</span>" }.joined(separator: " ") + "</p>")
    return html
  }

  private static func drillDown(_ report: AuditReport) -> [String] {
    var html = ["<h2>Findings</h2>", "<div id=\"findings\">"]
    let controls = Dictionary(
      report.controls.enumerated().map { ($1.id, ($0, $1)) }, uniquingKeysWith: { first, _ in first })
    for (hostIndex, host) in report.hosts.enumerated() {
      let facts = host.hostFacts
      html.append(
        "<section class=\"host-findings\" id=\"h-\(hostIndex)\" data-status=\"\(host.status.rawValue)\" "
          + "data-tags=\"\(e(host.tags.joined(separator: " ")))\">")
      html.append(
        "<h3>\(e(host.name)) <small>\(e(host.address))</small> "
          + "<span class=\"hs hs-\(host.status.rawValue)\">\(host.status.rawValue)</span></h3>")
      var about: [String] = []
      if let caption = facts?.caption { about.append(caption) }
      if let build = facts?.build { about.append("build \(build)") }
      if let version = facts?.powershellVersion { about.append("PowerShell \(version)") }
      if let judged = host.judgedFrom { about.append("judged from \(judged)") }
      if let duration = host.duration { about.append(JUnitReport.time(duration) + " s") }
      if !about.isEmpty { html.append("<p class=\"about\">\(e(about.joined(separator: " \u{00B7} ")))</p>") }
      if let error = host.error, host.findings.isEmpty || host.outsideOnly || host.status == .error {
        html.append("<p class=\"host-error\">\(HTMLEscape.lines(error))</p>")
      }
      for finding in host.findings where finding.status != .pass {
        guard let entry = controls[finding.controlID] else { continue }
        let (controlIndex, control) = entry
        html += details(finding, control: control, id: "f-\(hostIndex)-\(controlIndex)", report: report)
      }
      html.append("</section>")
    }
    html.append("</div>")
    return html
  }

  private static func details(_ finding: Finding, control: ReportControl, id: String, report: AuditReport)
    -> [String]
  {
    let severity = finding.severity.rawValue
    let status = finding.status.rawValue
    var rows: [(String, String)] = [
      ("Expected", e(finding.expected ?? "-")), ("Actual", e(finding.actual ?? "-")),
      ("Source", e(finding.source?.rawValue ?? "-")),
    ]
    if let message = finding.message { rows.append(("Message", HTMLEscape.lines(message))) }
    rows.append(
      ("Fix available", report.fixableControls.contains(finding.controlID) ? "yes (winaudit fix)" : "no"))
    if let waiver = finding.waiver {
      rows.append(
        (
          waiver.expired ? "Waiver (expired)" : "Waiver",
          e(
            "\(waiver.justification) \u{2014} approved by \(waiver.approver), until \(waiver.expires) (\(waiver.source))"
          )
        ))
    }
    if !control.references.isEmpty {
      rows.append(
        (
          "References",
          "<ul>"
            + control.references.map { reference in
              reference.hasPrefix("https://") || reference.hasPrefix("http://")
                ? "<li><a href=\"\(e(reference))\" rel=\"noreferrer\">\(e(reference))</a></li>"
                : "<li>\(e(reference))</li>"
            }.joined() + "</ul>"
        ))
    }
    return [
      "<details class=\"finding\" id=\"\(id)\" data-severity=\"\(severity)\" data-status=\"\(status)\">",
      "<summary><span class=\"cell st-\(status)\">\(status)</span> <span class=\"sev sev-\(severity)\">\(severity)"
        + "</span> \(e(finding.controlID)): \(e(finding.title))</summary>",
      "<dl>" + rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>",
      "</details>",
    ]
  }

  private static let style = """
    body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}
    h1{font-size:1.5em;margin:0 0 .4em}h2{font-size:1.2em;margin:1.4em 0 .5em}h3{font-size:1.05em;margin:.8em 0 .3em}
    .run{display:flex;flex-wrap:wrap;gap:.3em 1.5em;margin:0}.run div{display:flex;gap:.4em}.run dt{color:#666}
    .run dd{margin:0;font-family:ui-monospace,monospace}
    #filters{position:sticky;top:0;background:#f4f4f4;padding:.5em;display:flex;gap:1.2em;align-items:center;z-index:2}
    table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:2px 6px;text-align:left}
    .num{text-align:right}.scroll{overflow:auto;max-height:80vh}
    #matrix th.control{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:normal}
    #matrix td.cell{text-align:center;min-width:1.4em}#matrix td.cell a{color:inherit;text-decoration:none;display:block}
    .sev-critical{border-top:3px solid #7f0000}.sev-high{border-top:3px solid #d32f2f}
    .sev-medium{border-top:3px solid #f57c00}.sev-low{border-top:3px solid #fbc02d}
    td.sev{border-top:1px solid #ddd;color:#fff;font-weight:bold}td.sev.sev-critical,span.sev-critical{background:#7f0000}
    td.sev.sev-high,span.sev-high{background:#d32f2f}td.sev.sev-medium,span.sev-medium{background:#f57c00}
    td.sev.sev-low,span.sev-low{background:#fbc02d;color:#000}span.sev{color:#fff;padding:0 .4em;border-radius:3px}
    .st-pass{background:#e3f4e4;color:#1b5e20}.st-drift{background:#ffcdd2;color:#b71c1c;font-weight:bold}
    .st-drift.sev-critical{background:#b71c1c;color:#fff}.st-drift.sev-high{background:#e57373;color:#fff}
    .st-error{background:#e1bee7;color:#4a148c;font-weight:bold}.st-waived{background:#cfd8dc;color:#263238}
    .st-skipped{background:#fafafa;color:#999}.st-none{background:#eee;color:#aaa}
    span.cell{padding:0 .4em;border-radius:3px}
    .hs-compliant{color:#1b5e20}.hs-drift{color:#b71c1c}.hs-error,.hs-unreachable{color:#4a148c;font-weight:bold}
    details.finding{margin:.2em 0 .2em 1em}details.finding dl{display:grid;grid-template-columns:10em 1fr;margin:.3em 0}
    details.finding dd{margin:0;font-family:ui-monospace,monospace;overflow-wrap:anywhere}
    .host-error{color:#4a148c;font-family:ui-monospace,monospace;overflow-wrap:anywhere}.about{color:#555;margin:0}
    .off{display:none!important}
    """

  /// Filters and the drill-down; reads `data-` attributes only.
  private static let script = """
    (function () {
      "use strict";
      var ids = ["severity", "status", "tag"];
      var select = {};
      var params = new URLSearchParams(window.location.search);
      ids.forEach(function (id) {
        select[id] = document.getElementById("filter-" + id);
        var preset = params.get(id);
        if (preset !== null) { select[id].value = preset; }
        select[id].addEventListener("change", apply);
      });
      function hostShown(element) {
        var status = select.status.value, tag = select.tag.value;
        var tags = (element.getAttribute("data-tags") || "").split(" ");
        return (!status || element.getAttribute("data-status") === status) && (!tag || tags.indexOf(tag) >= 0);
      }
      function apply() {
        var severity = select.severity.value;
        document.querySelectorAll("[data-severity]").forEach(function (element) {
          element.classList.toggle("off", !!severity && element.getAttribute("data-severity") !== severity);
        });
        var rows = document.querySelectorAll("#matrix tr.host"), shown = 0;
        rows.forEach(function (row) {
          var on = hostShown(row);
          row.classList.toggle("off", !on);
          if (on) { shown += 1; }
        });
        document.querySelectorAll("section.host-findings").forEach(function (section) {
          section.classList.toggle("off", !hostShown(section));
        });
        document.getElementById("shown").textContent = shown + " of " + rows.length + " hosts shown";
      }
      function openTarget() {
        var id = window.location.hash.slice(1);
        var target = id ? document.getElementById(id) : null;
        if (target && target.tagName === "DETAILS") { target.open = true; }
      }
      window.addEventListener("hashchange", openTarget);
      apply();
      openTarget();
      document.body.setAttribute("data-ready", "1");
    })();
    """
}
