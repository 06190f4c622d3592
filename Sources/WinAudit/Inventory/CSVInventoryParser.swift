import Foundation
import RemotePowerShell
import SSHClient
import SwiftCSV

/// A CSV inventory: a header row naming the columns (name, address, port, user, tags, shell, rdp_port, identity,
/// known_hosts; only name is required), then one host a row. Tags are separated by `;`; an empty cell means the
/// default. The CSV grammar itself (quotes, commas and newlines inside quotes) is SwiftCSV's.
struct CSVInventoryParser {
  let file: String
  let folder: String
  let fallback: InventoryLoader.Fallback

  static let columns = [
    "name", "address", "port", "user", "tags", "shell", "rdp_port", "identity", "known_hosts", "jump",
  ]

  /// A first line that names columns of ours, `name` among them.
  static func looksLikeHeader<S: StringProtocol>(_ line: S) -> Bool {
    let names = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    return names.contains("name") && names.allSatisfy { columns.contains(String($0)) }
  }

  func parse(_ text: String) throws(DiagnosticsError) -> Inventory {
    var diagnostics: [Diagnostic] = []
    func report(_ message: String, line: Int, column: Int = 1) {
      diagnostics.append(Diagnostic(file: file, line: line, column: column, message: message))
    }
    // Rows with the line each starts on: a row spans one line plus the line breaks inside its quoted fields.
    var rows: [(line: Int, fields: [String])] = []
    var nextLine = 1
    do {
      // rowLimit 0: the initializer reads only the header; the rows are read once, below, with their lines.
      let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
      try csv.enumerateAsArray(startAt: 0, rowLimit: nil) { fields in
        rows.append((nextLine, fields))
        nextLine += 1 + fields.reduce(0) { $0 + $1.filter(\.isNewline).count }
      }
    } catch {
      let detail: String
      switch error as? CSVParseError {
      case .quotation(let message)?, .generic(let message)?: detail = message
      case nil: detail = "\(error)"
      }
      report(
        "cannot read the CSV (\(detail)): a field holding a quote is quoted whole, its quotes doubled (\"\")",
        line: nextLine)
      throw DiagnosticsError(diagnostics)
    }
    // SwiftCSV reads an unclosed quote to the end of the file; a well-formed file has its quotes in pairs.
    if text.filter({ $0 == "\"" }).count % 2 == 1 {
      report("a quote opened in this row is never closed", line: rows.last?.line ?? 1)
      throw DiagnosticsError(diagnostics)
    }
    rows.removeAll { $0.fields.allSatisfy { $0.allSatisfy(\.isWhitespace) } }
    guard let header = rows.first else {
      report("the CSV is empty: write a header row (name,address,port,user,tags,...) and one host a row", line: 1)
      throw DiagnosticsError(diagnostics)
    }
    var index: [String: Int] = [:]
    for (position, raw) in header.fields.enumerated() {
      let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
      if !Self.columns.contains(String(name)) {
        report(
          "unknown column '\(raw)' in the header row; columns are \(Self.columns.joined(separator: ", "))",
          line: header.line)
      } else if index[String(name)] != nil {
        report("column '\(name)' appears twice in the header row", line: header.line)
      } else {
        index[String(name)] = position
      }
    }
    if index["name"] == nil {
      report("the header row has no 'name' column: the first row must name the columns", line: header.line)
    }
    guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics) }

    var hosts: [InventoryHost] = []
    var firstLine: [String: Int] = [:]
    for row in rows.dropFirst() {
      if row.fields.count > header.fields.count {
        report("this row has \(row.fields.count) fields, the header \(header.fields.count)", line: row.line)
        continue
      }
      func cell(_ column: String) -> String? {
        guard let position = index[column], position < row.fields.count else { return nil }
        let value = row.fields[position].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
      }
      var valid = true
      func fail(_ message: String) {
        report(message, line: row.line)
        valid = false
      }
      func word(_ column: String) -> String? {
        guard let value = cell(column) else { return nil }
        if value.contains(where: { $0.isWhitespace || $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) }) {
          fail("\(column) '\(value)' cannot contain spaces, line breaks or control characters")
          return nil
        }
        return value
      }
      func number(_ column: String) -> Int? {
        guard let value = cell(column) else { return nil }
        guard let number = Int(value), (1...65535).contains(number) else {
          fail("\(column) '\(value)' must be a number from 1 to 65535")
          return nil
        }
        return number
      }
      guard let name = word("name") else {
        if valid { fail("the name is empty: every row needs a host name") }
        continue
      }
      var host = InventoryHost(
        name: name, address: name, port: fallback.port, user: fallback.user, shell: fallback.shell,
        defaulted: fallback.defaulted)
      if let address = word("address") { host.address = address }
      if let port = number("port") {
        host.port = port
        host.defaulted?.remove(.port)
      }
      if let user = word("user") {
        host.user = user
        host.defaulted?.remove(.user)
      }
      if let jump = word("jump") {
        if SSHJumpHost(parsing: jump) == nil {
          fail("jump must be one jump host '[user@]host[:port]', found '\(jump)'")
        } else {
          host.jump = jump
        }
      }
      if let path = cell("identity") { host.identity = InventoryLoader.resolve(path, folder: folder) }
      if let path = cell("known_hosts") { host.knownHosts = InventoryLoader.resolve(path, folder: folder) }
      if let shell = cell("shell") {
        if let value = HostShell(rawValue: shell.lowercased()) {
          host.shell = value
        } else {
          fail("shell must be 'cmd' or 'powershell' (the host's OpenSSH DefaultShell), found '\(shell)'")
        }
      }
      if let tags = cell("tags") {
        host.tags = tags.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      }
      if let port = number("rdp_port") { host.rdpPort = port }
      guard valid else { continue }
      if let first = firstLine[name.lowercased()] {
        report("duplicate host '\(name)' (first on line \(first)): list each host once", line: row.line)
        continue
      }
      firstLine[name.lowercased()] = row.line
      hosts.append(host)
    }
    if hosts.isEmpty && diagnostics.isEmpty {
      report("the CSV lists no host: add one row per host under the header", line: header.line)
    }
    guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics) }
    return Inventory(file: file, hosts: hosts)
  }
}
