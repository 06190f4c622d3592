import ArgumentParser
import Foundation
import WinAudit

/// `winaudit capture`: saves what one host answers to the collector's queries, anonymised, so the lab can be taught to
/// answer the same way (`winlab import`). Connects exactly like `audit`.
struct CaptureCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "capture", abstract: "Save one host's raw answers to the audit's queries (read-only, anonymised).",
    discussion: """
      Writes DIR/capture.json and DIR/README.txt. Nothing on the host is changed. Computer name, user names, \
      addresses, certificate thumbprints and the MachineGuid are replaced by placeholders before anything is written.
      """)

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Inventory: winaudit YAML, Ansible INI or YAML, CSV, or one [user@]host[:port] a line; - reads stdin.",
      valueName: "file"))
  var inventory: String

  @Option(name: .long, help: ArgumentHelp("The one host to capture (name, tag or group glob).", valueName: "host"))
  var limit: String

  @Option(name: .long, help: ArgumentHelp("Folder to write capture.json and README.txt into.", valueName: "dir"))
  var output: String

  @OptionGroup var playbook: PlaybookOption

  @OptionGroup var connection: ConnectionOptions

  func run() async throws {
    let playbook = try playbook.load()
    let hosts = try connection.hosts(inventory: inventory, limit: limit)
    guard hosts.count == 1, let host = hosts.first else {
      throw UsageError(
        "--limit \(limit) selects \(hosts.count) hosts (\(hosts.map(\.name).joined(separator: ", "))): a capture is "
          + "of one host")
    }
    let capturer = Capturer(connector: connection.connector(), playbook: playbook)
    do {
      let result = try await capturer.capture(host)
      let folder = URL(fileURLWithPath: ConnectionOptions.absolute(output))
      try Capturer.write(result, playbook: playbook.name, to: folder)
      print("wrote \(folder.appendingPathComponent("capture.json").path)")
      for failure in result.failedQueries {
        FileHandle.standardError.write(Data("winaudit: warning: query failed on the host: \(failure)\n".utf8))
      }
    } catch {
      FileHandle.standardError.write(Data("winaudit: \(error.message)\n".utf8))
      throw ExitCode(ExitStatus.failed)
    }
  }
}
