import Foundation

/// Renders output objects and error records as text, the way powershell.exe prints them to a redirected stdout/stderr.
public enum PSFormatter {
  /// Output objects as Out-Default prints them (strings and numbers one per line, bools as True/False, objects as a
  /// table or list), with `newline` line terminators.
  public static func format(_ values: [PSValue], newline: String = "\r\n") -> String {
    OutputFormatter(newline: newline).format(values)
  }

  /// An error record in 5.1's console style:
  /// `X : message` / `At line:1 char:1` / `+ ...` / `+ ~~~` / `    + CategoryInfo ...` / `    + FullyQualifiedErrorId ...`.
  public static func format(error record: PSErrorRecord, newline: String = "\r\n") -> String {
    ErrorFormatter.format(record, newline: newline)
  }
}

/// Out-Default's text rendering (simplified Format-Table / Format-List).
struct OutputFormatter {
  let newline: String
  var forceList = false
  var forceTable = false

  enum Shape: Equatable {
    case scalar
    case table([String])
    case list
    case hashtable
  }

  func shape(_ value: PSValue) -> Shape {
    switch value {
    case .object(let object):
      if object.native is PSErrorRecord || object.native is PSException
        || object.toStringHandler != nil && !object.isCustomObject && object.typeName != "System.Version"
      {
        return .scalar
      }
      let names = object.properties.map { $0.name }
      if names.isEmpty { return .scalar }
      if forceList { return .list }
      return names.count <= 4 || forceTable ? .table(names) : .list
    case .hashtable: return .hashtable
    case .timeSpan: return .list
    default: return .scalar
    }
  }

  func cell(_ value: PSValue) -> String {
    switch value {
    case .array(let array):
      let inner = array.items.prefix(4).map { PSConvert.toString($0) }
      return "{" + inner.joined(separator: ", ") + (array.items.count > 4 ? "..." : "") + "}"
    case .hashtable(let table):
      // A nested hash table shows its keys, as 5.1 prints `Hash2  {a, b, c}` (about_Hash_Tables).
      let inner = table.keys.prefix(4).map { PSConvert.toString($0) }
      return "{" + inner.joined(separator: ", ") + (table.count > 4 ? "..." : "") + "}"
    case .dateTime(let d): return PSDateFormatter.format(d, "G")
    default: return PSConvert.toString(value)
    }
  }

  func scalarText(_ value: PSValue) -> String? {
    switch value {
    case .null: return nil
    case .dateTime(let d): return PSDateFormatter.format(d, "dddd, MMMM d, yyyy h:mm:ss tt")
    case .object(let object):
      if let record = object.native as? PSErrorRecord {
        return ErrorFormatter.format(record, newline: newline).replacingOccurrences(of: newline, with: "\n")
          .trimmingCharacters(in: .newlines)
      }
      return PSConvert.toString(value)
    default: return PSConvert.toString(value)
    }
  }

  func properties(_ value: PSValue) -> [(String, PSValue)] {
    switch value {
    case .object(let object): return object.properties.map { ($0.name, (try? $0.get()) ?? .null) }
    case .timeSpan(let t):
      return [
        "Days", "Hours", "Minutes", "Seconds", "Milliseconds", "Ticks", "TotalDays", "TotalHours", "TotalMinutes",
        "TotalSeconds", "TotalMilliseconds",
      ].map {
        ($0, Builtins.timeSpanProperty(t, $0.lowercased()) ?? .null)
      }
    default: return []
    }
  }

  func isNumeric(_ value: PSValue) -> Bool {
    switch value {
    case .int, .long, .double, .byte: return true
    default: return false
    }
  }

  func format(_ values: [PSValue]) -> String {
    var lines: [String] = []
    var index = 0
    while index < values.count {
      let value = values[index]
      let kind = shape(value)
      switch kind {
      case .scalar:
        if let text = scalarText(value) {
          lines += text.components(separatedBy: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        }
        index += 1
      case .list:
        lines.append("")
        let props = properties(value)
        let width = props.map { $0.0.count }.max() ?? 0
        for (name, item) in props {
          lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0) + " : " + cell(item))
        }
        lines.append("")
        index += 1
      case .hashtable:
        var rows: [(String, String)] = []
        while index < values.count, case .hashtable(let table) = values[index] {
          rows += table.entries.map { (PSConvert.toString($0.key), cell($0.value)) }
          index += 1
        }
        lines.append("")
        lines.append("Name".padding(toLength: 31, withPad: " ", startingAt: 0) + "Value")
        lines.append("----".padding(toLength: 31, withPad: " ", startingAt: 0) + "-----")
        for (name, item) in rows {
          lines.append(name.padding(toLength: max(31, name.count + 1), withPad: " ", startingAt: 0) + item)
        }
        lines.append("")
      case .table(let names):
        var rows: [[PSValue]] = []
        while index < values.count, shape(values[index]) == kind {
          let props = properties(values[index])
          rows.append(names.map { name in props.first { $0.0 == name }?.1 ?? .null })
          index += 1
        }
        let texts = rows.map { $0.map { cell($0) } }
        let widths = names.enumerated().map { column, name in
          max(name.count, texts.map { $0[column].count }.max() ?? 0)
        }
        func line(_ cells: [String], rightAlign: [Bool]) -> String {
          var parts: [String] = []
          for (column, text) in cells.enumerated() {
            let width = widths[column]
            let padding = String(repeating: " ", count: max(0, width - text.count))
            if rightAlign[column] {
              parts.append(padding + text)
            } else {
              parts.append(column == cells.count - 1 ? text : text + padding)
            }
          }
          var joined = parts.joined(separator: " ")
          while joined.hasSuffix(" ") { joined.removeLast() }
          return joined
        }
        let numericColumns = names.indices.map { column in !rows.isEmpty && rows.allSatisfy { isNumeric($0[column]) } }
        lines.append("")
        lines.append(line(names, rightAlign: numericColumns))
        lines.append(line(names.map { String(repeating: "-", count: $0.count) }, rightAlign: numericColumns))
        for row in texts { lines.append(line(row, rightAlign: numericColumns)) }
        lines.append("")
      }
    }
    return lines.map { $0 + newline }.joined()
  }
}

/// Windows PowerShell 5.1's console rendering of an error record.
enum ErrorFormatter {
  static func positionMessage(_ invocation: PSInvocationInfo, newline: String) -> String {
    let underline =
      String(repeating: " ", count: max(0, invocation.column - 1))
      + String(repeating: "~", count: max(1, invocation.length))
    return "At line:\(invocation.line) char:\(invocation.column)" + newline + "+ " + invocation.lineText + newline
      + "+ " + underline
  }

  static func format(_ record: PSErrorRecord, newline: String) -> String {
    var text = ""
    if record.isParseError {
      if let invocation = record.invocation { text += positionMessage(invocation, newline: newline) + newline }
      text += record.message + newline
    } else {
      let prefix = record.invocation.map { $0.commandName.isEmpty ? "" : $0.commandName + " : " } ?? ""
      text += prefix + record.message.replacingOccurrences(of: "\r\n", with: newline) + newline
      if let invocation = record.invocation { text += positionMessage(invocation, newline: newline) + newline }
    }
    text += "    + CategoryInfo          : " + Builtins.categoryInfoText(record) + newline
    text += "    + FullyQualifiedErrorId : " + record.fullyQualifiedErrorId + newline
    text += " " + newline
    return text
  }
}
