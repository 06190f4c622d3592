import RemotePowerShell

/// Writes messages the way Windows PowerShell 5.1 writes its error stream to a redirected stderr: `#< CLIXML`, CR LF,
/// then one `<Objs>` document with an `<S S="Error">` element per line.
///
/// The tests use it to feed the decoder the real format (the lab writes CLIXML with its own `CLIXMLErrorStream`).
enum CLIXMLEncoder {
  static let header = "#< CLIXML\r\n"
  static let objsOpen = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
  static let objsClose = "</Objs>"

  /// The progress record 5.1 emits the first time a session loads modules; real stderr often starts with it.
  static let preparingModulesProgressRecord =
    "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T>"
    + "<T>System.Object</T></TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for first use."
    + "</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>"

  /// `lines` as Error-stream CLIXML. Each line ends with an encoded CR LF, as 5.1 writes it.
  static func encode(errorLines lines: [String], progressRecord: Bool = false) -> String {
    encode(lines.map { CLIXMLMessage(stream: "Error", text: $0) }, progressRecord: progressRecord)
  }

  /// `messages` as one CLIXML document; `progressRecord` puts 5.1's "Preparing modules" record first.
  static func encode(_ messages: [CLIXMLMessage], progressRecord: Bool = false) -> String {
    var xml = header + objsOpen
    if progressRecord { xml += preparingModulesProgressRecord }
    for message in messages {
      xml += "<S S=\"\(escapeXML(message.stream, attribute: true))\">"
      xml += escapeXML(escapeSerializedString(message.text + "\r\n"), attribute: false) + "</S>"
    }
    return xml + objsClose
  }

  /// PowerShell's serializer escaping: control characters, C1 controls, surrogates, U+FFFE, U+FFFF and a `_` that
  /// precedes `x` become `_xHHHH_` (one per UTF-16 code unit, upper-case hex).
  static func escapeSerializedString(_ text: String) -> String {
    let units = Array(text.utf16)
    var result = ""
    result.reserveCapacity(units.count)
    var plain: [UInt16] = []
    func flushPlain() {
      result += String(decoding: plain, as: UTF16.self)
      plain.removeAll(keepingCapacity: true)
    }
    for (index, unit) in units.enumerated() {
      let isUnderscoreBeforeX =
        unit == 0x5F && index + 1 < units.count && (units[index + 1] == 0x78 || units[index + 1] == 0x58)
      if unit <= 0x1F || (0x7F...0x9F).contains(unit) || (0xD800...0xDFFF).contains(unit) || unit >= 0xFFFE
        || isUnderscoreBeforeX
      {
        flushPlain()
        result += "_x" + hex4(unit) + "_"
      } else {
        plain.append(unit)
      }
    }
    flushPlain()
    return result
  }

  static func escapeXML(_ text: String, attribute: Bool) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"" where attribute: result += "&quot;"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  private static func hex4(_ unit: UInt16) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([
      digits[Int(unit >> 12)], digits[Int(unit >> 8 & 0xF)], digits[Int(unit >> 4 & 0xF)],
      digits[Int(unit & 0xF)],
    ])
  }
}
