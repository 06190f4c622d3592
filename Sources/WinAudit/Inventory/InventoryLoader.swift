import Foundation
import RemotePowerShell
import Yams

/// Reads an inventory in any of the `InventoryFormat`s: winaudit's YAML (hosts, groups, defaults), an Ansible INI or
/// YAML inventory, a CSV with a header row, or the plain list (one `[user@]host[:port]` a line, `#` comments).
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
    /// True when `user` was given (`--user`), so it wins over ssh_config; false when it is the local user name.
    public var userIsExplicit = false

    public init(
      user: String = ProcessInfo.processInfo.environment["USER"] ?? "Administrator", port: Int = 22,
      shell: HostShell = .cmd
    ) {
      self.user = user
      self.port = port
      self.shell = shell
    }

    /// What a host that sets neither port nor user leaves to ssh_config.
    var defaulted: Set<InventoryDefault> { userIsExplicit ? [.port] : [.port, .user] }
  }

  /// The name `--inventory -` is read from standard input by.
  public static let standardInput = "-"
  /// The most an inventory read from standard input may hold.
  static let standardInputLimit = 16 << 20

  /// Loads the file at `path` (`-`: standard input) in `format`; `auto` decides from the name and content.
  public static func load(path: String, format: InventoryFormat = .auto, fallback: Fallback = Fallback())
    throws(DiagnosticsError) -> Inventory
  {
    if path == standardInput {
      let text = try readStandardInput()
      return try parse(
        text, file: "<stdin>", folder: FileManager.default.currentDirectoryPath, format: format, fallback: fallback)
    }
    let text = try InputFile.read(path, what: "inventory", flag: "--inventory")
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return try parse(text, file: path, folder: folder, format: format, fallback: fallback)
  }

  /// Parses inventory text; `folder` is what relative `identity` and `known_hosts` paths are resolved against.
  static func parse(
    _ text: String, file: String, folder: String, format: InventoryFormat = .auto, fallback: Fallback = Fallback()
  ) throws(DiagnosticsError) -> Inventory {
    if text.contains("\u{0}") {
      throw DiagnosticsError([
        Diagnostic(
          file: file, line: lineOf(text, text.firstIndex(of: "\u{0}")!), column: 1,
          message: "the inventory holds a NUL byte: it is not a text file")
      ])
    }
    let (chosen, composed) = format == .auto ? InventoryFormat.detectComposing(text, file: file) : (format, nil)
    switch chosen {
    case .auto, .winaudit:
      return try YAMLInventoryParser(file: file, folder: folder, fallback: fallback).parse(text, composed: composed)
    case .ansibleINI:
      return try AnsibleINIInventoryParser(file: file, folder: folder, fallback: fallback).parse(text)
    case .ansibleYAML:
      return try AnsibleYAMLInventoryParser(file: file, folder: folder, fallback: fallback)
        .parse(text, composed: composed)
    case .csv: return try CSVInventoryParser(file: file, folder: folder, fallback: fallback).parse(text)
    case .list: return try PlainInventoryParser(file: file, fallback: fallback).parse(text)
    }
  }

  private static func lineOf(_ text: String, _ index: String.Index) -> Int {
    text[..<index].filter(\.isNewline).count + 1
  }

  /// Standard input as UTF-8 text, at most `standardInputLimit` bytes.
  private static func readStandardInput() throws(DiagnosticsError) -> String {
    var data = Data()
    while data.count <= standardInputLimit,
      let chunk = try? FileHandle.standardInput.read(upToCount: 1 << 16), !chunk.isEmpty
    {
      data.append(chunk)
    }
    func refuse(_ message: String) -> DiagnosticsError {
      DiagnosticsError([Diagnostic(file: "<stdin>", line: 0, column: 0, message: message)])
    }
    if data.count > standardInputLimit {
      throw refuse("the inventory on standard input is larger than \(standardInputLimit >> 20) MiB")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw refuse("the inventory on standard input is not UTF-8 text")
    }
    if text.isEmpty { throw refuse("standard input is empty: --inventory - reads the inventory from it") }
    return text
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
