/// Splits a Windows command line into arguments the way `CommandLineToArgvW` does, so the lab's powershell.exe sees
/// exactly the arguments a real one would (quotes, backslashes before quotes, doubled quotes).
///
/// The rules are those of the Windows shell32 implementation as documented by Wine's conformance tests:
/// - the program name (first argument) ends at the next quote if it starts with one, else at the first space or tab;
/// - 2n backslashes before a quote give n backslashes and the quote toggles quoting; 2n+1 give n backslashes and a
///   literal quote; backslashes not before a quote are literal;
/// - inside quotes, `""` gives a literal quote and ends the quoted part; three quotes in a row give one quote.
public enum WindowsArgv {
  /// The arguments of a whole command line, program name first.
  public static func split(_ commandLine: String) -> [String] {
    let chars = Array(commandLine.unicodeScalars)
    var index = 0
    var program = String.UnicodeScalarView()
    if index < chars.count, chars[index] == "\"" {
      index += 1
      while index < chars.count, chars[index] != "\"" {
        program.append(chars[index])
        index += 1
      }
      if index < chars.count { index += 1 }
    } else {
      while index < chars.count, chars[index] != " ", chars[index] != "\t" {
        program.append(chars[index])
        index += 1
      }
    }
    return [String(program)] + splitArguments(chars[index...])
  }

  /// The arguments after the program name (a command line with the program name already removed).
  public static func splitArguments(_ text: String) -> [String] {
    splitArguments(Array(text.unicodeScalars)[...])
  }

  private static func splitArguments(_ chars: ArraySlice<Unicode.Scalar>) -> [String] {
    var arguments: [String] = []
    var current = String.UnicodeScalarView()
    var inArgument = false
    var quoteCount = 0
    var backslashes = 0
    var index = chars.startIndex
    while index < chars.endIndex {
      let char = chars[index]
      if (char == " " || char == "\t") && quoteCount == 0 {
        if inArgument {
          arguments.append(String(current))
          current = String.UnicodeScalarView()
          inArgument = false
        }
        backslashes = 0
        index += 1
        continue
      }
      inArgument = true
      if char == "\\" {
        current.append(char)
        backslashes += 1
        index += 1
      } else if char == "\"" {
        if backslashes % 2 == 0 {
          current.removeLast(backslashes / 2)
          quoteCount += 1
        } else {
          current.removeLast(backslashes / 2 + 1)
          current.append("\"")
        }
        backslashes = 0
        index += 1
        while index < chars.endIndex, chars[index] == "\"" {
          quoteCount += 1
          if quoteCount == 3 {
            current.append("\"")
            quoteCount = 0
          }
          index += 1
        }
        if quoteCount == 2 { quoteCount = 0 }
      } else {
        current.append(char)
        backslashes = 0
        index += 1
      }
    }
    if inArgument { arguments.append(String(current)) }
    return arguments
  }

  /// Quotes one argument so that `splitArguments` gives it back unchanged (the inverse used when a PowerShell
  /// command line starts a native program such as a nested powershell.exe).
  public static func quote(_ argument: String) -> String {
    if !argument.isEmpty, !argument.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" }) {
      return argument
    }
    var result = "\""
    var backslashes = 0
    for char in argument {
      if char == "\\" {
        backslashes += 1
        continue
      }
      if char == "\"" {
        result += String(repeating: "\\", count: backslashes * 2 + 1) + "\""
      } else {
        result += String(repeating: "\\", count: backslashes) + String(char)
      }
      backslashes = 0
    }
    result += String(repeating: "\\", count: backslashes * 2) + "\""
    return result
  }
}
