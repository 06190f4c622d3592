import Foundation

/// One message from a PowerShell stream as it travelled on stderr: the stream (`Error`, `Warning`, `Verbose`,
/// `Debug`, `Information`) and one line of text.
public struct CLIXMLMessage: Sendable, Equatable {
  public var stream: String
  public var text: String

  public init(stream: String, text: String) {
    self.stream = stream
    self.text = text
  }
}

/// Turns Windows PowerShell 5.1's serialized stderr (`#< CLIXML` followed by `<Objs>` XML) into readable lines.
///
/// 5.1 serializes its error stream this way when stderr is redirected and the command was encoded, even with
/// `-OutputFormat Text`. The rules follow Ansible's parser: every `<Objs>` block is read on its own (stderr can hold
/// several, after one or more headers); the `<S S="stream">` children of a block are its messages, concatenated per
/// block and split into lines; `_xHHHH_` escapes are UTF-16 code units (surrogate pairs combine, `_x005F_` is `_`);
/// `<Obj>` children (progress records such as "Preparing modules for first use.") are dropped. Text outside any block
/// is kept as plain lines. Blank lines (5.1 separates error records with one) are dropped.
public enum CLIXMLDecoder {
  public static let header = "#< CLIXML"

  /// True when `stderr` contains serialized PowerShell output.
  public static func containsCLIXML(_ stderr: String) -> Bool {
    stderr.contains(header)
  }

  /// Every message in `stderr`, in order. Plain text outside `<Objs>` blocks is reported on the `Error` stream.
  public static func decode(_ stderr: String) -> [CLIXMLMessage] {
    var messages: [CLIXMLMessage] = []
    var walker = Walker()
    for token in XMLTokenizer(stderr) {
      walker.consume(token, into: &messages)
    }
    walker.finish(into: &messages)
    return messages
  }

  /// Decodes `_xHHHH_` escapes (UTF-16 code units; unpaired surrogates become U+FFFD).
  public static func unescapeSerializedString(_ text: String) -> String {
    guard text.contains("_x") || text.contains("_X") else { return text }
    let scalars = Array(text.unicodeScalars)
    var units: [UInt16] = []
    units.reserveCapacity(scalars.count)
    var index = 0
    while index < scalars.count {
      if let unit = escapedUnit(scalars, at: index) {
        units.append(unit)
        index += 7
      } else {
        units.append(contentsOf: UTF16.encode(scalars[index])!)
        index += 1
      }
    }
    return String(decoding: units, as: UTF16.self)
  }

  private static func escapedUnit(_ scalars: [Unicode.Scalar], at index: Int) -> UInt16? {
    guard index + 6 < scalars.count, scalars[index] == "_", scalars[index + 1] == "x" || scalars[index + 1] == "X",
      scalars[index + 6] == "_"
    else { return nil }
    var value: UInt16 = 0
    for offset in 2...5 {
      guard let digit = Character(scalars[index + offset]).hexDigitValue else { return nil }
      value = value << 4 | UInt16(digit)
    }
    return value
  }

  /// Splits text into lines at CR LF, LF or CR, dropping blank lines.
  static func lines(_ text: String) -> [String] {
    var result: [String] = []
    var current = String.UnicodeScalarView()
    var previousWasCR = false
    func flush() {
      let line = String(current)
      if !line.allSatisfy({ $0.isWhitespace }) { result.append(line) }
      current = String.UnicodeScalarView()
    }
    for scalar in text.unicodeScalars {
      if scalar == "\n" {
        if !previousWasCR { flush() }
        previousWasCR = false
      } else if scalar == "\r" {
        flush()
        previousWasCR = true
      } else {
        current.append(scalar)
        previousWasCR = false
      }
    }
    flush()
    return result
  }

  /// Follows the element nesting and collects `<S>` texts of each `<Objs>` block.
  private struct Walker {
    var stack: [String] = []
    var plain = ""
    /// Fragments of the current block: (stream, text), adjacent ones of one stream merged.
    var fragments: [(stream: String, text: String)] = []
    var currentStream: String?
    var currentText = ""

    mutating func consume(_ token: XMLToken, into messages: inout [CLIXMLMessage]) {
      switch token {
      case .text(let text):
        if stack.isEmpty {
          plain += text
        } else if currentStream != nil {
          currentText += text
        }
      case .start(let name, let attributes, let selfClosing):
        if name == "Objs" && stack.isEmpty { flushPlain(into: &messages) }
        if name == "S" && stack.last == "Objs" && stack.count == 1 {
          currentStream = attributes["S"] ?? "Output"
          currentText = ""
          if selfClosing { endString() }
        }
        if !selfClosing { stack.append(name) }
      case .end(let name):
        guard let position = stack.lastIndex(of: name) else { return }
        stack.removeSubrange(position...)
        if name == "S" && currentStream != nil && stack.count == 1 { endString() }
        if name == "Objs" && stack.isEmpty { flushBlock(into: &messages) }
      }
    }

    mutating func endString() {
      guard let stream = currentStream else { return }
      let text = CLIXMLDecoder.unescapeSerializedString(XMLTokenizer.decodeEntities(currentText))
      if let last = fragments.last, last.stream == stream {
        fragments[fragments.count - 1].text += text
      } else {
        fragments.append((stream, text))
      }
      currentStream = nil
      currentText = ""
    }

    mutating func flushBlock(into messages: inout [CLIXMLMessage]) {
      for fragment in fragments {
        messages += CLIXMLDecoder.lines(fragment.text).map { CLIXMLMessage(stream: fragment.stream, text: $0) }
      }
      fragments = []
    }

    mutating func flushPlain(into messages: inout [CLIXMLMessage]) {
      let lines = CLIXMLDecoder.lines(plain).filter {
        $0.trimmingCharacters(in: .whitespaces) != CLIXMLDecoder.header
      }
      messages += lines.map { CLIXMLMessage(stream: "Error", text: $0) }
      plain = ""
    }

    mutating func finish(into messages: inout [CLIXMLMessage]) {
      if currentStream != nil { endString() }
      if !fragments.isEmpty { flushBlock(into: &messages) }
      flushPlain(into: &messages)
    }
  }
}
