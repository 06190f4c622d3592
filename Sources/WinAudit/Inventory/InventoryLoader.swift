import Foundation
import RemotePowerShell
import Yams

/// Reads an inventory file: the YAML form (hosts, groups, defaults) or the plain list form (one
/// `[user@]host[:port]` a line, `#` comments).
///
/// Every problem is a `Diagnostic` naming the file, line and column, thrown together as one `DiagnosticsError`, so the
/// command line can refuse the whole run before any host is contacted.
public enum InventoryLoader {
  /// The settings a host inherits when neither the host nor `defaults:` says otherwise.
  public struct Fallback: Sendable {
    /// The SSH user when the inventory names none (like ssh: the local user name).
    public var user: String
    public var port: Int
    public var shell: HostShell

    public init(
      user: String = ProcessInfo.processInfo.environment["USER"] ?? "Administrator", port: Int = 22,
      shell: HostShell = .cmd
    ) {
      self.user = user
      self.port = port
      self.shell = shell
    }
  }

  /// Loads the file at `path`, choosing the YAML form for `.yml`/`.yaml` files or content that looks like YAML.
  public static func load(path: String, fallback: Fallback = Fallback()) throws(DiagnosticsError) -> Inventory {
    let text = try InputFile.read(path, what: "inventory", flag: "--inventory")
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return try parse(text, file: path, folder: folder, fallback: fallback)
  }

  /// Parses inventory text; `folder` is what relative `identity` and `known_hosts` paths are resolved against.
  static func parse(_ text: String, file: String, folder: String, fallback: Fallback = Fallback())
    throws(DiagnosticsError) -> Inventory
  {
    if looksLikeYAML(text, file: file) {
      return try YAMLInventoryParser(file: file, folder: folder, fallback: fallback).parse(text)
    }
    return try PlainInventoryParser(file: file, fallback: fallback).parse(text)
  }

  static func looksLikeYAML(_ text: String, file: String) -> Bool {
    let lower = file.lowercased()
    if lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") { return true }
    let firstLine = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .first { !$0.isEmpty && !$0.hasPrefix("#") }
    guard let firstLine else { return false }
    return firstLine == "---" || ["hosts:", "defaults:", "groups:"].contains { firstLine.hasPrefix($0) }
  }

  /// Resolves `~` and paths relative to the inventory's folder.
  static func resolve(_ path: String, folder: String) -> String {
    if path.hasPrefix("~/") {
      return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(String(path.dropFirst(2))).path
    }
    if path.hasPrefix("/") { return path }
    return URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
  }
}
