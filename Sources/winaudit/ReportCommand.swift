import ArgumentParser
import Foundation
import WinAudit

/// `winaudit report merge A.json B.json ...`: joins the JSON reports of a sharded audit (`audit --shard K/N`) into
/// one fleet report, in any format audit writes, with the exit code the unsharded audit would have had.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Work with written reports.", subcommands: [Merge.self])

  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Merge the JSON reports (schema 2) of audit --shard K/N runs into one report.",
      discussion: """
        Refuses (exit 2, naming the file) reports that are not readable schema 2 JSON, of different playbooks, \
        with a host in two reports, or the same shard twice. Hosts keep inventory order; the summary is recomputed. \
        Exit codes as for audit: 0 compliant, 1 drift, 4 a host could not be audited (130 if one was interrupted).
        """)

    @Argument(help: ArgumentHelp("The shards' JSON reports.", valueName: "report.json"))
    var files: [String]

    @OptionGroup var reports: ReportOptions

    func run() throws {
      guard !files.isEmpty else { throw UsageError("report merge: give the JSON reports to merge") }
      let outputs = try reports.outputs()
      let merged: ReportMerge.Merged
      do {
        merged = try ReportMerge.merge(paths: files)
      } catch {
        throw UsageError("report merge: \(error)")
      }
      for warning in merged.warnings {
        FileHandle.standardError.write(Data("winaudit: warning: \(warning)\n".utf8))
      }
      let written = reports.write(merged.report, to: outputs)
      throw ExitCode(written ? ExitStatus.of(merged.report) : ExitStatus.failed)
    }
  }
}
