import ArgumentParser
import Foundation
import WinAudit

/// Which reports to write and where, shared by `audit` and `report merge`: `--report FORMAT[:FILE]` (repeatable), or
/// `--format` with `--output`; every file is checked before anything else happens (exit 2), and written through
/// `ReportFile` (a temporary file renamed over the target).
struct ReportOptions: ParsableArguments {
  @Option(name: .long, help: "Report format: text, json, junit, html or csv.")
  var format: ReportFormat = .text

  @Option(
    name: .long,
    help: ArgumentHelp(
      "JSON report schema: 2 (default) or 1, the old shape, for consumers still moving to 2.", valueName: "1|2"))
  var jsonSchema: Int = 2

  @Option(name: .long, help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "file"))
  var output: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Text report: list only the hosts that are not compliant (problems, the default) or every host (all).",
      valueName: "problems|all"))
  var show: HostListing = .problems

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A report to write, repeatable: FORMAT (stdout) or FORMAT:FILE, FORMAT one of text, json, junit, html, csv. "
        + "Every file is checked before any host is contacted.", valueName: "format[:file]"))
  var report: [String] = []

  @Option(
    name: .long,
    help: "Colour the text report on stdout: auto (a terminal, unless NO_COLOR or TERM=dumb), always or never.")
  var color: ColorChoice = .auto

  /// One report to write: its format, and its checked file (nil: stdout).
  struct Output {
    var format: ReportFormat
    var file: ReportFile?
  }

  /// The reports to write: `--report` entries, else `--format` / `--output`; each file checked now (exit 2).
  func outputs() throws -> [Output] {
    func fail(_ message: String) -> ExitCode {
      FileHandle.standardError.write(Data("winaudit: \(message)\n".utf8))
      return ExitCode(ExitStatus.usage)
    }
    guard jsonSchema == 1 || jsonSchema == 2 else {
      throw fail("--json-schema \(jsonSchema): use 2 (the default) or 1")
    }
    func checked(_ path: String, _ option: String) throws -> ReportFile {
      do {
        return try ReportFile(checking: path)
      } catch {
        throw fail("\(option): \(error)")
      }
    }
    guard !report.isEmpty else { return [Output(format: format, file: try output.map { try checked($0, "--output") })] }
    if output != nil { throw fail("--report and --output do not go together: write --report FORMAT:FILE") }
    var outputs: [Output] = []
    var paths: Set<String> = []
    for entry in report {
      let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
      guard let name = parts.first, let format = ReportFormat(rawValue: name) else {
        throw fail(
          "--report \(entry): unknown format '\(parts.first ?? "")'; use "
            + ReportFormat.allCases.map(\.rawValue).joined(separator: ", ") + ", optionally with :FILE")
      }
      guard parts.count == 2 else {
        outputs.append(Output(format: format, file: nil))
        continue
      }
      guard !parts[1].isEmpty, paths.insert(parts[1]).inserted else {
        throw fail("--report \(entry): give each report its own file")
      }
      outputs.append(Output(format: format, file: try checked(parts[1], "--report \(entry)")))
    }
    if outputs.filter({ $0.file == nil }).count > 1 {
      throw fail("only one --report can go to stdout; give the others a file (FORMAT:FILE)")
    }
    return outputs
  }

  /// Writes `report` to every output; a file that cannot be written is reported on stderr and the others are still
  /// written. Returns whether every write succeeded.
  func write(_ report: AuditReport, to outputs: [Output]) -> Bool {
    var succeeded = true
    for output in outputs {
      let color =
        output.file == nil
        && Terminal.colors(self.color, FileHandle.standardOutput, environment: ProcessInfo.processInfo.environment)
      guard let file = output.file else {
        output.format.write(report, color: color, showAll: show == .all, jsonSchema: jsonSchema) {
          print($0, terminator: "")
        }
        continue
      }
      do {
        try file.write { (emit: (String) throws(ReportFile.Problem) -> Void) throws(ReportFile.Problem) in
          try output.format.write(report, color: color, showAll: show == .all, jsonSchema: jsonSchema, to: emit)
        }
      } catch {
        FileHandle.standardError.write(Data("winaudit: \(error)\n".utf8))
        succeeded = false
      }
    }
    return succeeded
  }
}

extension ReportFormat: ExpressibleByArgument {}

/// Which hosts the text report's host table lists.
enum HostListing: String, ExpressibleByArgument {
  case problems
  case all
}
