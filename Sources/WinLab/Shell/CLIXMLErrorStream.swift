/// Writes powershell.exe 5.1's error, warning, verbose and progress streams as CLIXML, the way Windows PowerShell 5.1
/// does on a redirected stderr when its command was given with -EncodedCommand (`#< CLIXML` then one `<Objs>`).
///
/// Each line of a formatted error becomes `<S S="Error">line_x000D__x000A_</S>`, so a client that decodes CLIXML
/// recovers the 5.1 error text line by line.
public struct CLIXMLErrorStream: Sendable {
  /// The marker line that starts CLIXML on a stream.
  public static let header = "#< CLIXML\r\n"
  static let open = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
  static let close = "</Objs>"

  private var started = false
  private var progressRefId = 0

  public init() {}

  /// The XML for a record of `stream` (Error, warning, verbose, debug) whose text may span several lines.
  public mutating func record(stream: String, text: String) -> String {
    var xml = start()
    // Split on scalars: Swift treats "\r\n" as one Character.
    var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      String(line.last == "\r" ? line.dropLast() : line)
    }
    if lines.last == "" { lines.removeLast() }
    for line in lines {
      xml += "<S S=\"\(stream)\">\(Self.escape(line + "\r\n"))</S>"
    }
    return xml
  }

  /// The XML for a progress record (such as 5.1's "Preparing modules for first use.").
  public mutating func progress(activity: String, status: String, completed: Bool) -> String {
    var xml = start()
    let ref = progressRefId
    progressRefId += 1
    let type =
      ref == 0
      ? "<TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>"
      : "<TNRef RefId=\"0\" />"
    xml +=
      "<Obj S=\"progress\" RefId=\"\(ref)\">\(type)<MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\">"
      + "<AV>\(Self.escape(activity))</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC>"
      + "<T>\(completed ? "Completed" : "Processing")</T><SR>-1</SR><SD>\(Self.escape(status))</SD></PR></MS></Obj>"
    return xml
  }

  /// The text that closes the document; empty when nothing was written.
  public func finish() -> String {
    started ? Self.close : ""
  }

  private mutating func start() -> String {
    if started { return "" }
    started = true
    return Self.header + Self.open
  }

  /// XML-escapes text the way PowerShell's serializer does: entities for markup characters, `_xHHHH_` for control
  /// characters, and `_x005F_` for an underscore that would otherwise read as the start of such an escape.
  public static func escape(_ text: String) -> String {
    var result = ""
    let scalars = Array(text.unicodeScalars)
    for (index, scalar) in scalars.enumerated() {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "_" where index + 1 < scalars.count && scalars[index + 1] == "x":
        result += "_x005F_"
      default:
        if scalar.value < 0x20 || (0xD800...0xDFFF).contains(scalar.value) || scalar.value == 0xFFFE
          || scalar.value == 0xFFFF
        {
          result += "_x" + hex4(scalar.value) + "_"
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }

  private static func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
