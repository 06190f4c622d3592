/// Recognizes a PowerShell command text that only starts powershell.exe (`powershell.exe -NoProfile -EncodedCommand
/// ...`), the form a cmd-style client sends to a host whose DefaultShell is PowerShell: the outer powershell.exe then
/// starts a second, nested one.
///
/// The outer PowerShell passes the arguments on the way 5.1 starts a native program: quotes removed, an argument with
/// a space wrapped in double quotes.
public enum NestedPowerShell {
  /// The nested process's command line, or nil when `text` is not a lone powershell.exe start.
  public static func commandLine(in text: String) -> String? {
    var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
    if rest.hasPrefix("&") {
      rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
    }
    guard let tokens = tokenize(rest), let program = tokens.first, PowerShellExe.isPowerShellProgram(program) else {
      return nil
    }
    let arguments = tokens.dropFirst().map { $0.contains(" ") || $0.contains("\t") || $0.isEmpty ? "\"\($0)\"" : $0 }
    return (["powershell.exe"] + arguments).joined(separator: " ")
  }

  /// Splits bare words and simple quoted strings; nil for anything that needs the interpreter (variables,
  /// subexpressions, several statements, pipelines).
  private static func tokenize(_ text: Substring) -> [String]? {
    let special: Set<Character> = ["$", "(", ")", "{", "}", ";", "|", "&", "@", ",", "`", "<", ">", "\n", "\r"]
    var tokens: [String] = []
    var index = text.startIndex
    while index < text.endIndex {
      let char = text[index]
      if char == " " || char == "\t" {
        index = text.index(after: index)
        continue
      }
      if char == "#" { return nil }
      var token = ""
      while index < text.endIndex, text[index] != " ", text[index] != "\t" {
        let current = text[index]
        if current == "'" {
          index = text.index(after: index)
          while true {
            guard index < text.endIndex else { return nil }
            if text[index] == "'" {
              let next = text.index(after: index)
              if next < text.endIndex, text[next] == "'" {
                token.append("'")
                index = text.index(after: next)
                continue
              }
              index = next
              break
            }
            token.append(text[index])
            index = text.index(after: index)
          }
        } else if current == "\"" {
          index = text.index(after: index)
          while true {
            guard index < text.endIndex else { return nil }
            if text[index] == "\"" {
              index = text.index(after: index)
              break
            }
            if text[index] == "$" || text[index] == "`" { return nil }
            token.append(text[index])
            index = text.index(after: index)
          }
        } else {
          if special.contains(current) { return nil }
          token.append(current)
          index = text.index(after: index)
        }
      }
      tokens.append(token)
    }
    return tokens
  }
}
