import ArgumentParser
import Foundation
import WinAudit

/// Where the audit history lives (`--history FILE`, default `$XDG_STATE_HOME/winaudit/history.sqlite`) and whether an
/// audit records into it (`--no-history`).
struct HistoryOption: ParsableArguments {
  @Option(
    name: .customLong("history"),
    help: ArgumentHelp(
      "History database (default $XDG_STATE_HOME/winaudit/history.sqlite or ~/.local/state/winaudit/history.sqlite).",
      valueName: "file"))
  var file: String?

  var path: String { file.map(ConnectionOptions.absolute) ?? HistoryStore.defaultPath() }

  /// Opens the history; a file that is not a usable history is bad input (exit 2), reported before any host is
  /// contacted and left untouched.
  func open() throws -> HistoryStore {
    do {
      return try HistoryStore(path: path)
    } catch {
      throw UsageError(error.message)
    }
  }
}
